/**
 * The rules one declared user must satisfy beyond the JSON Schema: Cognito's import CSV rules and the pool
 * profile's rules (house rules included). This module holds the rule context and the checks of one attribute value
 * on its own (custom attributes against the pool's, MFA against the pool's, length, CSV text); the username's rules
 * are in core/username-rules.ts, the rules across a user's keys in core/merged-user-rules.ts.
 *
 * Pure functions over plain values: no YAML, no files, no positions. A finding (core/user-finding.ts) names the key
 * it is about and whether it points at the key, the value, or the whole entry; the caller turns that into a
 * file:line:col. Values the schema already rejected (wrong type, bad email…) are skipped by the caller, so one
 * mistake gives one diagnostic.
 */
import { shorten } from "./diagnostics";
import type { PoolProfile } from "./profile";
import { compileUsernamePattern, type UsernamePattern } from "./username-pattern";
import { compareWholeNumbers, DECIMAL_WHOLE_NUMBER, hasNonCanonicalDigits, numberFormProblem } from "./number-text";
import { ANY_CSV_TEXT_PROBLEM, checkCsvText, codePointLength } from "./csv-text-rules";
import { errorFinding, NO_FINDINGS, type UserFinding } from "./user-finding";

export interface UserRuleContext {
  profile: PoolProfile;
  /** The columns of the import CSV header the rows will be rendered with (see `csvHeaderForProfile`). */
  csvHeader: ReadonlySet<string>;
  /** `profile.usernamePattern`, compiled once per run for a linear-time engine (core/username-pattern.ts). */
  usernamePattern?: UsernamePattern;
}

/**
 * Cognito's limit on any attribute value (AttributeType.Value, standard and custom), in Unicode characters (code
 * points, as AWS's Smithy models count string lengths). See docs/users-files.md for the sources.
 */
const MAX_ATTRIBUTE_LENGTH = 2048;

const CUSTOM_PREFIX = "custom:";

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
    findings.push(errorFinding("UNKNOWN_CUSTOM_ATTRIBUTE", key, "key", `the pool has no custom attribute ${key} (it has: ${list})`));
    return false;
  }
  return spec.type === "String"
    ? checkCustomString(key, value, spec, findings, written)
    : checkCustomNumber(key, value, spec, findings, written);
}

function checkCustomString(key: string, value: unknown, spec: CustomAttributeSpec, findings: UserFinding[], written?: string): boolean {
  if (typeof value !== "string") {
    // The text as written, quoted: `0012` quoted is "0012", not the "12" YAML read.
    findings.push(
      errorFinding("CUSTOM_ATTRIBUTE_INVALID", key, "value", `${key} is a String attribute: ${quoteHint(written ?? String(value))}`),
    );
    return false;
  }
  const length = [...value].length;
  if (spec.minLength !== undefined && length < spec.minLength) {
    findings.push(
      errorFinding("CUSTOM_ATTRIBUTE_INVALID", key, "value", `${key} must be at least ${spec.minLength} characters (got ${length})`),
    );
  }
  if (spec.maxLength !== undefined && length > spec.maxLength) {
    findings.push(
      errorFinding("CUSTOM_ATTRIBUTE_INVALID", key, "value", `${key} must be at most ${spec.maxLength} characters (got ${length})`),
    );
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
    findings.push(errorFinding("CUSTOM_ATTRIBUTE_INVALID", key, "value", `${key} is a Number attribute: ${fix}`));
    return false;
  }
  const text = written ?? String(value);
  const problem = numberFormProblem(text);
  if (problem !== undefined) {
    findings.push(errorFinding("CUSTOM_ATTRIBUTE_INVALID", key, "value", `${key}: ${problem}`));
    return false;
  }
  if (text.length > MAX_ATTRIBUTE_LENGTH) {
    findings.push(
      errorFinding(
        "ATTRIBUTE_TOO_LONG",
        key,
        "value",
        `${key} is ${text.length} digits; Cognito allows at most ${MAX_ATTRIBUTE_LENGTH} characters for any attribute`,
      ),
    );
    return false;
  }
  if (spec.minValue !== undefined && compareWholeNumbers(text, spec.minValue) < 0) {
    findings.push(
      errorFinding("CUSTOM_ATTRIBUTE_INVALID", key, "value", `${key} must be at least ${spec.minValue} (got ${shorten(text)})`),
    );
  }
  if (spec.maxValue !== undefined && compareWholeNumbers(text, spec.maxValue) > 0) {
    findings.push(errorFinding("CUSTOM_ATTRIBUTE_INVALID", key, "value", `${key} must be at most ${spec.maxValue} (got ${shorten(text)})`));
  }
  if (hasNonCanonicalDigits(text)) {
    const canonical = BigInt(text).toString();
    findings.push({
      code: "NUMBER_NOT_CANONICAL",
      severity: "warning",
      key,
      part: "value",
      message:
        `${key} ${shorten(text)} reaches the pool as written ("${shorten(text)}"), ` +
        `but an application reading it as a number sees ${canonical}: write ${canonical} unless the digits themselves matter`,
    });
  }
  return true;
}

function checkMfaAgreesWithPool(value: boolean, mfa: PoolProfile["mfaConfiguration"], findings: UserFinding[]): void {
  if ((mfa === "ON" && !value) || (mfa === "OFF" && value)) {
    findings.push(
      errorFinding(
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
      errorFinding(
        "ATTRIBUTE_TOO_LONG",
        key,
        "value",
        `${key} is ${length} characters; Cognito allows at most ${MAX_ATTRIBUTE_LENGTH} for any attribute`,
      ),
    );
}
