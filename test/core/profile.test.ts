/**
 * core/profile.ts as a table: each stack setting read from stack config (as the stack file holds it, and as Pulumi
 * hands it to a provider: structured values as JSON text, booleans and numbers as text), what it defaults to, and
 * the one CONFIG_INVALID / CONFIG_UNKNOWN_KEY message each unusable value gets, at its place in the stack file.
 */
import { STANDARD_ATTRIBUTES } from "../../core/declared-user";
import { csvHeaderForProfile, parseStackProfile, type PoolProfile, profileFromConfig, stackNotFound } from "../../core/profile";

const BASE = {
  "aws:region": "eu-west-2",
  "cognito-roster:userPoolId": "eu-west-2_Abc123",
  "cognito-roster:autoVerifiedAttributes": ["email"],
  "cognito-roster:mfaConfiguration": "OFF",
};

function read(extra: Record<string, unknown>) {
  return profileFromConfig({ ...BASE, ...extra });
}

describe("the defaults: a stack that sets only what is required", () => {
  test("every optional setting has its documented default", () => {
    const { profile, diagnostics } = read({});
    expect(diagnostics).toEqual([]);
    expect(profile).toEqual<PoolProfile>({
      region: "eu-west-2",
      userPoolId: "eu-west-2_Abc123",
      userPoolName: "cognito-roster",
      autoVerifiedAttributes: ["email"],
      mfaConfiguration: "OFF",
      requiredAttributes: [],
      customAttributes: {},
      usernameCaseSensitive: false,
      usernamePattern: undefined,
      usernameMustEqualEmail: false,
      logsRoleArn: undefined,
      attributeChanges: "update",
      removedUsers: "disable",
      maxRemovalFraction: 0.25,
      sendSignInCode: "off",
      contactPolicy: { email: "optional", phone_number: "optional" },
      mfaFactors: ["softwareToken"],
      timeZone: "Europe/London",
      usernameAttributes: [],
      aliasAttributes: [],
      attributesRequireVerificationBeforeUpdate: [],
      emailSendingAccount: "COGNITO_DEFAULT",
    });
  });
});

