/**
 * Digests of declared users: what the roster remembers about the users it applied, without personal data.
 *
 * The Pulumi state (and the CLI's applied-state file) keep, per user, a short digest of the username and a short
 * digest of the declared values — 16 base64url characters each, 96 bits, so a state entry costs under 40 bytes.
 * Comparing digests tells which users changed since the last successful apply without reading the pool.
 */
import { createHash } from "node:crypto";
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

/**
 * Digest of everything the roster declares for one user; attribute order does not matter. Two parts: the
 * account (attributes, enabled, MFA) and, after a `.`, the user's group memberships — only when the user declares
 * groups, so a user without groups keeps the digest it had before groups existed. The parts are compared apart
 * (`accountPart`, `membershipPart`): a pull request that only changes groups reads memberships, not users.
 */
export function declaredValuesDigest(user: DeclaredUser): string {
  const groups = membershipDigest(user);
  return groups === "" ? accountDigest(user) : `${accountDigest(user)}${PART_SEPARATOR}${groups}`;
}

/** The account part alone: attributes, enabled, MFA. */
export function accountDigest(user: DeclaredUser): string {
  const attributes = Object.keys(user.attributes)
    .sort()
    .map((name) => [name, user.attributes[name]]);
  return shortDigest(JSON.stringify([user.enabled, user.mfaEnabled, attributes]));
}

/** The membership part alone: "" for a user in no group. */
export function membershipDigest(user: DeclaredUser): string {
  const groups = user.groups ?? [];
  return groups.length === 0 ? "" : shortDigest(JSON.stringify(["groups", [...groups].sort()]));
}

/** `.` never occurs in a base64url digest. */
const PART_SEPARATOR = ".";

/** The account part of a recorded digest. */
export function accountPart(recorded: string): string {
  const at = recorded.indexOf(PART_SEPARATOR);
  return at < 0 ? recorded : recorded.slice(0, at);
}

/** The membership part of a recorded digest ("" when the user was recorded in no group). */
export function membershipPart(recorded: string): string {
  const at = recorded.indexOf(PART_SEPARATOR);
  return at < 0 ? "" : recorded.slice(at + 1);
}

/**
 * A recorded digest whose membership part is known not to be applied (a failed AdminAddUserToGroup): it matches
 * no declaration, so the next run reads that user's memberships again and redoes what is missing.
 */
export function withMembershipsPending(account: string): string {
  return `${account}${PART_SEPARATOR}pending`;
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

/**
 * A user no longer declared who still had access after the last apply (a `retain` stack, or a removal that failed)
 * is kept in the record by Cognito's `sub` — an opaque id, not personal data, which Admin* calls accept in place of
 * the username — so every later plan reads that one user again (one AdminGetUser, never a scan) until their access
 * is gone. `:` never occurs in a base64url digest.
 */
const REMOVED_PREFIX = "removed:";

export function removedEntry(sub: string): string {
  return `${REMOVED_PREFIX}${sub}`;
}

/** The `sub` of a record entry kept for a removed user, or undefined for a declared user's digest. */
export function removedSubOf(recorded: string): string | undefined {
  return recorded.startsWith(REMOVED_PREFIX) ? recorded.slice(REMOVED_PREFIX.length) : undefined;
}
