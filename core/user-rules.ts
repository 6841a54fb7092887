/**
 * The rules one declared user must satisfy beyond the JSON Schema: Cognito's import CSV rules and the pool
 * profile's rules (house rules included).
 *
 * Pure functions over plain values: no YAML, no files, no positions. A finding names the key it is about and
 * whether it points at the key, the value, or the whole entry; the caller turns that into a file:line:col.
 * Values the schema already rejected (wrong type, bad email…) are skipped by the caller, so one mistake
 * gives one diagnostic.
 */
import { shorten, type Severity } from "./diagnostics";
import { MFA_COLUMN, USERNAME_COLUMN } from "./declared-user";
import type { PoolProfile } from "./profile";
import { checkContactPolicy } from "./contact-policy";
import { compileUsernamePattern, type UsernamePattern } from "./username-pattern";
import { identityTextFindings } from "./identity-text";
import { compareWholeNumbers, DECIMAL_WHOLE_NUMBER, hasNonCanonicalDigits, numberFormProblem } from "./number-text";

export interface UserFinding {
  code: string;
  severity: Severity;
  message: string;
  /** The key the finding is about; absent for findings about the whole entry. */
  key?: string;
  part: "key" | "value" | "entry";
}

export interface UserRuleContext {
  profile: PoolProfile;
  /** The columns of the import CSV header the rows will be rendered with (see `csvHeaderForProfile`). */
  csvHeader: ReadonlySet<string>;
  /** `profile.usernamePattern`, compiled once per run for a linear-time engine (core/username-pattern.ts). */
  usernamePattern?: UsernamePattern;
}

/** Cognito's limit on one CSV row, in characters. */
export const MAX_CSV_ROW_LENGTH = 16000;
/** Cognito's username length limit, in Unicode characters. */
const MAX_USERNAME_LENGTH = 128;
/**
 * Cognito's limit on any attribute value (AttributeType.Value, standard and custom), in Unicode characters (code
 * points, as AWS's Smithy models count string lengths). See docs/users-files.md for the sources.
 */
const MAX_ATTRIBUTE_LENGTH = 2048;

const CUSTOM_PREFIX = "custom:";
// Line breaks, double quotes, backslashes and control characters (C0, DEL, C1, and the Unicode line/paragraph
// separators): Cognito's import CSV has no documented quoting or escaping for any of them.
const UNREPRESENTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029"\\]/;
// JavaScript's \s is Unicode-aware: every space separator (no-break spaces, em spaces…), line terminators, BOM.
const WHITESPACE = /\s/;
// Whitespace of every Unicode kind plus the invisible characters people paste by accident (zero-width spaces and
// joiners, word joiner, soft hyphen, bidi marks: Unicode's format characters) and the Hangul fillers.
const INVISIBLE = "[\\s\\p{Cf}\\u180e\\u115f\\u1160\\u3164\\uffa0]";
const LEADING_INVISIBLE = new RegExp(`^${INVISIBLE}+`, "u");
const TRAILING_INVISIBLE = new RegExp(`${INVISIBLE}+$`, "u");
// Embeddings, overrides and isolates: text that displays differently from what it is ("Trojan Source").
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
// In a u-mode class, surrogate ranges match only unpaired surrogates.
const LONE_SURROGATE = /[\ud800-\udfff]/u;
/** One test for the common case of a clean value; the precise checks run only when it matches. */
const ANY_CSV_TEXT_PROBLEM = new RegExp(
  `[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029"\\\\\\u202a-\\u202e\\u2066-\\u2069]|^${INVISIBLE}|${INVISIBLE}$|[\\ud800-\\udfff]`,
  "u",
);
// Cognito's own username pattern: letters, marks, symbols, numbers, punctuation.
const COGNITO_USERNAME_CHARACTER = /[\p{L}\p{M}\p{S}\p{N}\p{P}]/u;
const COGNITO_USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const NO_FINDINGS: readonly UserFinding[] = Object.freeze([]);
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Invisible, decomposed and look-alike characters in a username (core/identity-text.ts), at the value. Emails need
 * no such check: the schema's email format is ASCII only.
 */
