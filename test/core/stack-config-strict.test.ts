/**
 * Stack config is strict (issue 21, item 7): an unknown `cognito-roster:` key is an error at the key naming the
 * closest setting; every value is type-checked and reported at its own line and column in the stack file.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseStackProfile, profileFromConfig } from "../../core/profile";

const DEV = readFileSync(path.resolve(__dirname, "../../Pulumi.dev.yaml"), "utf8");

/** The dev stack with one line replaced (or added after it). */
function devWith(line: string, replacement: string): string {
  expect(DEV).toContain(line);
  return DEV.replace(line, replacement);
}

const diagnostics = (text: string) =>
  parseStackProfile(text, "Pulumi.dev.yaml").diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`);

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

test("the dev stack is clean", () => {
  expect(diagnostics(DEV)).toEqual([]);
});

test("an unknown key is an error at the key, naming the closest setting", () => {
  const text = devWith("  cognito-roster:removedUsers: disable", "  cognito-roster:removedUsers: disable\n  cognito-roster:groupz: x");
  expect(diagnostics(text)).toEqual([
    `${lineOf(text, "groupz")}:3 CONFIG_UNKNOWN_KEY cognito-roster:groupz is not a cognito-roster setting (did you mean cognito-roster:groups?)`,
  ]);
});

test("a misspelt namespace is caught too; other providers' settings are left alone", () => {
  const text = devWith(
    "  cognito-roster:removedUsers: disable",
    "  cognito-roster:removedUsers: disable\n  cognito_roster:maxRemovalFraction: 0.1\n  aws:profile: dev",
  );
  expect(diagnostics(text)).toEqual([
    `${lineOf(text, "cognito_roster")}:3 CONFIG_UNKNOWN_KEY cognito_roster:maxRemovalFraction is not a cognito-roster setting (did you mean cognito-roster:maxRemovalFraction?)`,
  ]);
});

test.each([
  ["  aws:region: eu-west-2", '  aws:region: "eu-west-2 "', "aws:region", "has whitespace at its start or end"],
  ["  aws:region: eu-west-2", "  aws:region: europe", "aws:region", "is not an AWS Region name"],
  ["  cognito-roster:maxRemovalFraction: 0.25", '  cognito-roster:maxRemovalFraction: "lots"', "maxRemovalFraction", '(got "lots")'],
  ["  cognito-roster:maxRemovalFraction: 0.25", "  cognito-roster:maxRemovalFraction: 2", "maxRemovalFraction", "(got 2)"],
  ["  cognito-roster:usernameCaseSensitive: false", "  cognito-roster:usernameCaseSensitive: 0", "usernameCaseSensitive", "(got 0)"],
  ["  cognito-roster:userPoolName: trainee-information-system", "  cognito-roster:userPoolName: [a]", "userPoolName", "(got a list)"],
  ["  cognito-roster:removedUsers: disable", "  cognito-roster:removedUsers: Disable", "removedUsers", '(got "Disable")'],
])("%s → %s is an error at the value", (line, replacement, key, message) => {
  const text = devWith(line, replacement);
  const found = diagnostics(text);
  const valueColumn = replacement.indexOf(": ") + 3;
  expect(found).toEqual([expect.stringContaining(`${lineOf(text, key)}:${valueColumn} CONFIG_INVALID`)]);
  expect(found[0]).toContain(message);
});

describe("custom attributes: every bound checked, at its own place", () => {
  const custom = "    tisId:\n      type: String\n      minLength: 1\n      maxLength: 20";

  test.each([
    ["      minLength: 1", "      minLength: true", "minLength", "minLength must be a whole number (got true)"],
    ["      maxLength: 20", "      maxLength: 99999", "maxLength", "maxLength must be from 0 to 2048"],
    ["      minLength: 1", "      minLength: 30", "minLength", "minLength 30 is greater than maxLength 20"],
    ["      minLength: 1", "      minValue: 1", "minValue", "minValue does not apply to a String attribute"],
    ["      type: String", "      type: string", "type: string", 'type must be String or Number (got "string")'],
    ["      minLength: 1", "      minLenght: 1", "minLenght", "unknown key minLenght (did you mean minLength?)"],
  ])("%s → %s", (line, replacement, where, message) => {
    const text = devWith(custom, custom.replace(line, replacement));
    const found = diagnostics(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
    // At the nested value's own line, never at the top-level setting.
    expect(found[0].startsWith(`${lineOf(text, where)}:`)).toBe(true);
  });

  test("Number bounds are exact integers: a float beyond 2^53 is refused, decimal text accepted", () => {
    const number = '    level:\n      type: Number\n      minValue: "-5"\n      maxValue: 12345678901234567890';
    const found = diagnostics(devWith(custom, `${custom}\n${number}`));
    expect(found).toEqual([expect.stringContaining("maxValue must be a whole number (got 12345678901234567000)")]);
  });
});

test("Pulumi's text values (the provider's configure) are still read", () => {
  const r = profileFromConfig({
    "aws:region": "eu-west-2",
    "cognito-roster:userPoolId": "eu-west-2_AbC123",
    "cognito-roster:autoVerifiedAttributes": '["email"]',
    "cognito-roster:mfaConfiguration": "OFF",
    "cognito-roster:maxRemovalFraction": "0.5",
    "cognito-roster:usernameCaseSensitive": "true",
    "cognito-roster:customAttributes": '{"level":{"type":"Number","minValue":"1","maxValue":"10"}}',
  });
  expect(r.diagnostics).toEqual([]);
  expect(r.profile).toMatchObject({
    maxRemovalFraction: 0.5,
    usernameCaseSensitive: true,
    customAttributes: { level: { minValue: 1, maxValue: 10 } },
  });
});
