/**
 * Planning: declared users (the files) against observed users (the pool) → typed actions.
 *
 * Pure: inputs in, plan out. It never reads the pool itself; the engine decides which users to observe (only
 * what changed since the last apply, or everything for a full check) and passes what it saw. Users the roster
 * never declared are never in a plan. Removing users the roster declared before is refused when it would touch
 * more than a fraction of the managed users (peribolos' safety rail).
 *
 * A plan is frozen (readonly, and `Object.freeze`d as deep as a step could reach): what later reads decide — renames,
 * memberships, sign-in codes, dates, import jobs, messaging, moves, names from the base, held replaces — makes a new
 * plan through `withPlanParts`, so a plan once shown is never changed under whoever holds it.
 */
import type { MessagingCheck } from "./messaging-capacity";
import type { ImportJobBudget } from "./import-job-budget";
import type { DeclaredUser, SourcePlace } from "./declared-user";
import type { PoolUser } from "./pool-user";
import type { AttributeChangePolicy, RemovedUserPolicy } from "./profile";
import { differingAttributes } from "./compare-attributes";
import {
  type AppliedDigests,
  accountDigest,
  accountPart,
  membershipDigest,
  membershipPart,
  normalizeUsername,
  usernameDigest,
} from "./user-digest";
import type { MembershipPlan } from "./plan-groups";
import type { DateDue } from "./access-dates";
import type { PlannedRename } from "./renames";
import type { PlannedMove } from "./moves";

interface PlannedUser {
  username: string;
  file: string;
  line: number;
  /** The declared user; absent for removals. */
  user: DeclaredUser;
  /** The pool username to call AWS with when it is not `username`: an account renamed in place (core/renames.ts). */
  handle?: string;
}

interface PlannedUpdate extends PlannedUser {
  /** Names of the attributes that differ (never their values: they may be personal data). */
  attributes: string[];
  /** True when the stack only reports attribute changes (attributeChanges: report). */
  reportOnly: boolean;
}

export interface PlannedRemoval {
  /** Known when the pool was scanned for it (what an apply acts on); never shown in a plan report. */
  readonly username?: string;
  readonly usernameDigest: string;
  readonly action: RemovedUserPolicy;
  /**
   * Where the user was declared in the pull request's base (`cognito-roster plan --base-users`, core/base-users.ts):
   * the only name a plan report shows for a removal; a digest otherwise.
   */
  readonly declaredAtBase?: { username: string; file: string; line: number };
  /** The pool's `sub` of the account: the record keeps it while the user still has access. */
  readonly sub?: string;
  /** Whether the account is enabled now (a disabled one may still be in managed groups). */
  readonly enabled?: boolean;
  /** The declared username that replaces this account (core/renames.ts): disabled whatever the removal policy. */
  readonly replacedBy?: string;
  /** Set by `withHeldReplaces` (core/renames.ts) when the replacing account could not be imported: this one keeps its access for now. */
  readonly held?: boolean;
}

export interface RosterPlan {
  readonly userPoolId: string;
  readonly import: readonly PlannedUser[];
  readonly update: readonly PlannedUpdate[];
  readonly disable: readonly PlannedUser[];
  readonly enable: readonly PlannedUser[];
  readonly remove: readonly PlannedRemoval[];
  /** Declared users needing nothing: checked and equal, or unchanged since the last apply. */
  readonly unchanged: number;
  /** Set when the plan must not be applied, with the reason. */
  readonly refused?: string;
  /** Group memberships to add and remove (core/plan-groups.ts); absent when the stack manages no groups. */
  readonly memberships?: MembershipPlan;
  /** With `sendSignInCode: afterImport`: how many trainees the apply will send a first sign-in code (added by the engine). */
  readonly signInCodes?: number;
  /** Users moved from one office folder to another since the base (core/moves.ts; only with base files). */
  readonly moves?: readonly PlannedMove[];
  /** People under a new username, matched by `identityAttribute` (core/renames.ts); absent when none. */
  readonly renames?: readonly PlannedRename[];
  /** Starts and ends due soon (core/access-dates.ts), on the plan's day in the stack's time zone; absent when none. */
  readonly dates?: { today: string; timeZone: string; due: DateDue[] };
  /** The pool's import jobs used of Cognito's 1,000, when fewer than 100 remain and the plan imports (added by the engine). */
  readonly importJobs?: ImportJobBudget;
  /**
   * The pool's messaging capacity and what this change would send (core/messaging-capacity.ts; added by the engine
   * when it imports or sends codes).
   */
  readonly messaging?: MessagingCheck;
  /**
   * With `sendSignInCode: afterImport`, the ledger's counts (added by the engine): of `signInCodes`, those owed only if
   * an interrupted run's job created them; codes sent so far, of those unanswered (possibly sent), and refused.
   */
  readonly signInCodeLedger?: { awaiting: number; sent: number; unknown: number; refused: number };
}

