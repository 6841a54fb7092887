/**
 * Digests of declared users: what the roster remembers about the users it applied, without personal data.
 *
 * The Pulumi state (and the CLI's applied-state file) keep, per user, a short digest of the username and a short
 * digest of the declared values — 16 base64url characters each, 96 bits, so a state entry costs under 40 bytes.
 * Comparing digests tells which users changed since the last successful apply without reading the pool.
 */
import { createHash } from "crypto";
import type { DeclaredUser } from "./declared-user";

/** Digest of username → digest of the declared values, for every user applied. */
export type AppliedDigests = Record<string, string>;

/** The pool's view of a username: case-insensitive pools compare usernames in lower case. */
export function normalizeUsername(username: string, caseSensitive: boolean): string {
  return caseSensitive ? username : username.toLowerCase();
}

/** Salted with the pool id so equal usernames in two pools do not share a digest. */
export function usernameDigest(poolId: string, username: string, caseSensitive: boolean): string {
  return shortDigest(`${poolId}\n${normalizeUsername(username, caseSensitive)}`);
}

/** Digest of everything the roster declares for one user; attribute order does not matter. */
export function declaredValuesDigest(user: DeclaredUser): string {
  const attributes = Object.keys(user.attributes)
    .sort()
    .map((name) => [name, user.attributes[name]]);
  return shortDigest(JSON.stringify([user.enabled, user.mfaEnabled, attributes]));
}

export function digestDeclaredUsers(poolId: string, users: readonly DeclaredUser[], caseSensitive: boolean): AppliedDigests {
  const digests: AppliedDigests = {};
  for (const user of users) digests[usernameDigest(poolId, user.username, caseSensitive)] = declaredValuesDigest(user);
  return digests;
}

/** One digest of a whole roster: changes whenever any user is added, removed or changed. */
export function rosterDigest(digests: AppliedDigests): string {
  const hash = createHash("sha256");
  for (const key of Object.keys(digests).sort()) hash.update(`${key}:${digests[key]}\n`);
  return hash.digest("hex");
}

function shortDigest(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 16);
}
