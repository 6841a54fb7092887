/**
 * A person under a new username. With `identityAttribute` (e.g. `custom:tisId`), a declared user new to the applied
 * record whose identity value is that of an account no longer declared (and still holding access) is that person,
 * renamed — matched on values already read (the removed account's pool copy), so a rename costs no extra call.
 *
 * What the plan does with it depends on the pool's sign-in model (core/email-change-model.ts):
 *  - `update`: email can change in place (an alias or a username attribute): the old account is updated to the new
 *    values — same account, same `sub` — and is no longer a removal;
 *  - `replace`: the username is the email and cannot change: the new account is imported (or is already there after
 *    an interrupted apply), given its groups, and the old one is disabled and leaves the managed groups, whatever
 *    the removal policy — so one person never ends an apply with two enabled accounts.
 * Without a match, a removal and an addition in the same file are paired for the reviewer (`sameFilePairs`).
 *
 * Pure: plan and pool copies in, a new plan out.
 */
import { differingAttributes, poolValueOf } from "./compare-attributes";
import type { DeclaredUser } from "./declared-user";
import { type PlannedRemoval, type RosterPlan, withPlanParts } from "./plan";
import type { PoolUser } from "./pool-user";
import type { AttributeChangePolicy } from "./profile";

export type RenameMode = "update" | "replace";

export interface PlannedRename {
  /** The new username, as declared, and where. */
  readonly username: string;
  readonly file: string;
  readonly line: number;
  /** The old account's username digest; named only from the base's files (`declaredAtBase` of its removal). */
  readonly fromDigest: string;
  readonly mode: RenameMode;
  /** The old username where the base's files declared it (core/base-users.ts): the only name shown for it. */
  readonly fromBase?: { username: string; file: string; line: number };
}

export interface RenameMatch {
  user: DeclaredUser;
  removal: PlannedRemoval;
  pool: PoolUser;
}

/**
 * Pairs each candidate with the removed account holding the same identity value. A value held by two candidates or
 * two removed accounts is ambiguous: no pair (they stay an addition and a removal, side by side for the reviewer).
 */
export function matchRenames(
  identityAttribute: string,
  candidates: readonly DeclaredUser[],
  removals: readonly PlannedRemoval[],
  removedPoolUsers: ReadonlyMap<string, PoolUser>,
): RenameMatch[] {
  const byValue = <T>(items: readonly T[], identityOf: (item: T) => string | undefined) => {
    const map = new Map<string, T[]>();
    for (const item of items) {
      const value = identityOf(item);
      if (value !== undefined && value !== "") map.set(value, [...(map.get(value) ?? []), item]);
    }
    return map;
  };
  const declared = byValue(candidates, (u) => {
    const value = u.attributes[identityAttribute];
    return value === undefined ? undefined : poolValueOf(value);
  });
  const removed = byValue(removals, (r) => removedPoolUsers.get(r.usernameDigest)?.attributes[identityAttribute]);
  const matches: RenameMatch[] = [];
  for (const [value, users] of declared) {
    const olds = removed.get(value) ?? [];
    const pool = olds.length === 1 ? removedPoolUsers.get(olds[0].usernameDigest) : undefined;
    if (users.length === 1 && pool) matches.push({ user: users[0], removal: olds[0], pool });
  }
  return matches;
}

/** The plan rewritten for each match, as the module comment says: a new plan (plans are frozen). */
export function applyRenames(
  plan: RosterPlan,
  matches: readonly RenameMatch[],
  mode: RenameMode,
  attributeChanges: AttributeChangePolicy,
): RosterPlan {
  if (matches.length === 0) return plan;
  const renames: PlannedRename[] = [];
  const replacedBy = new Map<PlannedRemoval, string>();
  const update = [...plan.update];
  const enable = [...plan.enable];
  const disable = [...plan.disable];
  for (const { user, removal, pool } of matches) {
    const place = { username: user.username, file: user.source.file, line: user.source.line };
    renames.push({ ...place, fromDigest: removal.usernameDigest, mode });
    replacedBy.set(removal, user.username);
    if (mode === "replace") continue;
    const entry = { ...place, user, handle: pool.username };
    const attributes = differingAttributes(user, pool);
    if (attributes.length > 0) update.push({ ...entry, attributes, reportOnly: attributeChanges === "report" });
    if (user.enabled && !pool.enabled) enable.push(entry);
    if (!user.enabled && pool.enabled) disable.push(entry);
  }
  if (mode === "replace") {
    const remove = plan.remove.map((r) => {
      const successor = replacedBy.get(r);
      return successor === undefined ? r : { ...r, action: "disable" as const, replacedBy: successor };
    });
    return withPlanParts(plan, { remove, renames });
  }
  const renamed = new Set(renames.map((r) => r.username));
  return withPlanParts(plan, {
    import: plan.import.filter((p) => !renamed.has(p.username)),
    remove: plan.remove.filter((r) => !replacedBy.has(r)),
    update,
    enable,
    disable,
    renames,
  });
}

/**
 * A replaced account is disabled only once its successor is in the pool: when the new account's import failed, the
 * old one keeps its access and its groups this time (held: kept in the record by its `sub`, so the next run, which
 * imports the new one again, finishes the replace). Never neither. A new plan: each such replace held, and its
 * leaving of the managed groups taken out.
 */
export function withHeldReplaces(plan: RosterPlan, notImported: ReadonlySet<string>): RosterPlan {
  const held = new Set(plan.remove.filter((r) => r.replacedBy !== undefined && notImported.has(r.replacedBy)));
  if (held.size === 0) return plan;
  const heldNames = new Set([...held].map((r) => r.username));
  const remove = plan.remove.map((r) => (held.has(r) ? { ...r, held: true } : r));
  const memberships = plan.memberships && {
    ...plan.memberships,
    changes: plan.memberships.changes.filter((c) => c.file !== undefined || !heldNames.has(c.username)),
  };
  return withPlanParts(plan, { remove, memberships });
}

/**
 * Without an identity match: each removal named from the base in a file that also gains a new user this plan
 * imports — "is this the same person?". Pairs by order within the file.
 */
export function sameFilePairs(plan: RosterPlan): { removal: PlannedRemoval; added: RosterPlan["import"][number] }[] {
  const renamed = new Set((plan.renames ?? []).map((r) => r.username));
  const added = plan.import.filter((p) => !renamed.has(p.username));
  const pairs: { removal: PlannedRemoval; added: RosterPlan["import"][number] }[] = [];
  for (const removal of plan.remove) {
    const file = removal.declaredAtBase?.file;
    if (file === undefined || removal.replacedBy !== undefined) continue;
    const at = added.findIndex((p) => p.file === file);
    if (at < 0) continue;
    pairs.push({ removal, added: added[at] });
    added.splice(at, 1);
  }
  return pairs;
}
