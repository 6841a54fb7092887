/**
 * Pools with UsernameAttributes (email and/or phone_number as the username). The developer guide, "Customizing
 * sign-in attributes" → "Option 2 – Use an email address or phone number instead of a username": the username
 * given at creation must be a valid email address or phone number, it populates that attribute ("If the username
 * string is in valid email format, the user pool automatically populates the email attribute … phone number format
 * … the phone_number attribute"), anything else is refused, an email or phone already in use is refused, and the
 * pool "generates a persistent UUID for your user, and uses it as the immutable username attribute internally. This
 * UUID has the same value as the sub claim". The API reference (AdminCreateUser `Username`): "If your user pool only
 * supports phone numbers or email addresses as sign-in attributes, Amazon Cognito automatically generates a username
 * value"; (AdminGetUser and every Admin* `Username`): the value "can be any of their alias attributes".
 *
 * An import row is the same creation: its `cognito:username` is the username given (the import CSV page: required,
 * unique in the pool), so it must be an email address or phone number of an allowed kind, equal to that column when
 * the column is not blank; the user gets a generated username equal to its `sub`. A row naming an email or phone a
 * user already signs in with is that user ("The user already exists.": SKIPPED, as for a username).
 */
import { randomUUID } from "node:crypto";
import { ServiceError } from "./errors";
import type { PoolState } from "./emulator-state";
import type { StoredUser } from "./users-store";

const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+$/u;
const E164 = /^\+[1-9][0-9]{1,14}$/;

/** Which username attribute `given` is in this pool, or the service's refusal. */
export function usernameAttributeKind(p: PoolState, given: string): { kind: "email" | "phone_number" } | { refusal: string } {
  const allowed = p.config.usernameAttributes;
  if (allowed.includes("email") && EMAIL_SHAPE.test(given)) return { kind: "email" };
  if (allowed.includes("phone_number") && E164.test(given)) return { kind: "phone_number" };
  return {
    refusal:
      allowed.length === 2
        ? "Username should be either an email or a phone number."
        : allowed[0] === "email"
          ? "Username should be an email."
          : "Username should be a phone number.",
  };
}

/**
 * An import row's user in a pool with UsernameAttributes: its generated username (= its `sub`) and attributes with
 * the username attribute filled in, or the reason the row fails. Undefined in a pool without UsernameAttributes.
 */
export function importRowUser(
  p: PoolState,
  given: string,
  attributes: Record<string, string>,
): { username: string; attributes: Record<string, string> } | { reason: string } | undefined {
  if (p.config.usernameAttributes.length === 0) return undefined;
  const shape = usernameAttributeKind(p, given);
  if ("refusal" in shape) return { reason: `InvalidParameterException: ${shape.refusal}` };
  const column = attributes[shape.kind];
  const same = (a: string, b: string) =>
    shape.kind === "email" && !p.config.caseSensitive ? a.toLowerCase() === b.toLowerCase() : a === b;
  if (column !== undefined && column !== "" && !same(column, given)) {
    const name = shape.kind === "email" ? "email" : "phone_number";
    return { reason: `InvalidParameterException: User ${name} should be empty or same as username, since username attribute is ${name}.` };
  }
  const sub = randomUUID();
  return { username: sub, attributes: { ...attributes, [shape.kind]: column || given, sub } };
}

/**
 * AdminUpdateUserAttributes in a pool with UsernameAttributes: a new email / phone number another user signs in
 * with is refused (Option 2: a value "already in use" is refused; the operation's error list has
 * AliasExistsException, "an email address or phone number that has already been supplied as an alias for a
 * different user profile"), so two accounts never share the name they sign in with.
 */
export function refuseUsernameAttributeInUse(p: PoolState, user: StoredUser, attrs: Record<string, string>): void {
  for (const name of p.config.usernameAttributes) {
    const value = attrs[name];
    if (value === undefined || value === "" || value === user.attributes[name]) continue;
    if (p.users.withAttribute(name, value).some((other) => other !== user))
      throw new ServiceError(
        "AliasExistsException",
        `An account with the given ${name === "email" ? "email" : "phone number"} already exists.`,
      );
  }
}
