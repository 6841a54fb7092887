/**
 * Cognito's rules for a username, and the pool's: its length and characters, what its import CSV can carry, the
 * shapes a pool with sign-in aliases refuses, look-alike and invisible characters (core/identity-text.ts), and the
 * profile's `usernamePattern` house rule. Pure: a username and the rule context in, findings out. (Username = email
 * is a merged-user rule, core/merged-user-rules.ts.)
 */
import { codePointLength, describeCharacter, LONE_SURROGATE, loneSurrogateFinding, UNREPRESENTABLE, WHITESPACE } from "./csv-text-rules";
import { identityTextFindings } from "./identity-text";
import { errorFinding, NO_FINDINGS, type UserFinding } from "./user-finding";
import type { UserRuleContext } from "./user-rules";

/** Cognito's username length limit, in Unicode characters. */
const MAX_USERNAME_LENGTH = 128;
// Cognito's own username pattern: letters, marks, symbols, numbers, punctuation.
const COGNITO_USERNAME_CHARACTER = /[\p{L}\p{M}\p{S}\p{N}\p{P}]/u;
const COGNITO_USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Invisible, decomposed and look-alike characters in a username (core/identity-text.ts), at the value. Emails need
 * no such check: the schema's email format is ASCII only.
 */
function identityFindings(key: "username", text: string): UserFinding[] {
  return identityTextFindings(key, text).map((f) => ({ ...f, key, part: "value" }));
}

/** Cognito's username rules and the profile's pattern house rule (username = email is a merged-user rule). */
export function checkUsername(username: string, ctx: UserRuleContext): readonly UserFinding[] {
  if (username.length === 0) return [errorFinding("USERNAME_EMPTY", "username", "value", "username is empty")];
  // Fast path: within Cognito's own pattern and length, and free of CSV-breaking quotes and backslashes.
  if (username.length <= MAX_USERNAME_LENGTH && COGNITO_USERNAME.test(username) && !UNREPRESENTABLE.test(username)) {
    const aliasShaped = aliasShapedUsername(username, ctx);
    if (aliasShaped) return [aliasShaped];
    const houseRuleMet = ctx.usernamePattern === undefined || ctx.usernamePattern.test(username);
    const identity = NON_ASCII.test(username) ? identityFindings("username", username) : NO_FINDINGS;
    if (houseRuleMet) return identity;
    return [...identity, houseRuleFinding(ctx)];
  }
  if (LONE_SURROGATE.test(username)) return [loneSurrogateFinding("username")];
  const findings = [
    usernameTooLong(username),
    usernameWhitespace(username),
    usernameUnrepresentable(username),
    usernameOutsideCognito(username),
  ].filter((finding) => finding !== undefined);
  // One character, one message: look-alike and invisible characters only when nothing else was said.
  if (findings.length === 0) findings.push(...identityFindings("username", username));
  const aliasShaped = aliasShapedUsername(username, ctx);
  if (aliasShaped) findings.push(aliasShaped);
  // Past Cognito's length the username is refused already; the house rule is not run on arbitrarily long input.
  const bounded = username.length <= 2 * MAX_USERNAME_LENGTH;
  if (bounded && ctx.usernamePattern !== undefined && !ctx.usernamePattern.test(username)) findings.push(houseRuleFinding(ctx));
  return findings;
}

/** The shapes Cognito refuses as a username when the pool signs in with that attribute as an alias. */
const EMAIL_SHAPED = /^[^@\s]+@[^@\s]+$/u;
const PHONE_SHAPED = /^\+[0-9]{2,15}$/;

/**
 * A pool with `email` (`phone_number`) among its `aliasAttributes` "doesn't accept a user name that matches a valid
 * email address format" (a phone number's) — developer guide, "User pool attributes → Aliases".
 */
function aliasShapedUsername(username: string, ctx: UserRuleContext): UserFinding | undefined {
  const aliases = ctx.profile.aliasAttributes ?? [];
  const shape =
    aliases.includes("email") && EMAIL_SHAPED.test(username)
      ? "an email address"
      : aliases.includes("phone_number") && PHONE_SHAPED.test(username)
        ? "a phone number"
        : undefined;
  if (shape === undefined) return undefined;
  const alias = shape === "an email address" ? "email" : "phone_number";
  return errorFinding(
    "USERNAME_ALIAS_SHAPED",
    "username",
    "value",
    `username has the shape of ${shape}, which this pool refuses: it signs in with ${alias} as an alias (stack setting aliasAttributes)`,
  );
}

function usernameTooLong(username: string): UserFinding | undefined {
  const length = codePointLength(username);
  if (length <= MAX_USERNAME_LENGTH) return undefined;
  return errorFinding(
    "USERNAME_TOO_LONG",
    "username",
    "value",
    `username is ${length} characters; Cognito allows at most ${MAX_USERNAME_LENGTH}`,
  );
}

function usernameWhitespace(username: string): UserFinding | undefined {
  const space = WHITESPACE.exec(username);
  if (!space) return undefined;
  const where = space.index === 0 ? "a leading" : space.index + space[0].length === username.length ? "a trailing" : "an inner";
  return errorFinding(
    "USERNAME_WHITESPACE",
    "username",
    "value",
    `username has ${where} ${describeCharacter(space[0])}: Cognito usernames cannot contain spaces, tabs or any other whitespace`,
  );
}

function usernameUnrepresentable(username: string): UserFinding | undefined {
  // Whitespace has its own finding: one character, one message.
  const unrepresentable = [...username].find((c) => !WHITESPACE.test(c) && UNREPRESENTABLE.test(c));
  if (unrepresentable === undefined) return undefined;
  return errorFinding(
    "UNREPRESENTABLE_CHARACTER",
    "username",
    "value",
    `username contains a ${describeCharacter(unrepresentable)}: Cognito's import CSV has no way to carry it`,
  );
}

function usernameOutsideCognito(username: string): UserFinding | undefined {
  const outside = [...username].find((c) => !WHITESPACE.test(c) && !UNREPRESENTABLE.test(c) && !COGNITO_USERNAME_CHARACTER.test(c));
  if (outside === undefined) return undefined;
  return errorFinding(
    "USERNAME_INVALID_CHARACTER",
    "username",
    "value",
    `username contains a ${describeCharacter(outside)}, which Cognito does not allow ` +
      "(letters, marks, symbols, numbers and punctuation only)",
  );
}

function houseRuleFinding(ctx: UserRuleContext): UserFinding {
  return errorFinding(
    "USERNAME_PATTERN",
    "username",
    "value",
    `username does not match the pool's house rule /${ctx.profile.usernamePattern}/ (Cognito would import it anyway)`,
  );
}
