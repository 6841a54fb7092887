/**
 * The stack against the pool's DescribeUserPool answer (core/pool-settings.ts): one row per setting that changes a
 * validation rule or an outcome, each with the exact line the run stops with.
 */
import { compareStackWithPool, formatSettingMismatch, type PoolSettings, poolSettingsError } from "../../core/pool-settings";
import type { PoolProfile } from "../../core/profile";
import { traineeProfile } from "../support/roster-fixture";

const stack: PoolProfile = traineeProfile();

/** The pool the stack describes exactly. */
function matchingPool(): PoolSettings {
  return {
    name: stack.userPoolName,
    usernameAttributes: [],
    aliasAttributes: [],
    caseSensitive: false,
    autoVerifiedAttributes: ["email"],
    mfaConfiguration: "ON",
    requiredAttributes: ["email"],
    customAttributes: { tisId: { type: "String", minLength: 1, maxLength: 20, mutable: true } },
    attributesRequireVerificationBeforeUpdate: [],
    emailSendingAccount: "COGNITO_DEFAULT",
  };
}

test("a stack that describes its pool has no mismatch", () => {
  expect(compareStackWithPool(stack, matchingPool())).toEqual([]);
});

test("lists compare as sets; Cognito's default String bounds equal bounds not set", () => {
  const profile = { ...stack, autoVerifiedAttributes: ["phone_number", "email"] as PoolProfile["autoVerifiedAttributes"] };
  const pool = { ...matchingPool(), autoVerifiedAttributes: ["email", "phone_number"] };
  expect(compareStackWithPool(profile, pool)).toEqual([]);
  const unbounded = { ...stack, customAttributes: { tisId: { type: "String" as const } } };
  const poolDefaults = { ...matchingPool(), customAttributes: { tisId: { type: "String", minLength: 0, maxLength: 2048, mutable: true } } };
  expect(compareStackWithPool(unbounded, poolDefaults)).toEqual([]);
});

const cases: [string, Partial<PoolSettings>, string][] = [
  [
    "pool name (part of the import log group)",
    { name: "other" },
    "cognito-roster:userPoolName: stack trainee-information-system, pool other",
  ],
  ["no auto-verified attribute", { autoVerifiedAttributes: [] }, "cognito-roster:autoVerifiedAttributes: stack [email], pool []"],
  ["MFA", { mfaConfiguration: "OPTIONAL" }, "cognito-roster:mfaConfiguration: stack ON, pool OPTIONAL"],
  [
    "required attributes",
    { requiredAttributes: ["email", "family_name"] },
    "cognito-roster:requiredAttributes: stack [email], pool [email, family_name]",
  ],
  [
    "a custom attribute's constraint",
    { customAttributes: { tisId: { type: "String", minLength: 1, maxLength: 10, mutable: true } } },
    "cognito-roster:customAttributes.tisId: stack {type: String, minLength: 1, maxLength: 20, mutable: true}, pool {type: String, minLength: 1, maxLength: 10, mutable: true}",
  ],
  [
    "an immutable custom attribute",
    { customAttributes: { tisId: { type: "String", minLength: 1, maxLength: 20, mutable: false } } },
    "cognito-roster:customAttributes.tisId: stack {type: String, minLength: 1, maxLength: 20, mutable: true}, pool {type: String, minLength: 1, maxLength: 20, mutable: false}",
  ],
  [
    "a custom attribute the stack does not declare",
    {
      customAttributes: {
        tisId: { type: "String", minLength: 1, maxLength: 20, mutable: true },
        grade: { type: "Number", minValue: 1, mutable: true },
      },
    },
    "cognito-roster:customAttributes.grade: stack (not declared), pool {type: Number, minValue: 1, mutable: true}",
  ],
  [
    "a custom attribute the pool lacks",
    { customAttributes: {} },
    "cognito-roster:customAttributes.tisId: stack {type: String, minLength: 1, maxLength: 20, mutable: true}, pool (none)",
  ],
  ["case sensitivity", { caseSensitive: true }, "cognito-roster:usernameCaseSensitive: stack false, pool true"],
  ["email as the username", { usernameAttributes: ["email"] }, "cognito-roster:usernameAttributes: stack [], pool [email]"],
  ["email as an alias", { aliasAttributes: ["email"] }, "cognito-roster:aliasAttributes: stack [], pool [email]"],
  ["account recovery", { accountRecovery: ["admin_only"] }, "cognito-roster:accountRecovery: stack (not set), pool [admin_only]"],
  [
    "verification before update",
    { attributesRequireVerificationBeforeUpdate: ["email"] },
    "cognito-roster:attributesRequireVerificationBeforeUpdate: stack [], pool [email]",
  ],
  ["the email sender", { emailSendingAccount: "DEVELOPER" }, "cognito-roster:emailSendingAccount: stack COGNITO_DEFAULT, pool DEVELOPER"],
];

test.each(cases)("%s: one line with the stack key, the stack's value and the pool's", (_, change, line) => {
  expect(compareStackWithPool(stack, { ...matchingPool(), ...change }).map(formatSettingMismatch)).toEqual([line]);
});

test("account recovery compares in priority order", () => {
  const profile: PoolProfile = { ...stack, accountRecovery: ["verified_email", "verified_phone_number"] };
  const pool = { ...matchingPool(), accountRecovery: ["verified_phone_number", "verified_email"] };
  expect(compareStackWithPool(profile, pool).map(formatSettingMismatch)).toEqual([
    "cognito-roster:accountRecovery: stack [verified_email, verified_phone_number], pool [verified_phone_number, verified_email]",
  ]);
});

test("every differing setting is reported, in the order of the stack settings", () => {
  const pool = { ...matchingPool(), caseSensitive: true, mfaConfiguration: "OFF", aliasAttributes: ["email"] };
  expect(compareStackWithPool(stack, pool).map((m) => m.key)).toEqual([
    "cognito-roster:mfaConfiguration",
    "cognito-roster:usernameCaseSensitive",
    "cognito-roster:aliasAttributes",
  ]);
});

test.each([
  ["a stack that describes its pool: no error", {}, undefined],
  [
    "one setting differs: one line, 'this setting'",
    { mfaConfiguration: "OPTIONAL" },
    `the stack config does not match pool ${stack.userPoolId} (DescribeUserPool); nothing was read or changed. ` +
      "Set this setting to the pool's value (the pool decides):\n  cognito-roster:mfaConfiguration: stack ON, pool OPTIONAL",
  ],
  [
    "two settings differ: a line each, 'these settings'",
    { mfaConfiguration: "OPTIONAL", caseSensitive: true },
    `the stack config does not match pool ${stack.userPoolId} (DescribeUserPool); nothing was read or changed. ` +
      "Set these settings to the pool's value (the pool decides):\n  cognito-roster:mfaConfiguration: stack ON, pool OPTIONAL\n" +
      "  cognito-roster:usernameCaseSensitive: stack false, pool true",
  ],
] as [string, Partial<PoolSettings>, string | undefined][])("poolSettingsError: %s", (_name, change, message) => {
  const error = poolSettingsError(stack, { settings: { ...matchingPool(), ...change } });
  expect(error?.message).toBe(message);
  if (error) expect(error.name).toBe("RosterConfigError");
});