function identityFindings(key: "username", text: string): UserFinding[] {
  return identityTextFindings(key, text).map((f) => ({ ...f, key, part: "value" }));
}

export function buildUserRuleContext(profile: PoolProfile, csvHeader: readonly string[]): UserRuleContext {
  return {
    profile,
    csvHeader: new Set(csvHeader),
    usernamePattern: houseRule(profile.usernamePattern),
  };
}

/** The compiled house rule; the profile was refused at load when its pattern cannot run in linear time. */
function houseRule(source: string | undefined): UsernamePattern | undefined {
  if (source === undefined) return undefined;
  const compiled = compileUsernamePattern(source);
  if ("problem" in compiled) throw new Error(`usernamePattern ${compiled.problem}`);
  return compiled;
}

/**
 * Checks of one value on its own, wherever it is written (a user entry or the file's `defaults`).
 * `username` is not handled here (see `checkUsername`). `written` is the text as the file holds it when YAML read
 * a plain scalar as a number, boolean or null (`0012` is the number 12): messages and the Number checks use it.
 */
export function checkAttributeValue(key: string, value: unknown, ctx: UserRuleContext, written?: string): readonly UserFinding[] {
  // Fast path for the usual value: a clean string of a standard attribute.
  if (
    typeof value === "string" &&
    !key.startsWith(CUSTOM_PREFIX) &&
    value.length <= MAX_ATTRIBUTE_LENGTH &&
    !ANY_CSV_TEXT_PROBLEM.test(value)
  )
    return NO_FINDINGS;
  const findings: UserFinding[] = [];
  if (key.startsWith(CUSTOM_PREFIX) && !checkCustomValue(key, value, ctx.profile, findings, written)) return findings;
  if (key === "mfa_enabled" && typeof value === "boolean") checkMfaAgreesWithPool(value, ctx.profile.mfaConfiguration, findings);
  if (typeof value === "string") {
    findings.push(...checkCsvText(key, value));
    checkAttributeLength(key, value, findings);
  }
  return findings;
}

type CustomAttributeSpec = PoolProfile["customAttributes"][string];

/**
 * Adds the findings about a custom attribute's value to `findings`. False when the pool has no such attribute or
 * the value is of the other type: one mistake, so nothing more is said about the value.
 */
function checkCustomValue(key: string, value: unknown, profile: PoolProfile, findings: UserFinding[], written?: string): boolean {
  const name = key.slice(CUSTOM_PREFIX.length);
  const spec = Object.hasOwn(profile.customAttributes, name) ? profile.customAttributes[name] : undefined;
  if (spec === undefined) {
    const known = Object.keys(profile.customAttributes).map((n) => CUSTOM_PREFIX + n);
    const list = known.length > 0 ? known.join(", ") : "none";
    findings.push(error("UNKNOWN_CUSTOM_ATTRIBUTE", key, "key", `the pool has no custom attribute ${key} (it has: ${list})`));
    return false;
  }
  return spec.type === "String"
    ? checkCustomString(key, value, spec, findings, written)
    : checkCustomNumber(key, value, spec, findings, written);
}

function checkCustomString(key: string, value: unknown, spec: CustomAttributeSpec, findings: UserFinding[], written?: string): boolean {
  if (typeof value !== "string") {
    // The text as written, quoted: `0012` quoted is "0012", not the "12" YAML read.
    findings.push(error("CUSTOM_ATTRIBUTE_INVALID", key, "value", `${key} is a String attribute: ${quoteHint(written ?? String(value))}`));
    return false;
  }
  const length = [...value].length;
  if (spec.minLength !== undefined && length < spec.minLength) {
    findings.push(error("CUSTOM_ATTRIBUTE_INVALID", key, "value", `${key} must be at least ${spec.minLength} characters (got ${length})`));
  }
  if (spec.maxLength !== undefined && length > spec.maxLength) {
    findings.push(error("CUSTOM_ATTRIBUTE_INVALID", key, "value", `${key} must be at most ${spec.maxLength} characters (got ${length})`));
  }
  return true;
}

