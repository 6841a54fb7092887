/**
 * Digests of declared users: what the roster remembers about the users it applied, without personal data.
 *
 * The Pulumi state (and the CLI's applied-state file) keep, per user, a short digest of the username and a short
 * digest of the declared values — 16 base64url characters each, 96 bits — and, once known, the account's Cognito
 * `sub` (an opaque id, not personal data; 22 characters for a UUID: see `withSub`), so a state entry costs about
 * 61 bytes. Comparing digests tells which users changed since the last successful apply without reading the pool;
 * the `sub` finds a user who disappears from the files with one point read, without their username.
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
  const values = declaredPart(recorded);
  const at = values.indexOf(PART_SEPARATOR);
  return at < 0 ? values : values.slice(0, at);
}

/** The membership part of a recorded digest ("" when the user was recorded in no group). */
export function membershipPart(recorded: string): string {
  const values = declaredPart(recorded);
  const at = values.indexOf(PART_SEPARATOR);
  return at < 0 ? "" : values.slice(at + 1);
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
  // The `sub` is what the pool assigned, not what the files declare: it leaves the roster's digest alone.
  for (const key of Object.keys(digests).sort()) hash.update(`${key}:${declaredPart(digests[key])}\n`);
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

/** The `sub` of a record entry kept for a removed user, or undefined for a declared user's digest. @internal */
export function removedSubOf(recorded: string): string | undefined {
  return recorded.startsWith(REMOVED_PREFIX) ? recorded.slice(REMOVED_PREFIX.length) : undefined;
}

/**
 * A declared user's entry also keeps the account's `sub` once the roster has seen it, after the declared values:
 * `~` and 22 base64url characters for a lowercase UUID (what Cognito assigns: 16 bytes instead of 36 characters),
 * `!` and the base64url of its UTF-8 for any other value (lossless: the pool's value is never reshaped). Neither
 * `~` nor `!` occurs in a digest. A user who disappears from the files is then read by that `sub`
 * (engine/find-removed-users.ts) at one call, without a base and without a scan. Entries written before subs were
 * kept have none: the first scan that sees those users fills them in (engine/subs-of-applied-users.ts).
 */
const UUID_SUB = "~";
const OTHER_SUB = "!";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `recorded` (a declared user's digest) with `sub` kept after it; unchanged when the sub is not known. */
export function withSub(recorded: string, sub: string | undefined): string {
  const values = declaredPart(recorded);
  if (sub === undefined || sub === "") return values;
  if (UUID.test(sub)) return `${values}${UUID_SUB}${Buffer.from(sub.replace(/-/g, ""), "hex").toString("base64url")}`;
  return `${values}${OTHER_SUB}${Buffer.from(sub, "utf8").toString("base64url")}`;
}

/** The `sub` an entry keeps — a declared user's (`withSub`) or a removed user's (`removedEntry`) — if any. */
export function recordedSub(recorded: string): string | undefined {
  const removed = removedSubOf(recorded);
  if (removed !== undefined) return removed;
  const at = subStart(recorded);
  if (at < 0) return undefined;
  const encoded = recorded.slice(at + 1);
  // A damaged entry names no account (read by it, it would find none and hide the user): as good as none.
  if (!/^[\w-]+$/.test(encoded) || (recorded[at] === UUID_SUB && encoded.length !== 22)) return undefined;
  if (recorded[at] === OTHER_SUB) return Buffer.from(encoded, "base64url").toString("utf8");
  const hex = Buffer.from(encoded, "base64url").toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A declared user's entry without its `sub`: the digest of the declared values, as `declaredValuesDigest` gives it. */
export function declaredPart(recorded: string): string {
  if (recorded.startsWith(REMOVED_PREFIX)) return recorded;
  const at = subStart(recorded);
  return at < 0 ? recorded : recorded.slice(0, at);
}

function subStart(recorded: string): number {
  const uuid = recorded.indexOf(UUID_SUB);
  return uuid >= 0 ? uuid : recorded.indexOf(OTHER_SUB);
}
