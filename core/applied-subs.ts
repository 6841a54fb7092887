/**
 * Which `sub`s of applied users a plan knows, and which it still has to note (engine/subs-of-applied-users.ts says
 * where each one comes from). Pure: the engine hands in the record, the declared users and what the plan observed.
 */
import type { DeclaredUser } from "./declared-user";
import type { PoolUser } from "./pool-user";
import { type AppliedDigests, normalizeUsername, recordedSub, usernameDigest } from "./user-digest";

/** By normalised username: the `sub` the pool showed, or null when the user was looked up and has none there. */
export type SeenSubs = Map<string, string | null>;

/**
 * Declared users the record knows without a `sub` and the plan will not look up: a scan made anyway notes theirs.
 * Normalised usernames.
 */
export function subsMissingFromRecord(
  userPoolId: string,
  caseSensitive: boolean,
  declared: readonly DeclaredUser[],
  lookedUp: readonly DeclaredUser[],
  previous: AppliedDigests | undefined,
): Set<string> {
  const missing = new Set<string>();
  if (previous === undefined) return missing;
  const checked = new Set(lookedUp.map((u) => normalizeUsername(u.username, caseSensitive)));
  for (const user of declared) {
    const key = normalizeUsername(user.username, caseSensitive);
    const recorded = previous[usernameDigest(userPoolId, user.username, caseSensitive)];
    if (recorded !== undefined && recordedSub(recorded) === undefined && !checked.has(key)) missing.add(key);
  }
  return missing;
}

/** What the plan's observation showed: every looked-up user's `sub` (null when absent), and those a scan noted. */
export function subsSeen(observed: ReadonlyMap<string, PoolUser | null>, learned: ReadonlyMap<string, string>): SeenSubs {
  const seen: SeenSubs = new Map(learned);
  for (const [key, user] of observed) seen.set(key, user?.attributes.sub || null);
  return seen;
}
