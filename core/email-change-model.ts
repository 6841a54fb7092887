/**
 * The pool's sign-in model, read from the run's one DescribeUserPool answer (never from the stack file: the pool
 * decides). Whether an email address can change in place for a person: when `email` is an alias (AliasAttributes)
 * or a username attribute (UsernameAttributes), the account signs in with its current email, so a new address is
 * an attribute update of the same account (same `sub`); otherwise the username is the address the files give, and
 * "a username never changes" (developer guide, "User pool attributes"): a new one is a new account.
 */
import type { PoolSettings } from "./pool-settings";

export type EmailChange = "in-place" | "new-account";

export function emailChangeModel(pool: { settings: Pick<PoolSettings, "usernameAttributes" | "aliasAttributes"> }): EmailChange {
  const { usernameAttributes, aliasAttributes } = pool.settings;
  return usernameAttributes.includes("email") || aliasAttributes.includes("email") ? "in-place" : "new-account";
}
