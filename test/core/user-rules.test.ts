import { csvHeaderForProfile } from "../../core/profile";
import { buildUserRuleContext, checkAttributeValue } from "../../core/user-rules";
import { checkUsername } from "../../core/username-rules";
import { checkMergedUser, estimateCsvRowLength } from "../../core/merged-user-rules";
import { fixtureProfile } from "./fixture-cases";

const profile = fixtureProfile();
const ctx = buildUserRuleContext(profile, csvHeaderForProfile(profile));
const codes = (findings: readonly { code: string }[]) => findings.map((f) => f.code);
const always = () => true;

describe("user rules", () => {
  it.each([
    ["", ["USERNAME_EMPTY"]],
    ["a".repeat(129), ["USERNAME_TOO_LONG"]],
    ["a".repeat(128), []],
    ["ann example", ["USERNAME_WHITESPACE"]],
    ["ann\u00a0example", ["USERNAME_WHITESPACE"]],
    ["ann\u2003example", ["USERNAME_WHITESPACE"]],
    ["ann\texample", ["USERNAME_WHITESPACE"]],
    ['ann"example', ["UNREPRESENTABLE_CHARACTER"]],
    ["ann\u200bexample", ["USERNAME_INVALID_CHARACTER"]],
    ["zoë@example.com", []],
  ])("username %j", (username, expected) => {
    expect(codes(checkUsername(username, ctx))).toEqual(expected);
  });

  it.each([
    ["given_name", "Ann", []],
    ["given_name", "Ann\nB", ["UNREPRESENTABLE_CHARACTER"]],
    ["given_name", "back\\slash", ["UNREPRESENTABLE_CHARACTER"]],
    ["given_name", "tab\there", ["UNREPRESENTABLE_CHARACTER"]],
    ["given_name", " Ann", ["SURROUNDING_WHITESPACE"]],
    ["address", "1 Road, Leeds", []],
    ["mfa_enabled", false, ["MFA_CONTRADICTS_POOL"]],
    ["mfa_enabled", true, []],
    ["custom:tisId", "", ["CUSTOM_ATTRIBUTE_INVALID"]],
    ["custom:tisId", 123, ["CUSTOM_ATTRIBUTE_INVALID"]],
    ["custom:tisId", "x".repeat(21), ["CUSTOM_ATTRIBUTE_INVALID"]],
    ["custom:grade", "1", ["UNKNOWN_CUSTOM_ATTRIBUTE"]],
  ])("value %s: %j", (key, value, expected) => {
    expect(codes(checkAttributeValue(key, value, ctx))).toEqual(expected);
  });

  const good = { username: "a@example.com", email: "a@example.com", email_verified: true, mfa_enabled: true, "custom:tisId": "1" };
  it.each([
    ["a complete user", {}, []],
    ["verified without email", { email: undefined }, ["VERIFIED_WITHOUT_VALUE", "MISSING_REQUIRED_ATTRIBUTE"]],
    ["phone verified without phone", { phone_number_verified: true }, ["VERIFIED_WITHOUT_VALUE"]],
    ["no auto-verified attribute", { email_verified: false }, ["NO_AUTO_VERIFIED_ATTRIBUTE"]],
    ["no mfa", { mfa_enabled: undefined }, ["MFA_MISSING"]],
    ["username not the email", { username: "ann" }, ["USERNAME_NOT_EMAIL"]],
    ["a huge row", { address: "x".repeat(16000) }, ["CSV_ROW_TOO_LONG"]],
  ])("merged user: %s", (_label, change, expected) => {
    const merged: Record<string, unknown> = { ...good, ...change };
    for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
    expect(codes(checkMergedUser(merged, ctx, always))).toEqual(expected);
  });

  it("estimates the CSV row: every header column, commas doubled, booleans as TRUE/FALSE", () => {
    const header = ["email", "email_verified", "cognito:mfa_enabled", "cognito:username"];
    // "a,b" → "a\,b" (4) + "TRUE" (4) + "FALSE" (5) + "u" (1) + 3 separators
    expect(estimateCsvRowLength({ email: "a,b", email_verified: true, mfa_enabled: false, username: "u" }, header)).toBe(17);
    expect(estimateCsvRowLength({}, header)).toBe(3);
  });
});