/** Settings that are read: the config given (beside BASE) and the part of the profile it gives. */
const ACCEPTED: [string, Record<string, unknown>, Partial<PoolProfile>][] = [
  ["a pool name", { "cognito-roster:userPoolName": "trainees" }, { userPoolName: "trainees" }],
  [
    "both auto-verified attributes",
    { "cognito-roster:autoVerifiedAttributes": ["email", "phone_number"] },
    { autoVerifiedAttributes: ["email", "phone_number"] },
  ],
  [
    "auto-verified attributes as Pulumi's JSON text",
    { "cognito-roster:autoVerifiedAttributes": '["phone_number"]' },
    { autoVerifiedAttributes: ["phone_number"] },
  ],
  ["MFA ON", { "cognito-roster:mfaConfiguration": "ON" }, { mfaConfiguration: "ON" }],
  [
    "required standard attributes",
    { "cognito-roster:requiredAttributes": ["email", "given_name"] },
    { requiredAttributes: ["email", "given_name"] },
  ],
  [
    "custom attributes, bounds as numbers or text",
    {
      "cognito-roster:customAttributes": {
        tisId: { type: "String", maxLength: "20" },
        grade: { type: "Number", minValue: 1, maxValue: 9, mutable: false },
      },
    },
    { customAttributes: { tisId: { type: "String", maxLength: 20 }, grade: { type: "Number", minValue: 1, maxValue: 9, mutable: false } } },
  ],
  ["case-sensitive usernames from text", { "cognito-roster:usernameCaseSensitive": "true" }, { usernameCaseSensitive: true }],
  ["username must equal the email", { "cognito-roster:usernameMustEqualEmail": true }, { usernameMustEqualEmail: true }],
  [
    "email as the username (issue 18)",
    { "cognito-roster:usernameAttributes": ["email"] },
    { usernameAttributes: ["email"], aliasAttributes: [] },
  ],
  [
    "email or phone as the username",
    { "cognito-roster:usernameAttributes": ["email", "phone_number"], "cognito-roster:usernameMustEqualEmail": true },
    { usernameAttributes: ["email", "phone_number"], usernameMustEqualEmail: true },
  ],
  ["a username pattern", { "cognito-roster:usernamePattern": "^[a-z]+$" }, { usernamePattern: "^[a-z]+$" }],
  [
    "a logs role",
    { "cognito-roster:logsRoleArn": "arn:aws:iam::123456789012:role/cognito-import-logs" },
    { logsRoleArn: "arn:aws:iam::123456789012:role/cognito-import-logs" },
  ],
  ["attribute changes reported only", { "cognito-roster:attributeChanges": "report" }, { attributeChanges: "report" }],
  ["removed users retained", { "cognito-roster:removedUsers": "retain" }, { removedUsers: "retain" }],
  ["a removal fraction as text", { "cognito-roster:maxRemovalFraction": "0.5" }, { maxRemovalFraction: 0.5 }],
  ["a removal fraction of 0", { "cognito-roster:maxRemovalFraction": 0 }, { maxRemovalFraction: 0 }],
  ["sign-in codes after import", { "cognito-roster:sendSignInCode": "afterImport" }, { sendSignInCode: "afterImport" }],
  [
    "a contact policy",
    { "cognito-roster:contactPolicy": { email: "verified", phone_number: "present" } },
    { contactPolicy: { email: "verified", phone_number: "present" } },
  ],
  ["MFA factors, repeats once", { "cognito-roster:mfaFactors": ["sms", "email", "sms"] }, { mfaFactors: ["sms", "email"] }],
  ["an office attribute", { "cognito-roster:officeAttribute": "custom:office" }, { officeAttribute: "custom:office" }],
  ["a time zone", { "cognito-roster:timeZone": "America/New_York" }, { timeZone: "America/New_York" }],
  [
    "an identity attribute the stack declares",
    { "cognito-roster:customAttributes": { tisId: { type: "String" } }, "cognito-roster:identityAttribute": "custom:tisId" },
    { identityAttribute: "custom:tisId" },
  ],
  ["email as an alias", { "cognito-roster:aliasAttributes": ["email"] }, { aliasAttributes: ["email"] }],
  [
    "account recovery by email first",
    { "cognito-roster:accountRecovery": ["verified_email", "verified_phone_number"] },
    { accountRecovery: ["verified_email", "verified_phone_number"] },
  ],
  ["admin-only account recovery", { "cognito-roster:accountRecovery": ["admin_only"] }, { accountRecovery: ["admin_only"] }],
  [
    "verification before an email update",
    { "cognito-roster:attributesRequireVerificationBeforeUpdate": ["email"] },
    { attributesRequireVerificationBeforeUpdate: ["email"] },
  ],
  ["SES as the email sender", { "cognito-roster:emailSendingAccount": "DEVELOPER" }, { emailSendingAccount: "DEVELOPER" }],
];

test.each(ACCEPTED)("reads %s", (_name, config, expected) => {
  const { profile, diagnostics } = read(config);
  expect(diagnostics).toEqual([]);
  expect(profile).toMatchObject(expected);
});

