/**
 * Reads the users files at a pull request's base (`cognito-roster plan --base-users DIR`) so core/base-users.ts can name
 * the users the pull request removes.
 */
import { type BaseDeclaration, declarationsByDigest } from "../core/base-users";
import type { PoolProfile } from "../core/profile";
import { loadRoster } from "./load-roster";

/**
 * The base's declarations by username digest. `baseUsersDir` is the base's users folder checked out anywhere;
 * `usersPath` is that folder's path in the repository (`users`), so files are named as reviewers know them.
 */
export function loadBaseDeclarations(baseUsersDir: string, usersPath: string, profile: PoolProfile): Map<string, BaseDeclaration> {
  const loaded = loadRoster({ usersDir: baseUsersDir, repoRoot: baseUsersDir, profile });
  return declarationsByDigest(loaded.users, usersPath, profile);
}
