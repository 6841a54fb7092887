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

/**
 * The first user, in the pool's order, holding `value` as one of its sign-in attributes (email and
 * preferred_username case-folded in a case-insensitive pool), from the pool's sign-in index (sign-in-index.ts).
 */
function byAlias(p: PoolState, value: string): StoredUser | undefined {
  let first: StoredUser | undefined;
  for (const { name, mustBeVerified } of signInAttributes(p)) {
    const holders = p.users.withAttribute(name, value);
    const at = holders.findIndex((u) => !mustBeVerified || u.attributes[`${name}_verified`] === "true");
    if (at >= 0 && (first === undefined || p.users.comesBefore(holders[at], first))) first = holders[at];
  }
  return first;
}
