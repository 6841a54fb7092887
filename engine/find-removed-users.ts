/**
 * Finds the users the roster declared before and declares no more, at the cost of the change: one AdminGetUser
 * per such user, by a handle that needs no scan —
 *  - their username from the pull request's base files (`--base-users`), when the caller has them;
 *  - else the `sub` the applied record keeps for every user it applied (core/user-digest.ts `withSub`), or for a
 *    removed user who still had access after an earlier apply (`removedEntry`) — trusted only while the record's
 *    binding matches the pool (a `sub` names an account in one pool only).
 * A `sub` that finds no account means the account the roster applied is gone — or was deleted and re-created by hand
 * under the same username, which the base files would have named and disabled. So a missed `sub` joins the removals
 * nothing names (an entry written before subs were kept, or from an import too large to read one by one, not yet
 * seen by a scan; no base given): those are left to the observation's ListUsers scan (engine/observe-pool.ts), which
 * finds them by username digest and fills in the subs of every user it sees, so that happens once
 * (engine/subs-of-applied-users.ts). Taking access away is worth that one scan, and it happens only after a deletion
 * by hand.
 *
 * For every removed user found it also reads their groups (one AdminListGroupsForUser each, only when the stack
 * manages groups): a disabled user still in a managed group still has access, and `disable` takes them out.
 */
import type { GroupReads, UserReads } from "../aws/ports";
import type { PoolUser } from "../core/pool-user";
import { usernameDigest } from "../core/user-digest";
import { forEachLimited } from "./observe-pool";

export interface RemovedLookupRequest {
  userPoolId: string;
  caseSensitive: boolean;
  /** The pool's UsernameAttributes: accounts are then named by their email or phone (core/sign-in-name.ts). */
  usernameAttributes?: readonly string[];
  readable: ReadonlyMap<string, string>;
  concurrency?: number;
}

/**
 * Reads each removed user by their handle; a user found under a handle whose username does not have the digest
 * (a base file that now names someone else) is not theirs and is left out. Returns the digests not found, so the
 * caller can look further (a missed `sub`) or say so (a username not in the pool: gone, nothing to do).
 */
export async function readRemovedUsers(users: UserReads, request: RemovedLookupRequest, found: Map<string, PoolUser>): Promise<string[]> {
  const missing: string[] = [];
  await forEachLimited([...request.readable], request.concurrency ?? 8, async ([digest, handle]) => {
    const user = await users.getUser(handle, request.usernameAttributes);
    if (user && usernameDigest(request.userPoolId, user.username, request.caseSensitive) === digest) found.set(digest, user);
    else missing.push(digest);
  });
  return missing;
}

/** The managed groups each found removed user is in, by digest; undefined when the stack manages no groups. */
export async function readRemovedMemberships(
  groupReads: GroupReads,
  found: ReadonlyMap<string, PoolUser>,
  managedGroups: readonly string[],
  concurrency = 8,
): Promise<Map<string, Set<string>> | undefined> {
  if (managedGroups.length === 0) return undefined;
  const managed = new Set(managedGroups);
  const memberships = new Map<string, Set<string>>();
  await forEachLimited([...found], concurrency, async ([digest, user]) => {
    const groups = await groupReads.groupsOfUser(user.username);
    memberships.set(digest, new Set([...(groups ?? [])].filter((g) => managed.has(g))));
  });
  return memberships;
}
