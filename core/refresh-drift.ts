/**
 * The drift rule of `pulumi refresh` (providers/roster-engine-entry.ts `read`): a full check of the pool against what
 * was APPLIED, not against the files. Given the full plan the engine made from the pool and the applied record, it
 * says what the record keeps:
 * - a user whose files still say what was applied and whose pool copy differs (or is gone) has drifted: their digest
 *   is dropped, so the next `up` repairs exactly them; users changed in the files since are pending changes, not
 *   drift, and keep their digest;
 * - a user whose memberships changed in the pool (a managed group's member removed in the console) gets their
 *   memberships pending, so the next `up` reads and repairs them without looking the user up again;
 * - the full read saw every declared user: a record written before subs were kept gets them here.
 * Pure: the plan and the subs are the engine's answers.
 */
import type { SeenSubs } from "./applied-subs";
import type { DeclaredUser } from "./declared-user";
import type { RosterPlan } from "./plan";
import {
  type AppliedDigests,
  accountDigest,
  declaredPart,
  declaredValuesDigest,
  normalizeUsername,
  recordedSub,
  usernameDigest,
  withMembershipsPending,
  withSub,
} from "./user-digest";

/** What a full plan of the pool says, as the refresh reads it. */
export interface RefreshRead {
  plan: Pick<RosterPlan, "import" | "update" | "disable" | "enable" | "memberships">;
  /** The declared users the plan was made for. */
  users: readonly DeclaredUser[];
  /** The `sub` of each user the read saw, by normalised username. */
  subs?: SeenSubs;
}

/** The applied record after a refresh: drifted users dropped, changed memberships pending, missing subs filled in. */
export function appliedAfterRefresh(
  pool: { userPoolId: string; caseSensitive: boolean },
  record: AppliedDigests | undefined,
  read: RefreshRead,
): AppliedDigests {
  const { userPoolId, caseSensitive } = pool;
  const { plan, users, subs } = read;
  const digestOf = (username: string) => usernameDigest(userPoolId, username, caseSensitive);
  const applied: AppliedDigests = { ...(record ?? {}) };
  for (const entry of [...plan.import, ...plan.update, ...plan.disable, ...plan.enable]) {
    const key = digestOf(entry.username);
    // Only a user whose files still say what was applied can be compared with what was applied: drift.
    if (declaredPart(applied[key] ?? "") === declaredValuesDigest(entry.user)) delete applied[key];
  }
  const declared = new Map(users.map((u) => [u.username, u]));
  for (const change of plan.memberships?.changes ?? []) {
    const user = change.afterImport ? undefined : declared.get(change.username);
    if (!user) continue;
    const key = digestOf(user.username);
    const recorded = applied[key] ?? "";
    if (declaredPart(recorded) === declaredValuesDigest(user))
      applied[key] = withSub(withMembershipsPending(accountDigest(user)), recordedSub(recorded));
  }
  for (const user of users) {
    const key = digestOf(user.username);
    const recorded = applied[key];
    const sub = subs?.get(normalizeUsername(user.username, caseSensitive));
    if (recorded !== undefined && recordedSub(recorded) === undefined && sub) applied[key] = withSub(recorded, sub);
  }
  return applied;
}
