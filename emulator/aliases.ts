/**
 * Alias rules of a pool with AliasAttributes (developer guide, "User pool attributes → Aliases"):
 * - "If email is selected as an alias, a username can't match a valid email format. Similarly, if phone number is
 *   selected as an alias, a username that matches a valid phone number pattern is not accepted";
 * - "Alias values must be unique in a user pool … the value provided can be in a verified state in only one
 *   account": a second user with the same verified email (phone) is refused with AliasExistsException, unless the
 *   request forces it (AdminCreateUser/ConfirmSignUp `ForceAliasCreation`), which "moves the alias from the previous
 *   account to the newly created account, and it also marks the attribute unverified in the previous account";
 * - "Phone numbers and email addresses only become active aliases for a user after [they] are verified".
 * Import rows follow the same rules (an import has no ForceAliasCreation): the row fails.
 */
import { invalidParameter, ServiceError } from "./errors";
import type { PoolState } from "./emulator-state";
import type { StoredUser } from "./users-store";

/** What the service calls an email and a phone number for this rule (the shapes AdminCreateUser checks too). */
const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+$/u;
const PHONE_SHAPE = /^\+[0-9]{2,15}$/;

/** Why `username` cannot be a username in this pool, or undefined. */
export function aliasShapedUsername(p: PoolState, username: string): string | undefined {
  const aliases = p.config.aliasAttributes;
  if (aliases.includes("email") && EMAIL_SHAPE.test(username))
    return "Username cannot be of email format, since user pool is configured for email alias.";
  if (aliases.includes("phone_number") && PHONE_SHAPE.test(username))
    return "Username cannot be of phone number format, since user pool is configured for phone number alias.";
  return undefined;
}

/** AdminCreateUser's check: InvalidParameterException for an alias-shaped username. */
export function refuseAliasShapedUsername(p: PoolState, username: string): void {
  const reason = aliasShapedUsername(p, username);
  if (reason) throw invalidParameter(reason);
}

/** The verifiable aliases (email, phone_number) `attrs` makes active: named as aliases and verified. */
function activeAliases(p: PoolState, attrs: Record<string, string>): { name: string; value: string }[] {
  return p.config.aliasAttributes
    .filter((name) => name === "email" || name === "phone_number")
    .filter((name) => attrs[name] !== undefined && attrs[name] !== "" && attrs[`${name}_verified`] === "true")
    .map((name) => ({ name, value: attrs[name] }));
}

/** Another user holding `name` = `value` as an active (verified) alias; an email compared as the pool compares it. */
function holderOf(p: PoolState, name: string, value: string, except: StoredUser | undefined): StoredUser | undefined {
  return p.users.withAttribute(name, value).find((u) => u !== except && u.attributes[`${name}_verified`] === "true");
}

/** The message AliasExistsException carries. */
function aliasExists(name: string): ServiceError {
  return new ServiceError(
    "AliasExistsException",
    `An account with the given ${name === "email" ? "email" : "phone number"} already exists.`,
  );
}

/**
 * Checks the aliases `attrs` would make active for `user` (undefined: a user being created). With `force`, the alias
 * moves: the previous holder keeps the value, unverified. Returns the reason an import row fails, or throws.
 */
export function claimAliases(
  p: PoolState,
  attrs: Record<string, string>,
  user: StoredUser | undefined,
  mode: { force: boolean } | "import-row",
): string | undefined {
  for (const { name, value } of activeAliases(p, attrs)) {
    const holder = holderOf(p, name, value, user);
    if (!holder) continue;
    if (mode === "import-row")
      return `AliasExistsException: An account with the given ${name === "email" ? "email" : "phone number"} already exists.`;
    if (!mode.force) throw aliasExists(name);
    p.users.setAttributes(holder, { [`${name}_verified`]: "false" });
  }
  return undefined;
}