export interface PlanInputs {
  userPoolId: string;
  declared: readonly DeclaredUser[];
  /** Pool state of every declared user that was looked up, by normalised username; null = not in the pool. */
  observed: ReadonlyMap<string, PoolUser | null>;
  /** Digests of the last successful apply; undefined when there was none. */
  previous?: AppliedDigests;
  /** Pool users found for digests that were applied before and are no longer declared. */
  removedPoolUsers: ReadonlyMap<string, PoolUser>;
  /** The managed groups each found removed user is in, by digest (absent when the stack manages no groups). */
  removedMemberships?: ReadonlyMap<string, ReadonlySet<string>>;
  caseSensitive: boolean;
  attributeChanges: AttributeChangePolicy;
  removedUsers: RemovedUserPolicy;
  maxRemovalFraction: number;
}

export function planChanges(inputs: PlanInputs): RosterPlan {
  const plan = { import: [] as PlannedUser[], update: [] as PlannedUpdate[], disable: [] as PlannedUser[], enable: [] as PlannedUser[] };
  let unchanged = 0;
  const declaredDigests = new Set<string>();

  for (const user of inputs.declared) {
    const key = normalizeUsername(user.username, inputs.caseSensitive);
    declaredDigests.add(usernameDigest(inputs.userPoolId, user.username, inputs.caseSensitive));
    const entry = plannedUser(user);
    if (!inputs.observed.has(key)) {
      unchanged++; // not looked up: unchanged since the last apply
      continue;
    }
    const pool = inputs.observed.get(key) ?? null;
    if (pool === null) {
      // A leaver who never had an account needs none.
      if (user.enabled) plan.import.push(entry);
      else unchanged++;
      continue;
    }
    let changed = false;
    const attributes = differingAttributes(user, pool);
    if (attributes.length > 0) {
      plan.update.push({ ...entry, attributes, reportOnly: inputs.attributeChanges === "report" });
      changed = true;
    }
    if (!user.enabled && pool.enabled) {
      plan.disable.push(entry);
      changed = true;
    } else if (user.enabled && !pool.enabled) {
      plan.enable.push(entry);
      changed = true;
    }
    if (!changed) unchanged++;
  }

  const managed = inputs.previous ? Object.keys(inputs.previous) : [];
  const remove = plannedRemovals(inputs, managed, declaredDigests);
  const refused = refusal(inputs, remove.length, managed.length);
  return frozen({ userPoolId: inputs.userPoolId, ...plan, remove, unchanged, ...(refused ? { refused } : {}) });
}

function plannedRemovals(inputs: PlanInputs, managed: readonly string[], declaredDigests: ReadonlySet<string>): PlannedRemoval[] {
  const remove: PlannedRemoval[] = [];
  for (const digest of managed) {
    if (declaredDigests.has(digest)) continue;
    const pool = inputs.removedPoolUsers.get(digest);
    // Listed under every policy while the user still has access: enabled, or in a group the stack manages. Gone
    // from the pool, or disabled and in no managed group, is resolved.
    if (pool === undefined) continue;
    if (!pool.enabled && (inputs.removedMemberships?.get(digest)?.size ?? 0) === 0) continue;
    remove.push({
      username: pool.username,
      usernameDigest: digest,
      action: inputs.removedUsers,
      enabled: pool.enabled,
      ...(pool.attributes.sub ? { sub: pool.attributes.sub } : {}),
    });
  }
  return remove;
}

