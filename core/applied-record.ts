/**
 * What the roster manages after an apply (engine/apply-roster.ts records it): every declared user in their declared
 * state, with their account's `sub` where known (engine/subs-of-applied-users.ts). Users not looked up were
 * unchanged since the last apply; failed or not-converged users are left out so the next run looks at them again.
 * A removed user who may still have access (`retain`, or a disable or group removal that failed) is kept by their
 * `sub`, so every later plan reads them again until their access is gone; a removed user whose access is gone is
 * forgotten. Pure.
 */
import type { SeenSubs } from "./applied-subs";
import type { DeclaredUser } from "./declared-user";
import type { PlannedRemoval } from "./plan";
import {
  type AppliedDigests,
  accountDigest,
  declaredValuesDigest,
  normalizeUsername,
  recordedSub,
  removedEntry,
  usernameDigest,
  withMembershipsPending,
  withSub,
} from "./user-digest";

export interface ApplyOutcome {
  userPoolId: string;
  caseSensitive: boolean;
  /** The record the apply started from. */
  previous: AppliedDigests | undefined;
  /** The declared users the apply planned for, and the removals it carried out. */
  users: readonly DeclaredUser[];
  remove: readonly PlannedRemoval[];
  /** The `sub` of each user the plan's observation saw, by normalised username (null: seen without one). */
  seen: SeenSubs | undefined;
  /** Usernames the apply failed or could not converge. */
  notConverged: ReadonlySet<string>;
  /** Usernames whose membership changes did not all succeed. */
  membershipsPending: ReadonlySet<string>;
  /** Digests of removals whose disable failed. */
  removalFailed: ReadonlySet<string>;
  /** The `sub` of each user this apply imported and read, by normalised username. */
  importedSubs: ReadonlyMap<string, string>;
}

export function appliedRecord(outcome: ApplyOutcome): AppliedDigests {
  const { userPoolId, caseSensitive, previous, membershipsPending } = outcome;
  const seen = outcome.seen ?? new Map<string, string | null>();
  const applied: AppliedDigests = {};
  for (const user of outcome.users) {
    if (outcome.notConverged.has(user.username)) continue;
    const digest = usernameDigest(userPoolId, user.username, caseSensitive);
    const key = normalizeUsername(user.username, caseSensitive);
    // The pool's copy first (seen now), then the record's for a user not looked up.
    const sub = outcome.importedSubs.get(key) ?? (seen.has(key) ? (seen.get(key) ?? undefined) : recordedSub(previous?.[digest] ?? ""));
    const values = membershipsPending.has(user.username) ? withMembershipsPending(accountDigest(user)) : declaredValuesDigest(user);
    applied[digest] = withSub(values, sub);
  }
  for (const removal of outcome.remove) {
    const resolved =
      removal.action === "disable" &&
      !removal.held &&
      !outcome.removalFailed.has(removal.usernameDigest) &&
      !membershipsPending.has(removal.username ?? "");
    if (resolved) continue;
    const kept = removal.sub ? removedEntry(removal.sub) : previous?.[removal.usernameDigest];
    if (kept !== undefined) applied[removal.usernameDigest] = kept;
  }
  return applied;
}