/** Values that cannot be used: the config given (beside BASE; `undefined` removes a BASE key) and every message, in order. */
const REFUSED: [string, Record<string, unknown>, string[]][] = [
  ["no Region", { "aws:region": undefined }, ["aws:region: is required"]],
  [
    "a Region with a trailing space",
    { "aws:region": "eu-west-2 " },
    ['aws:region: "eu-west-2 " has whitespace at its start or end: remove it'],
  ],
  ["a Region name that is none", { "aws:region": "europe" }, ['aws:region: "europe" is not an AWS Region name (e.g. eu-west-2)']],
  [
    "a pool id of another Region",
    { "cognito-roster:userPoolId": "eu-west-1_Abc123" },
    ['cognito-roster:userPoolId: pool "eu-west-1_Abc123" is not in aws:region eu-west-2'],
  ],
  [
    "a pool id that is none",
    { "cognito-roster:userPoolId": "pool" },
    [
      'cognito-roster:userPoolId: "pool" is not a user pool id (region_id, e.g. eu-west-2_AbC123xyZ)',
      'cognito-roster:userPoolId: pool "pool" is not in aws:region eu-west-2',
    ],
  ],
  [
    "no auto-verified attribute",
    { "cognito-roster:autoVerifiedAttributes": [] },
    [
      "cognito-roster:autoVerifiedAttributes: must name email and/or phone_number: Cognito cannot run an import job for a pool with no auto-verified attribute",
    ],
  ],
  [
    "an attribute that cannot be auto-verified",
    { "cognito-roster:autoVerifiedAttributes": ["email", "name"] },
    ['cognito-roster:autoVerifiedAttributes: "name" cannot be auto-verified (email or phone_number)'],
  ],
  [
    "no MFA setting",
    { "cognito-roster:mfaConfiguration": undefined },
    ["cognito-roster:mfaConfiguration: is required (one of ON, OFF, OPTIONAL)"],
  ],
  [
    "an MFA setting of another case",
    { "cognito-roster:mfaConfiguration": "off" },
    ['cognito-roster:mfaConfiguration: must be one of ON, OFF, OPTIONAL (got "off")'],
  ],
  [
    "a required attribute that is not standard",
    { "cognito-roster:requiredAttributes": ["custom:tisId"] },
    ['cognito-roster:requiredAttributes: "custom:tisId" is not a standard attribute'],
  ],
  [
    "required attributes not a list",
    { "cognito-roster:requiredAttributes": "email" },
    ["cognito-roster:requiredAttributes: must be a list of attribute names"],
  ],
  [
    "custom attributes as a list",
    { "cognito-roster:customAttributes": ["tisId"] },
    ["cognito-roster:customAttributes: must be a mapping of name to {type, minLength, maxLength, minValue, maxValue}"],
  ],
  [
    "a custom attribute with a misspelt key",
    { "cognito-roster:customAttributes": { tisId: { type: "String", maxLenght: 20 } } },
    ["cognito-roster:customAttributes: custom attribute tisId: unknown key maxLenght (did you mean maxLength?)"],
  ],
  [
    "a custom attribute of an unknown type",
    { "cognito-roster:customAttributes": { tisId: { type: "Text" } } },
    ['cognito-roster:customAttributes: custom attribute tisId: type must be String or Number (got "Text")'],
  ],
  [
    "a length bound on a Number attribute",
    { "cognito-roster:customAttributes": { grade: { type: "Number", maxLength: 3 } } },
    ["cognito-roster:customAttributes: custom attribute grade: maxLength does not apply to a Number attribute"],
  ],
  [
    "a length beyond Cognito's limit",
    { "cognito-roster:customAttributes": { tisId: { type: "String", maxLength: 4096 } } },
    ["cognito-roster:customAttributes: custom attribute tisId: maxLength must be from 0 to 2048 (Cognito's attribute length limit)"],
  ],
  [
    "a fractional bound",
    { "cognito-roster:customAttributes": { grade: { type: "Number", minValue: 1.5 } } },
    ["cognito-roster:customAttributes: custom attribute grade: minValue must be a whole number (got 1.5)"],
  ],
  [
    "bounds the wrong way round",
    { "cognito-roster:customAttributes": { tisId: { type: "String", minLength: 9, maxLength: 3 } } },
    ["cognito-roster:customAttributes: custom attribute tisId: minLength 9 is greater than maxLength 3"],
  ],
  [
    "a custom attribute name too long",
    { "cognito-roster:customAttributes": { abcdefghijklmnopqrstu: { type: "String" } } },
    ['cognito-roster:customAttributes: custom attribute name "abcdefghijklmnopqrstu" must be 1-20 letters, digits, _ or -'],
  ],
  [
    "mutable not a boolean",
    { "cognito-roster:customAttributes": { tisId: { type: "String", mutable: "yes" } } },
    ['cognito-roster:customAttributes: custom attribute tisId: mutable must be true or false (got "yes")'],
  ],
  [
    "a flag that is neither true nor false",
    { "cognito-roster:usernameCaseSensitive": "yes" },
    ['cognito-roster:usernameCaseSensitive: must be true or false (got "yes")'],
  ],
  [
    "a logs role that is no role ARN",
    { "cognito-roster:logsRoleArn": "import-logs" },
    ['cognito-roster:logsRoleArn: "import-logs" is not an IAM role ARN'],
  ],
  [
    "removed users deleted",
    { "cognito-roster:removedUsers": "delete" },
    [
      'cognito-roster:removedUsers: is "delete", which is not offered: use disable (the default), which takes access away and keeps the account, so a re-joiner keeps their sub',
    ],
  ],
  [
    "a removal fraction above 1",
    { "cognito-roster:maxRemovalFraction": 1.5 },
    ["cognito-roster:maxRemovalFraction: must be a number from 0 to 1 (got 1.5)"],
  ],
  [
    "a removal fraction as a percentage",
    { "cognito-roster:maxRemovalFraction": "25%" },
    ['cognito-roster:maxRemovalFraction: must be a number from 0 to 1 (got "25%")'],
  ],
  [
    "a contact policy for another attribute",
    { "cognito-roster:contactPolicy": { name: "present" } },
    ['cognito-roster:contactPolicy: "name" is not a contact attribute (email, phone_number)'],
  ],
  [
    "a contact requirement unknown",
    { "cognito-roster:contactPolicy": { email: "required" } },
    ['cognito-roster:contactPolicy: email must be one of optional, present, verified (got "required")'],
  ],
  [
    "no MFA factor",
    { "cognito-roster:mfaFactors": [] },
    ["cognito-roster:mfaFactors: must be a non-empty list of sms, softwareToken, email"],
  ],
  [
    "an office attribute that is no attribute name",
    { "cognito-roster:officeAttribute": "office name" },
    ['cognito-roster:officeAttribute: "office name" is not an attribute name (e.g. custom:office)'],
  ],
  [
    "a time zone that is none",
    { "cognito-roster:timeZone": "London" },
    ['cognito-roster:timeZone: "London" is not an IANA time zone (e.g. Europe/London)'],
  ],
  [
    "email as the identity attribute",
    { "cognito-roster:identityAttribute": "email" },
    [
      'cognito-roster:identityAttribute: "email" is not an attribute that identifies a person across usernames: name a custom attribute the stack declares (e.g. custom:tisId) or a standard one other than email and phone_number',
    ],
  ],
  [
    "an alias that cannot be one",
    { "cognito-roster:aliasAttributes": ["name"] },
    ['cognito-roster:aliasAttributes: "name" cannot be an alias (email, phone_number, preferred_username)'],
  ],
  [
    "a username attribute Cognito does not offer",
    { "cognito-roster:usernameAttributes": ["preferred_username"] },
    ['cognito-roster:usernameAttributes: "preferred_username" cannot be a username attribute (email, phone_number)'],
  ],
  [
    "username attributes and aliases both",
    { "cognito-roster:usernameAttributes": ["phone_number"], "cognito-roster:aliasAttributes": ["email"] },
    ["cognito-roster:aliasAttributes: a pool has usernameAttributes or aliasAttributes, not both"],
  ],
  [
    "username equal to the email in a pool that signs in by phone only",
    { "cognito-roster:usernameAttributes": ["phone_number"], "cognito-roster:usernameMustEqualEmail": true },
    [
      "cognito-roster:usernameMustEqualEmail: cannot be true in a pool whose only username attribute is phone_number: the username there is the phone number",
    ],
  ],
  [
    "username equal to the email in an email-alias pool",
    { "cognito-roster:aliasAttributes": ["email"], "cognito-roster:usernameMustEqualEmail": true },
    [
      "cognito-roster:usernameMustEqualEmail: cannot be true in a pool with email as an alias: Cognito refuses email-shaped usernames there",
    ],
  ],
  [
    "admin-only recovery with another mechanism",
    { "cognito-roster:accountRecovery": ["admin_only", "verified_email"] },
    ["cognito-roster:accountRecovery: admin_only cannot be combined with another mechanism"],
  ],
  [
    "three recovery mechanisms",
    { "cognito-roster:accountRecovery": ["verified_email", "verified_phone_number", "admin_only"] },
    [
      "cognito-roster:accountRecovery: must be a list of one or two of verified_email, verified_phone_number, admin_only, in priority order",
    ],
  ],
  [
    "verification before update of an attribute not auto-verified",
    { "cognito-roster:attributesRequireVerificationBeforeUpdate": ["phone_number"] },
    ['cognito-roster:attributesRequireVerificationBeforeUpdate: "phone_number" must also be in autoVerifiedAttributes'],
  ],
  [
    "an unknown email sender",
    { "cognito-roster:emailSendingAccount": "SES" },
    ['cognito-roster:emailSendingAccount: must be one of COGNITO_DEFAULT, DEVELOPER (got "SES")'],
  ],
];

