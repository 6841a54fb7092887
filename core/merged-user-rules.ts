/**
 * The rules across the keys of one user after `defaults` are merged under it: an access window that is not empty,
 * verified flags with values, an auto-verified attribute, MFA declared, the pool's required attributes, username =
 * email where the pool says so, the contact policy (core/contact-policy.ts), and an import CSV row within Cognito's
 * limit. Pure: the merged values and the rule context in, findings out.
 */
import { MFA_COLUMN, USERNAME_COLUMN } from "./declared-user";
import { shorten } from "./diagnostics";
import { checkContactPolicy } from "./contact-policy";
import { MAX_CSV_ROW_LENGTH } from "./cognito-quotas";
import { signInName } from "./sign-in-name";
import { errorFinding, type UserFinding } from "./user-finding";
import type { UserRuleContext } from "./user-rules";

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
        errorFinding(
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
    errorFinding(
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
    errorFinding(
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
      findings.push(
        errorFinding("MISSING_REQUIRED_ATTRIBUTE", undefined, "entry", `the pool requires ${attribute}, and this user has none`),
      );
    }
  }
};

const usernameIsEmail: MergedUserCheck = (merged, { profile }, usable, findings) => {
  const username = merged.username;
  if (!profile.usernameMustEqualEmail || typeof username !== "string" || username === "" || !usable("username")) return;
  // A pool with username attributes has its own rule for this (usernameIsSignInAttribute): one message, not two.
  if ((profile.usernameAttributes ?? []).length > 0) return;
  const email = merged.email;
  if (typeof email === "string" && usable("email")) {
    if (email !== "" && email !== username) {
      findings.push(
        errorFinding("USERNAME_NOT_EMAIL", "username", "value", `username must equal the email address (${shorten(email)}) in this pool`),
      );
    }
  } else if (!isPresent(merged, "email") && !profile.requiredAttributes.includes("email")) {
    findings.push(
      errorFinding(
        "USERNAME_NOT_EMAIL",
        "username",
        "value",
        "username must equal the email address in this pool, and this user has no email",
      ),
    );
  }
};

/**
 * A pool with `usernameAttributes` (email and/or phone_number as the username) generates each account's username;
 * the person signs in with the email or phone, which the import CSV's `cognito:username` carries and by which the
 * roster reaches the account (core/sign-in-name.ts). So the declared username must be exactly that value: the email,
 * or with `[phone_number]` the phone number, or with both the email when the user has one, else the phone number.
 */
const usernameIsSignInAttribute: MergedUserCheck = (merged, { profile }, usable, findings) => {
  const attributes = profile.usernameAttributes ?? [];
  const username = merged.username;
  if (attributes.length === 0 || typeof username !== "string" || username === "" || !usable("username")) return;
  if (!attributes.every((a) => usable(a))) return;
  const expected = signInName(merged, attributes);
  if (expected === username) return;
  const what = attributes.length === 2 ? "email (or, without one, phone_number)" : attributes[0];
  findings.push(
    errorFinding(
      "USERNAME_NOT_SIGN_IN_ATTRIBUTE",
      "username",
      "value",
      expected === undefined
        ? `this pool signs in with ${what} instead of a username (stack setting usernameAttributes), and this user has none`
        : `username must be the user's ${what}, ${shorten(expected)}: ` +
            "this pool signs in with it instead of a username (stack setting usernameAttributes)",
    ),
  );
};

const contactPolicyMet: MergedUserCheck = (merged, { profile }, usable, findings) => {
  findings.push(...checkContactPolicy(merged, profile, usable, findings));
};

const csvRowFits: MergedUserCheck = (merged, { csvHeader }, _usable, findings) => {
  const rowLength = estimateCsvRowLength(merged, csvHeader);
  if (rowLength <= MAX_CSV_ROW_LENGTH) return;
  findings.push(
    errorFinding(
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
    errorFinding(
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
  usernameIsSignInAttribute,
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

function countCommas(text: string): number {
  let count = 0;
  for (let i = text.indexOf(","); i !== -1; i = text.indexOf(",", i + 1)) count += 1;
  return count;
}
