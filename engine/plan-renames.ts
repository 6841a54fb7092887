/**
 * Renames in a plan (core/renames.ts), with what only the engine knows: which declared users are new to the applied
 * record, the removed accounts' pool copies and groups (already read: no extra call), and the pool's sign-in model
 * from the run's DescribeUserPool (engine/sign-in-model.ts).
 */
import type { DeclaredUser } from "../core/declared-user";
import type { RosterPlan } from "../core/plan";
import type { PoolUser } from "../core/pool-user";
import type { PoolProfile } from "../core/profile";
import { applyRenames, matchRenames } from "../core/renames";
import { type AppliedDigests, normalizeUsername, usernameDigest } from "../core/user-digest";
import type { PoolDescription } from "../aws/pool-users";
import { emailChangeModel } from "./sign-in-model";

/** A user renamed in place: the old account's username to call AWS with, and its managed groups. */
export interface InPlaceRename {
  handle: string;
  groups: ReadonlySet<string>;
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
  removed: { pool: PoolDescription; users: ReadonlyMap<string, PoolUser>; memberships?: ReadonlyMap<string, ReadonlySet<string>> },
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
 * A removed account that is the same account as a declared user (same `sub`: in a pool that signs in by email, the
 * new address already reaches the old account) is not a removal: taking it out would lock that declared user out.
 */
export function dropDeclaredAccounts(removedPoolUsers: Map<string, PoolUser>, observed: ReadonlyMap<string, PoolUser | null>): void {
  const declaredSubs = new Set([...observed.values()].map((u) => u?.attributes.sub).filter((s): s is string => s !== undefined));
  for (const [digest, user] of removedPoolUsers)
    if (user.attributes.sub && declaredSubs.has(user.attributes.sub)) removedPoolUsers.delete(digest);
}