/** "quote the value ("0012")": the text written, whole; a text too long to show whole gets no value to copy. */
function quoteHint(text: string): string {
  return text.length <= 80 ? `quote the value (${JSON.stringify(text)})` : "quote the value exactly as written";
}

/** A Number attribute is checked as the text written (see core/number-text.ts), never as the float YAML read. */
function checkCustomNumber(key: string, value: unknown, spec: CustomAttributeSpec, findings: UserFinding[], written?: string): boolean {
  if (typeof value !== "number") {
    const fix =
      typeof value === "string" && DECIMAL_WHOLE_NUMBER.test(value) ? `write ${value} unquoted` : "write a whole number, unquoted";
    findings.push(error("CUSTOM_ATTRIBUTE_INVALID", key, "value", `${key} is a Number attribute: ${fix}`));
    return false;
  }
  const text = written ?? String(value);
  const problem = numberFormProblem(text);
  if (problem !== undefined) {
    findings.push(error("CUSTOM_ATTRIBUTE_INVALID", key, "value", `${key}: ${problem}`));
    return false;
  }
  if (text.length > MAX_ATTRIBUTE_LENGTH) {
    findings.push(
      error(
        "ATTRIBUTE_TOO_LONG",
        key,
        "value",
        `${key} is ${text.length} digits; Cognito allows at most ${MAX_ATTRIBUTE_LENGTH} characters for any attribute`,
      ),
    );
    return false;
  }
  if (spec.minValue !== undefined && compareWholeNumbers(text, spec.minValue) < 0) {
    findings.push(error("CUSTOM_ATTRIBUTE_INVALID", key, "value", `${key} must be at least ${spec.minValue} (got ${shorten(text)})`));
  }
  if (spec.maxValue !== undefined && compareWholeNumbers(text, spec.maxValue) > 0) {
    findings.push(error("CUSTOM_ATTRIBUTE_INVALID", key, "value", `${key} must be at most ${spec.maxValue} (got ${shorten(text)})`));
  }
  if (hasNonCanonicalDigits(text)) {
    findings.push({
      code: "NUMBER_NOT_CANONICAL",
      severity: "warning",
      key,
      part: "value",
      message: `${key} ${shorten(text)} reaches the pool as written ("${shorten(text)}"), but an application reading it as a number sees ${BigInt(text).toString()}: write ${BigInt(text).toString()} unless the digits themselves matter`,
    });
  }
  return true;
}

function checkMfaAgreesWithPool(value: boolean, mfa: PoolProfile["mfaConfiguration"], findings: UserFinding[]): void {
  if ((mfa === "ON" && !value) || (mfa === "OFF" && value)) {
    findings.push(
      error(
        "MFA_CONTRADICTS_POOL",
        "mfa_enabled",
        "value",
        `mfa_enabled: ${value} contradicts the pool's MFA configuration ${mfa} (must be ${mfa === "ON"})`,
      ),
    );
  }
}

function checkAttributeLength(key: string, value: string, findings: UserFinding[]): void {
  // UTF-16 length bounds the code point count from above: most values need no count.
  if (value.length <= MAX_ATTRIBUTE_LENGTH) return;
  const length = codePointLength(value);
  if (length > MAX_ATTRIBUTE_LENGTH)
    findings.push(
      error(
        "ATTRIBUTE_TOO_LONG",
        key,
        "value",
        `${key} is ${length} characters; Cognito allows at most ${MAX_ATTRIBUTE_LENGTH} for any attribute`,
      ),
    );
}

/** Cognito's username rules and the profile's pattern house rule (username = email is a merged-user rule). */
export function checkUsername(username: string, ctx: UserRuleContext): readonly UserFinding[] {
  if (username.length === 0) return [error("USERNAME_EMPTY", "username", "value", "username is empty")];
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
  return error(
    "USERNAME_ALIAS_SHAPED",
    "username",
    "value",
    `username has the shape of ${shape}, which this pool refuses: it signs in with ${shape === "an email address" ? "email" : "phone_number"} as an alias (stack setting aliasAttributes)`,
  );
}

