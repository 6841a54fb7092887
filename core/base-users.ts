/**
 * Names the users a pull request removes, from the users files at the pull request's base (a checkout of the
 * base commit's `users/`, `cognito-roster plan --base-users DIR`): a removal is only a digest in the applied record, and
 * the reviewer should see who it is and where they were declared. Never from the pool: the plan shows only names
 * the repository's own history already holds.
 *
 * Matching is by username digest, as the applied record is keyed. Base files are read (load/base-users.ts), not
 * judged: a base file with errors still names the users it declares validly, and a user it cannot name stays a digest.
 */
import type { DeclaredUser } from "./declared-user";
import { type RosterPlan, withPlanParts } from "./plan";
import type { PoolProfile } from "./profile";
import { usernameDigest } from "./user-digest";

export interface BaseDeclaration {
  username: string;
  /** As in the repository: `users/<office>/<file>.yaml`. */
  file: string;
  line: number;
}

/** Pure: each user's digest → its username and `usersPath/<file>:line`. */
export function declarationsByDigest(
  users: readonly DeclaredUser[],
  usersPath: string,
  profile: Pick<PoolProfile, "userPoolId" | "usernameCaseSensitive">,
): Map<string, BaseDeclaration> {
  const prefix = usersPath === "" || usersPath === "." ? "" : `${usersPath.replace(/\/+$/, "")}/`;
  const byDigest = new Map<string, BaseDeclaration>();
  for (const user of users) {
    const digest = usernameDigest(profile.userPoolId, user.username, profile.usernameCaseSensitive);
    byDigest.set(digest, { username: user.username, file: `${prefix}${user.source.file}`, line: user.source.line });
  }
  return byDigest;
}

/**
 * The plan with `declaredAtBase` on every removal the base declares and `fromBase` on every rename from one (a new
 * plan: plans are frozen), and how many removals were named.
 */
export function namedFromBase(plan: RosterPlan, base: ReadonlyMap<string, BaseDeclaration>): { plan: RosterPlan; named: number } {
  let named = 0;
  const remove = plan.remove.map((removal) => {
    const declared = base.get(removal.usernameDigest);
    if (!declared) return removal;
    named++;
    return { ...removal, declaredAtBase: declared };
  });
  const renames = plan.renames?.map((rename) => {
    const declared = base.get(rename.fromDigest);
    return declared ? { ...rename, fromBase: declared } : rename;
  });
  return { plan: withPlanParts(plan, { remove, renames }), named };
}