test.each(REFUSED)("refuses %s, saying why", (_name, config, messages) => {
  const merged: Record<string, unknown> = { ...BASE, ...config };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  const { profile, diagnostics } = profileFromConfig(merged);
  expect(profile).toBeUndefined();
  expect(diagnostics.map((d) => d.message)).toEqual(messages);
  expect(diagnostics.map((d) => [d.severity, d.code])).toEqual(messages.map(() => ["error", "CONFIG_INVALID"]));
});

test.each([
  ["cognito-roster:grups", "cognito-roster:grups is not a cognito-roster setting (did you mean cognito-roster:groups?)"],
  ["cognito_roster:groups", "cognito_roster:groups is not a cognito-roster setting (did you mean cognito-roster:groups?)"],
])("an unknown setting %s is an error naming the closest", (key, message) => {
  const { profile, diagnostics } = read({ [key]: {} });
  expect(profile).toBeUndefined();
  expect(diagnostics.map((d) => [d.code, d.message])).toEqual([["CONFIG_UNKNOWN_KEY", message]]);
});

test("another namespace's settings are left alone", () => {
  expect(read({ "aws:profile": "dev", "pulumi:template": "x" }).diagnostics).toEqual([]);
});

describe("the stack file", () => {
  const text = [
    "config:",
    "  aws:region: eu-west-2",
    "  cognito-roster:userPoolId: eu-west-2_Abc123",
    "  cognito-roster:autoVerifiedAttributes: [email]",
    "  cognito-roster:mfaConfiguration: OFF",
    "  cognito-roster:customAttributes:",
    "    tisId:",
    "      type: String",
    "      maxLength: -1",
    "  cognito-roster:colour: blue",
    "",
  ].join("\n");

  test("each problem is placed at its value, a nested one inside it, an unknown key at the key", () => {
    const { diagnostics } = parseStackProfile(text, "Pulumi.dev.yaml");
    expect(diagnostics.map((d) => [d.file, d.line, d.col, d.code])).toEqual([
      ["Pulumi.dev.yaml", 10, 3, "CONFIG_UNKNOWN_KEY"],
      ["Pulumi.dev.yaml", 9, 18, "CONFIG_INVALID"],
    ]);
  });

  test("YAML that does not parse, a file without config, a stack that is not there", () => {
    expect(parseStackProfile("config: [", "P.yaml").diagnostics.map((d) => d.code)).toEqual(["CONFIG_YAML"]);
    expect(parseStackProfile("other: 1\n", "P.yaml").diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["CONFIG_MISSING", 'P.yaml has no "config:" mapping'],
    ]);
    expect(stackNotFound("Pulumi.prod.yaml", "prod").diagnostics.map((d) => [d.line, d.col, d.code, d.message])).toEqual([
      [1, 1, "STACK_NOT_FOUND", 'no stack config for stack "prod" (expected Pulumi.prod.yaml)'],
    ]);
  });
});

test("the import CSV header: standard attributes, updated_at, the stack's custom attributes, then the two cognito: columns", () => {
  const profile = read({ "cognito-roster:customAttributes": { tisId: { type: "String" }, grade: { type: "Number" } } })
    .profile as PoolProfile;
  // Column order does not matter to a job, but every column GetCSVHeader names must be there (cognito-import.md).
  expect(csvHeaderForProfile(profile)).toEqual([
    ...STANDARD_ATTRIBUTES,
    "updated_at",
    "custom:tisId",
    "custom:grade",
    "cognito:mfa_enabled",
    "cognito:username",
  ]);
  expect(STANDARD_ATTRIBUTES).toHaveLength(18);
});