function usernameTooLong(username: string): UserFinding | undefined {
  const length = codePointLength(username);
  if (length <= MAX_USERNAME_LENGTH) return undefined;
  return error("USERNAME_TOO_LONG", "username", "value", `username is ${length} characters; Cognito allows at most ${MAX_USERNAME_LENGTH}`);
}

function usernameWhitespace(username: string): UserFinding | undefined {
  const space = WHITESPACE.exec(username);
  if (!space) return undefined;
  const where = space.index === 0 ? "a leading" : space.index + space[0].length === username.length ? "a trailing" : "an inner";
  return error(
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
  return error(
    "UNREPRESENTABLE_CHARACTER",
    "username",
    "value",
    `username contains a ${describeCharacter(unrepresentable)}: Cognito's import CSV has no way to carry it`,
  );
}

function usernameOutsideCognito(username: string): UserFinding | undefined {
  const outside = [...username].find((c) => !WHITESPACE.test(c) && !UNREPRESENTABLE.test(c) && !COGNITO_USERNAME_CHARACTER.test(c));
  if (outside === undefined) return undefined;
  return error(
    "USERNAME_INVALID_CHARACTER",
    "username",
    "value",
    `username contains a ${describeCharacter(outside)}, which Cognito does not allow (letters, marks, symbols, numbers and punctuation only)`,
  );
}

function houseRuleFinding(ctx: UserRuleContext): UserFinding {
  return error(
    "USERNAME_PATTERN",
    "username",
    "value",
    `username does not match the pool's house rule /${ctx.profile.usernamePattern}/ (Cognito would import it anyway)`,
  );
}

/**
 * Checks across the keys of one user after `defaults` are merged under it. `usable(key)` says whether the
 * merged value of `key` passed the schema (so a rejected value is not reported a second time here).
 */
export function checkMergedUser(
  merged: Readonly<Record<string, unknown>>,
  ctx: UserRuleContext,
  usable: (key: string) => boolean,
): UserFinding[] {
  const findings: UserFinding[] = [];
  for (const check of MERGED_USER_CHECKS) check(merged, ctx, usable, findings);
  return findings;
}

/** One rule across a merged user's keys: adds its findings to `findings` (which it may read: see contact policy). */
type MergedUserCheck = (
  merged: Readonly<Record<string, unknown>>,
  ctx: UserRuleContext,
  usable: (key: string) => boolean,
  findings: UserFinding[],
) => void;

function isPresent(merged: Readonly<Record<string, unknown>>, key: string): boolean {
  return merged[key] !== undefined && merged[key] !== null && merged[key] !== "";
}

const verifiedFlagsHaveValues: MergedUserCheck = (merged, _ctx, _usable, findings) => {
  for (const attribute of ["email", "phone_number"] as const) {
    const verifiedKey = `${attribute}_verified`;
    if (merged[verifiedKey] === true && !isPresent(merged, attribute)) {
      findings.push(
        error(
          "VERIFIED_WITHOUT_VALUE",
          verifiedKey,
          "value",
          `${verifiedKey} is true but the user has no ${attribute} (Cognito rejects the row)`,
        ),
      );
    }
  }
};

const someAutoVerifiedAttribute: MergedUserCheck = (merged, { profile }, usable, findings) => {
  // A verified flag the schema rejected (e.g. "true" quoted) was already reported; do not add a second error.
  const verifiedKeys = profile.autoVerifiedAttributes.map((a) => `${a}_verified`);
  if (verifiedKeys.some((k) => merged[k] === true) || !verifiedKeys.every((k) => usable(k))) return;
  findings.push(
    error(
      "NO_AUTO_VERIFIED_ATTRIBUTE",
      undefined,
      "entry",
      `no auto-verified attribute is true: set ${verifiedKeys.join(" or ")}: true (Cognito fails the row otherwise)`,
    ),
  );
};

const mfaDeclared: MergedUserCheck = (merged, { profile }, usable, findings) => {
  if (merged.mfa_enabled !== undefined || !usable("mfa_enabled")) return;
  findings.push(
    error(
      "MFA_MISSING",
      undefined,
      "entry",
      `mfa_enabled is not declared (here or in defaults); the pool's MFA configuration is ${profile.mfaConfiguration}`,
    ),
  );
};

const requiredAttributesPresent: MergedUserCheck = (merged, { profile }, usable, findings) => {
  for (const attribute of profile.requiredAttributes) {
    if (!isPresent(merged, attribute) && usable(attribute)) {
      findings.push(error("MISSING_REQUIRED_ATTRIBUTE", undefined, "entry", `the pool requires ${attribute}, and this user has none`));
    }
  }
};

const usernameIsEmail: MergedUserCheck = (merged, { profile }, usable, findings) => {
  const username = merged.username;
  if (!profile.usernameMustEqualEmail || typeof username !== "string" || username === "" || !usable("username")) return;
  const email = merged.email;
  if (typeof email === "string" && usable("email")) {
    if (email !== "" && email !== username) {
      findings.push(
        error("USERNAME_NOT_EMAIL", "username", "value", `username must equal the email address (${shorten(email)}) in this pool`),
      );
    }
  } else if (!isPresent(merged, "email") && !profile.requiredAttributes.includes("email")) {
    findings.push(
      error("USERNAME_NOT_EMAIL", "username", "value", "username must equal the email address in this pool, and this user has no email"),
    );
  }
};

const contactPolicyMet: MergedUserCheck = (merged, { profile }, usable, findings) => {
  findings.push(...checkContactPolicy(merged, profile, usable, findings));
};

const csvRowFits: MergedUserCheck = (merged, { csvHeader }, _usable, findings) => {
  const rowLength = estimateCsvRowLength(merged, csvHeader);
  if (rowLength <= MAX_CSV_ROW_LENGTH) return;
  findings.push(
    error(
      "CSV_ROW_TOO_LONG",
      undefined,
      "entry",
      `this user's import CSV row would be about ${rowLength} characters; Cognito accepts at most ${MAX_CSV_ROW_LENGTH}`,
    ),
  );
};

/** In the order their findings are listed. */
/** An access window must not be empty: `endDate` is the first day without access, so it comes after `startDate`. */
const endAfterStart: MergedUserCheck = (merged, _ctx, usable, findings) => {
  const { startDate, endDate } = merged;
  if (typeof startDate !== "string" || typeof endDate !== "string" || !usable("startDate") || !usable("endDate")) return;
  if (endDate > startDate) return;
  findings.push(
    error(
      "END_NOT_AFTER_START",
      "endDate",
      "value",
      `endDate ${endDate} must be after startDate ${startDate} (the first day without access)`,
    ),
  );
};

const MERGED_USER_CHECKS: readonly MergedUserCheck[] = [
  endAfterStart,
  verifiedFlagsHaveValues,
  someAutoVerifiedAttribute,
  mfaDeclared,
  requiredAttributesPresent,
  usernameIsEmail,
  contactPolicyMet,
  csvRowFits,
];

/**
 * The length of the user's import CSV row, as rendered: every header column, joined by commas; booleans as
 * TRUE/FALSE; a comma inside a value costs two characters (`\,`). Counted in UTF-16 code units, which can only
 * overestimate.
 * @internal exported for its tests
 */
export function estimateCsvRowLength(
  merged: Readonly<Record<string, unknown>>,
  csvHeader: readonly string[] | ReadonlySet<string>,
): number {
  const columns = csvHeader instanceof Set ? csvHeader : new Set(csvHeader as readonly string[]);
  let length = Math.max(0, columns.size - 1);
  // Walk the user's few keys rather than every header column: blank columns cost only their separator.
  for (const key in merged) {
    const column = key === "username" ? USERNAME_COLUMN : key === "mfa_enabled" ? MFA_COLUMN : key;
    if (!columns.has(column)) continue;
    const value = merged[key];
    if (value === undefined || value === null) continue;
    if (typeof value === "boolean") {
      length += value ? 4 : 5;
    } else {
      const text = String(value);
      length += text.length + countCommas(text);
    }
  }
  return length;
}

function checkCsvText(key: string, value: string): UserFinding[] {
  if (LONE_SURROGATE.test(value)) return [loneSurrogateFinding(key)];
  // A line break or tab only at an edge is one mistake, whitespace, reported once as such; inside the value it
  // cannot be carried at all.
  const inner = value.replace(LEADING_INVISIBLE, "").replace(TRAILING_INVISIBLE, "");
  const surrounding = UNREPRESENTABLE.test(inner) ? undefined : surroundingWhitespace(key, value);
  if (surrounding !== undefined) return [surrounding];
  const bad = UNREPRESENTABLE.exec(inner) ?? UNREPRESENTABLE.exec(value);
  if (bad) {
    return [
      error(
        "UNREPRESENTABLE_CHARACTER",
        key,
        "value",
        `${key} contains a ${describeCharacter(bad[0])}: Cognito's import CSV has no way to carry it${bad[0] === "\t" ? " (replace the tab with a space)" : ""}`,
      ),
    ];
  }
  const bidi = BIDI_CONTROL.exec(value);
  if (bidi) {
    return [
      error(
        "BIDI_CONTROL",
        key,
        "value",
        `${key} contains a ${describeCharacter(bidi[0])}, a bidirectional control that makes text display differently from what it is: remove it`,
      ),
    ];
  }
  return [];
}

/** "given_name has a trailing no-break space (U+00A0)": the finding for a value with invisible edges, if any. */
export function surroundingWhitespace(key: string, value: string): UserFinding | undefined {
  const leading = LEADING_INVISIBLE.exec(value);
  const trailing = TRAILING_INVISIBLE.exec(value);
  if (!leading && !trailing) return undefined;
  const parts: string[] = [];
  if (leading) parts.push(`a leading ${describeCharacter(leading[0][0])}`);
  if (trailing && !(leading && leading[0].length === value.length))
    parts.push(`a trailing ${describeCharacter(trailing[0][trailing[0].length - 1])}`);
  return error(
    "SURROUNDING_WHITESPACE",
    key,
    "value",
    `${key} has ${parts.join(" and ")}: Cognito trims whitespace on import, so the pool would never match this file; remove it`,
  );
}

function loneSurrogateFinding(key: string): UserFinding {
  return error(
    "LONE_SURROGATE",
    key,
    "value",
    `${key} contains half of a surrogate pair (an escape such as \\uD800 on its own): it is not a character and cannot be stored`,
  );
}

function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    n++;
  }
  return n;
}

