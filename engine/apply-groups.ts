/**
 * Carries out membership changes: AdminAddUserToGroup / AdminRemoveUserFromGroup, one call per user and group,
 * started no faster than the UserResourceUpdate quota (25 requests/s per account by default) allows, a few in
 * flight at a time; the SDK's adaptive retry absorbs any throttling left.
 *
 * Resumable without relying on what the API reference does not promise (what adding a member again, or removing a
 * non-member, does): every change is planned from memberships read from the pool (core/plan-groups.ts), and a user
 * whose changes did not all succeed is reported back so the caller leaves the user's memberships out of the
 * applied record — the next run reads that user's memberships again and redoes exactly what is missing. It decides
 * nothing: the plan (core/plan-groups.ts) says what to change. No personal data in progress messages.
 */
import type { GroupChanges } from "../aws/ports";
import { errorName } from "../aws/error-name";
import { REQUESTS_PER_SECOND } from "../core/cognito-quotas";
import type { DeclaredUser } from "../core/declared-user";
import type { RosterPlan } from "../core/plan";
import type { MembershipChange } from "../core/plan-groups";
import type { Clock } from "./backoff";
import { forEachLimited } from "./observe-pool";
import { createPacer } from "./pacer";

export interface MembershipApplyOptions {
  clock?: Clock;
  progress?: (message: string) => void;
  /** Calls started per second at most (the quota unless a test or a raised quota says otherwise). */
  perSecond?: number;
  concurrency?: number;
}

interface MembershipApplyResult {
  added: number;
  removed: number;
  /** Users (as named in the changes) with a change that failed, and the first reason. */
  failed: Map<string, string>;
}

async function applyMemberships(
  groups: GroupChanges,
  changes: readonly MembershipChange[],
  options: MembershipApplyOptions = {},
): Promise<MembershipApplyResult> {
  const result: MembershipApplyResult = { added: 0, removed: 0, failed: new Map() };
  if (changes.length === 0) return result;
  const pace = createPacer(options.perSecond ?? REQUESTS_PER_SECOND.membershipWrite, options.clock);
  options.progress?.(`changing ${changes.length} group membership${changes.length === 1 ? "" : "s"}`);
  await forEachLimited(changes, options.concurrency ?? 4, async (change) => {
    await pace();
    try {
      if (change.action === "add") {
        await groups.addToGroup(change.handle ?? change.username, change.group);
        result.added++;
      } else {
        await groups.removeFromGroup(change.handle ?? change.username, change.group);
        result.removed++;
      }
    } catch (err) {
      const call = change.action === "add" ? "AdminAddUserToGroup" : "AdminRemoveUserFromGroup";
      if (!result.failed.has(change.username))
        result.failed.set(change.username, `${call} ${change.group} failed: ${errorName(err) || "error"}: ${(err as Error).message}`);
    }
  });
  if (result.failed.size > 0)
    options.progress?.(`${result.failed.size} user${result.failed.size === 1 ? "" : "s"} could not be given all their group memberships`);
  return result;
}

export interface PlannedMembershipsOutcome {
  added: number;
  removed: number;
  /** Declared users with a failed change: for the apply's failure list (file:line, no personal data beyond the username). */
  failed: { username: string; file: string; line: number; reason: string }[];
  /** Users whose memberships are not known to be as declared: recorded with their memberships pending. */
  pending: Set<string>;
  /** Users the membership read found missing from the pool: left out of the record so the next run looks them up. */
  notConverged: Set<string>;
}

/**
 * The plan's membership changes, once the import is done: existing users' adds and removes, and the groups of
 * users this run imported (confirmed in the pool). A planned import that this run did not create (someone else
 * had, or it failed) gets no adds: its memberships stay pending, and the next run reads and settles them.
 */
export async function applyPlannedMemberships(
  groups: GroupChanges,
  plan: RosterPlan,
  importedByThisRun: readonly DeclaredUser[],
  options: MembershipApplyOptions = {},
): Promise<PlannedMembershipsOutcome> {
  const outcome: PlannedMembershipsOutcome = {
    added: 0,
    removed: 0,
    failed: [],
    pending: new Set(),
    notConverged: new Set(plan.memberships?.absent ?? []),
  };
  if (!plan.memberships) return outcome;
  const imported = new Set(importedByThisRun.map((u) => u.username));
  for (const entry of plan.import) if (!imported.has(entry.username)) outcome.pending.add(entry.username);
  const changes = plan.memberships.changes.filter((c) => !c.afterImport || imported.has(c.username));
  const result = await applyMemberships(groups, changes, options);
  outcome.added = result.added;
  outcome.removed = result.removed;
  const declaredChange = new Map(changes.filter((c) => c.file !== undefined).map((c) => [c.username, c]));
  for (const [username, reason] of result.failed) {
    outcome.pending.add(username);
    const change = declaredChange.get(username);
    if (change?.file !== undefined) outcome.failed.push({ username, file: change.file, line: change.line ?? 0, reason });
    else options.progress?.(`could not take a no-longer-declared user out of a group: ${reason.split(":")[0]}`);
  }
  return outcome;
}