/** Why removing these users is refused (more than `maxRemovalFraction` of the managed users), if it is. */
function refusal(inputs: PlanInputs, removals: number, managed: number): string | undefined {
  if (inputs.removedUsers === "retain" || managed === 0) return undefined;
  const fraction = removals / managed;
  if (fraction <= inputs.maxRemovalFraction) return undefined;
  return (
    `refusing to ${inputs.removedUsers} ${removals} of ${managed} managed users ` +
    `(${(fraction * 100).toFixed(1)}% > maxRemovalFraction ${inputs.maxRemovalFraction}): ` +
    `if this is intended, raise cognito-roster:maxRemovalFraction for one apply`
  );
}

/** What later steps add to a plan: the parts computed from reads the plan itself decides on (memberships, jobs, messaging...). */
export type PlanParts = Partial<Omit<RosterPlan, "userPoolId" | "unchanged">>;

/**
 * A new plan: `plan` with `parts` in place of its own (a part given as undefined is left out). Plans are frozen:
 * every step that adds to one returns a new one rather than changing the one a caller may still hold.
 */
export function withPlanParts(plan: RosterPlan, parts: PlanParts): RosterPlan {
  const defined = Object.fromEntries(Object.entries(parts).filter(([, value]) => value !== undefined));
  return frozen({ ...plan, ...defined });
}

/**
 * Frozen as deep as a later step could reach to change it: the plan, its lists, the removals and renames, and the
 * memberships. Not the declared users the entries point at (the run's own, shared with the rest of it).
 */
function frozen(plan: RosterPlan): RosterPlan {
  for (const list of [plan.import, plan.update, plan.disable, plan.enable, plan.moves]) if (list) Object.freeze(list);
  for (const entry of [...plan.remove, ...(plan.renames ?? [])]) Object.freeze(entry);
  Object.freeze(plan.remove);
  if (plan.renames) Object.freeze(plan.renames);
  if (plan.memberships) Object.freeze(Object.freeze(plan.memberships).changes);
  return Object.freeze(plan);
}

/** True when applying the plan would change the pool. */
export function planHasChanges(plan: RosterPlan): boolean {
  return (
    plan.import.length > 0 ||
    plan.update.some((u) => !u.reportOnly) ||
    plan.disable.length > 0 ||
    plan.enable.length > 0 ||
    plan.remove.some((r) => r.action === "disable") ||
    (plan.memberships?.changes.length ?? 0) > 0
  );
}

/**
 * Declared users whose account (attributes, enabled, MFA) differs from the last apply, or who are new: the ones
 * worth looking up. A change of groups alone is not one (see `membershipsChangedSinceLastApply`).
 */
export function changedSinceLastApply(
  userPoolId: string,
  declared: readonly DeclaredUser[],
  previous: AppliedDigests | undefined,
  caseSensitive: boolean,
): DeclaredUser[] {
  return differingFromRecord(userPoolId, declared, previous, caseSensitive, (recorded, u) => accountPart(recorded) !== accountDigest(u));
}

/** Declared users whose groups differ from the last apply (or who have no record): the ones whose memberships to read. */
export function membershipsChangedSinceLastApply(
  userPoolId: string,
  declared: readonly DeclaredUser[],
  previous: AppliedDigests | undefined,
  caseSensitive: boolean,
): DeclaredUser[] {
  return differingFromRecord(
    userPoolId,
    declared,
    previous,
    caseSensitive,
    (recorded, u) => membershipPart(recorded) !== membershipDigest(u),
  );
}

/** Declared users the record has no entry for, or whose entry `differs`; every one when there is no record. */
function differingFromRecord(
  userPoolId: string,
  declared: readonly DeclaredUser[],
  previous: AppliedDigests | undefined,
  caseSensitive: boolean,
  differs: (recorded: string, user: DeclaredUser) => boolean,
): DeclaredUser[] {
  if (!previous) return [...declared];
  return declared.filter((u) => {
    const recorded = previous[usernameDigest(userPoolId, u.username, caseSensitive)];
    return recorded === undefined || differs(recorded, u);
  });
}

/** Digests the roster no longer declares. */
export function removedDigests(
  userPoolId: string,
  declared: readonly DeclaredUser[],
  previous: AppliedDigests | undefined,
  caseSensitive: boolean,
): string[] {
  if (!previous) return [];
  const now = new Set(declared.map((u) => usernameDigest(userPoolId, u.username, caseSensitive)));
  return Object.keys(previous).filter((d) => !now.has(d));
}

function plannedUser(user: DeclaredUser): PlannedUser {
  const place: SourcePlace = user.source;
  return { username: user.username, file: place.file, line: place.line, user };
}
