/**
 * Renames in a plan (core/renames.ts), with what only the engine knows: which declared users are new to the applied
 * record, the removed accounts' pool copies and groups (already read: no extra call), and the pool's sign-in model
 * from the run's DescribeUserPool (core/email-change-model.ts). Also which removed accounts are not removals at
 * all: the same account as a declared user. Pure.
 */
import type { DeclaredUser } from "./declared-user";
import { emailChangeModel } from "./email-change-model";
import type { RosterPlan } from "./plan";
import type { PoolSettings } from "./pool-settings";
import type { PoolUser } from "./pool-user";
import type { PoolProfile } from "./profile";
import { applyRenames, matchRenames } from "./renames";
import { type AppliedDigests, normalizeUsername, usernameDigest } from "./user-digest";

/** A user renamed in place: the old account's username to call AWS with, and its managed groups. */
export interface InPlaceRename {
  handle: string;
  groups: ReadonlySet<string>;
}

/** What is known of the removed accounts: the pool's sign-in settings, their pool copies and managed groups. */
export interface RemovedAccounts {
  pool: { settings: Pick<PoolSettings, "usernameAttributes" | "aliasAttributes"> };
  users: ReadonlyMap<string, PoolUser>;
  memberships?: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * The plan with its renames, and the in-place ones by normalised declared username (their memberships are the old
 * account's, read when it was found). Nothing without `identityAttribute`.
 */
export function planRenames(
  profile: PoolProfile,
  plan: RosterPlan,
  users: readonly DeclaredUser[],
  previous: AppliedDigests | undefined,
  removed: RemovedAccounts,
): { plan: RosterPlan; inPlace: Map<string, InPlaceRename> } {
  const inPlace = new Map<string, InPlaceRename>();
  const attribute = profile.identityAttribute;
  if (attribute === undefined || plan.remove.length === 0) return { plan, inPlace };
  const candidates = users.filter(
    (u) => previous?.[usernameDigest(profile.userPoolId, u.username, profile.usernameCaseSensitive)] === undefined,
  );
  const matches = matchRenames(attribute, candidates, plan.remove, removed.users);
  const mode = emailChangeModel(removed.pool) === "in-place" ? "update" : "replace";
  const renamed = applyRenames(plan, matches, mode, profile.attributeChanges);
  if (mode === "update")
    for (const { user, removal, pool } of matches)
      inPlace.set(normalizeUsername(user.username, profile.usernameCaseSensitive), {
        handle: pool.username,
        groups: removed.memberships?.get(removal.usernameDigest) ?? new Set(),
      });
  return { plan: renamed, inPlace };
}

/**
 * The removed accounts (by digest) that are the same account as a declared user (same `sub`: in a pool that signs
 * in by email, the new address already reaches the old account): they are not removals, since taking them out
 * would lock that declared user out.
 */
export function declaredAccountsAmongRemoved(
  removedPoolUsers: ReadonlyMap<string, PoolUser>,
  observed: ReadonlyMap<string, PoolUser | null>,
): string[] {
  const declaredSubs = new Set([...observed.values()].map((u) => u?.attributes.sub).filter((s): s is string => s !== undefined));
  return [...removedPoolUsers].filter(([, user]) => user.attributes.sub && declaredSubs.has(user.attributes.sub)).map(([digest]) => digest);
}