function countCommas(text: string): number {
  let count = 0;
  for (let i = text.indexOf(","); i !== -1; i = text.indexOf(",", i + 1)) count += 1;
  return count;
}

const CHARACTER_NAMES: Readonly<Record<string, string>> = {
  "\n": "line break",
  "\r": "carriage return",
  "\t": "tab",
  " ": "space",
  "\u00a0": "no-break space",
  "\u2028": "line separator",
  "\u2029": "paragraph separator",
  "\u200b": "zero-width space",
  "\u200c": "zero-width non-joiner",
  "\u200d": "zero-width joiner",
  "\u2060": "word joiner",
  "\ufeff": "byte-order mark / zero-width no-break space",
  "\u3000": "ideographic space",
  "\u202f": "narrow no-break space",
  "\u00ad": "soft hyphen",
  "\u202a": "left-to-right embedding",
  "\u202b": "right-to-left embedding",
  "\u202c": "pop directional formatting",
  "\u202d": "left-to-right override",
  "\u202e": "right-to-left override",
  "\u2066": "left-to-right isolate",
  "\u2067": "right-to-left isolate",
  "\u2068": "first strong isolate",
  "\u2069": "pop directional isolate",
  '"': "double quote",
  "\\": "backslash",
};

/** "space (U+0020)", "no-break space (U+00A0)", "character U+2003". */
function describeCharacter(c: string): string {
  const code = `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
  return CHARACTER_NAMES[c] !== undefined ? `${CHARACTER_NAMES[c]} (${code})` : `character ${code}`;
}

function error(code: string, key: string | undefined, part: UserFinding["part"], message: string): UserFinding {
  return key === undefined ? { code, severity: "error", message, part } : { code, severity: "error", message, key, part };
}
