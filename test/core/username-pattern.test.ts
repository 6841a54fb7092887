/**
 * The house rule runs in linear time (issue 21, item 6): a catastrophic pattern that would hang JavaScript's
 * backtracking RegExp on a 40-character username answers at once; patterns with no linear-time algorithm are
 * refused when the stack is read, at the setting.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseStackProfile, type PoolProfile } from "../../core/profile";
import { compileUsernamePattern } from "../../core/username-pattern";
import { fixtureProfile } from "./fixture-cases";
import { checkUsersFileText } from "../support/one-call";

const DEV = readFileSync(path.resolve(__dirname, "../../Pulumi.dev.yaml"), "utf8");

function stackWithPattern(pattern: string): ReturnType<typeof parseStackProfile> {
  return parseStackProfile(
    // A function replacement: the pattern's `$'` must not be read as a replacement pattern.
    DEV.replace(
      "  cognito-roster:removedUsers: disable",
      () => `  cognito-roster:removedUsers: disable\n  cognito-roster:usernamePattern: '${pattern}'`,
    ),
    "Pulumi.dev.yaml",
  );
}

test("a catastrophic pattern answers a long near-miss username (RegExp would backtrack for ever)", () => {
  const rule = compileUsernamePattern("^(a+)+$");
  if ("problem" in rule) throw new Error(rule.problem);
  // 2^100 paths for a backtracking engine; jest's timeout is the only clock needed.
  expect(rule.test(`${"a".repeat(100)}!`)).toBe(false);
  expect(rule.test("a".repeat(100))).toBe(true);
});

test("validate reports the house rule on a 40-character username from a pull request, without hanging", () => {
  const profile: PoolProfile = { ...fixtureProfile(), usernamePattern: "^([a-z]+)*@example\\.com$", usernameMustEqualEmail: false };
  const username = `${"a".repeat(40)}!@example.com`;
  const text = `users:\n  - username: "${username}"\n    email: a@example.com\n    email_verified: true\n    mfa_enabled: true\n`;
  const codes = checkUsersFileText(text, "users/x/y.yaml", profile).diagnostics.map((d) => d.code);
  expect(codes).toContain("USERNAME_PATTERN");
});

test.each([
  ["^(a)\\1$", "backreferences"],
  ["^(?=a)[a-z]+$", "lookahead"],
  ["^(?<=a)b", "lookbehind"],
  ["^a{1001}$", "{1000}"],
])("%s is refused at the setting, with the reason", (pattern, why) => {
  const r = stackWithPattern(pattern);
  expect(r.profile).toBeUndefined();
  expect(r.diagnostics).toEqual([expect.objectContaining({ code: "CONFIG_INVALID" })]);
  expect(r.diagnostics[0].message).toContain("cannot be run in linear time");
  expect(r.diagnostics[0].message).toContain(why);
});

test("an invalid JavaScript regular expression is refused as before", () => {
  expect(stackWithPattern("[a-").diagnostics[0].message).toContain("is not a valid regular expression");
});

test("ordinary house rules keep their meaning, Unicode classes included", () => {
  const r = stackWithPattern("^[\\p{L}.-]+@example\\.nhs\\.uk$");
  expect(r.diagnostics).toEqual([]);
  const rule = compileUsernamePattern(r.profile?.usernamePattern ?? "");
  if ("problem" in rule) throw new Error(rule.problem);
  expect(rule.test("zoë.o-brien@example.nhs.uk")).toBe(true);
  expect(rule.test("zoe@example.com")).toBe(false);
});
