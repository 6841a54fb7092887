/**
 * Finding the user an Admin* request names. The API reference (AdminGetUser and the other Admin* operations,
 * `Username`): "The value of this parameter is typically your user's username, but it can be any of their alias
 * attributes. If username isn't an alias attribute in your user pool, this value must be the sub of a local
 * user". So: the username (case-folded in a case-insensitive pool), else the `sub`, else an alias — `email`,
 * `phone_number` or `preferred_username` when the pool names them in AliasAttributes (email and phone only
 * once verified: the developer guide's "User pool attributes → Aliases"), or `email`/`phone_number` when the pool
 * names them in UsernameAttributes.
 */
import { userNotFound } from "./errors";
import type { PoolState } from "./emulator-state";
import type { StoredUser } from "./users-store";

/** The user named by `username` (username, sub or alias), or undefined. */
export function lookUpUser(p: PoolState, username: string): StoredUser | undefined {
  return p.users.get(username) ?? p.users.bySub(username) ?? byAlias(p, username);
}

/** As lookUpUser, or UserNotFoundException "User does not exist.". */
export function requireUser(p: PoolState, username: string): StoredUser {
  const u = lookUpUser(p, username);
  if (!u) throw userNotFound();
  return u;
}

/** The attributes that sign a user in besides the username, with whether they must be verified to count. */
function signInAttributes(p: PoolState): { name: string; mustBeVerified: boolean }[] {
  const c = p.config;
  const out = c.aliasAttributes.map((name) => ({ name, mustBeVerified: name !== "preferred_username" }));
  for (const name of c.usernameAttributes) out.push({ name, mustBeVerified: false });
  return out;
}

/** Case folding for alias values: email and preferred_username follow the pool's case sensitivity. */
function foldAlias(name: string, value: string, caseSensitive: boolean): string {
  return !caseSensitive && (name === "email" || name === "preferred_username") ? value.toLowerCase() : value;
}

/** A linear scan: only pools with alias or username attributes get here, and only when the username missed. */
function byAlias(p: PoolState, value: string): StoredUser | undefined {
  const attrs = signInAttributes(p);
  if (attrs.length === 0) return undefined;
  const cs = p.config.caseSensitive;
  for (const u of p.users.all()) {
    for (const { name, mustBeVerified } of attrs) {
      const v = u.attributes[name];
      if (v === undefined || foldAlias(name, v, cs) !== foldAlias(name, value, cs)) continue;
      if (mustBeVerified && u.attributes[`${name}_verified`] !== "true") continue;
      return u;
    }
  }
  return undefined;
}
