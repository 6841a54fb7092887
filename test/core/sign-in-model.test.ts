/**
 * Rules that follow the pool's sign-in model (stack settings aliasAttributes, usernameAttributes): the developer
 * guide's "User pool attributes → Aliases" — with email (phone) as an alias, Cognito refuses usernames of that
 * shape; with email (phone) as a username attribute ("Option 2") the declared username is the email (phone) the person
 * signs in with (USERNAME_NOT_SIGN_IN_ATTRIBUTE).
 */
import { csvHeaderForProfile, parseStackProfile, type PoolProfile } from "../../core/profile";
import { buildUserRuleContext } from "../../core/user-rules";
import { checkMergedUser } from "../../core/merged-user-rules";
import { checkUsername } from "../../core/username-rules";
import { fixtureProfile } from "./fixture-cases";

function ctxWith(overrides: Partial<PoolProfile>) {
  const profile = { ...fixtureProfile(), ...overrides };
  return buildUserRuleContext(profile, csvHeaderForProfile(profile));
}
const codes = (findings: readonly { code: string }[]) => findings.map((f) => f.code);

it.each([
  [["email"], "jane@example.nhs.uk", ["USERNAME_ALIAS_SHAPED"]],
  [["email"], "jane.doe", []],
  [["email"], "+447700900123", []],
  [["phone_number"], "+447700900123", ["USERNAME_ALIAS_SHAPED"]],
  [["phone_number"], "jane@example.nhs.uk", []],
  [["preferred_username"], "jane@example.nhs.uk", []],
  [[], "jane@example.nhs.uk", []],
  // The slow path (a username with other problems) reports the shape too.
  [["email"], "jane @example.nhs.uk", ["USERNAME_WHITESPACE"]],
  [["email"], `${"a".repeat(120)}@example.nhs.uk`, ["USERNAME_TOO_LONG", "USERNAME_ALIAS_SHAPED"]],
] as const)("aliases %j: username %j", (aliasAttributes, username, expected) => {
  expect(codes(checkUsername(username, ctxWith({ aliasAttributes: [...aliasAttributes] })))).toEqual(expected);
});

it("the finding names the setting it comes from", () => {
  const [finding] = checkUsername("jane@example.nhs.uk", ctxWith({ aliasAttributes: ["email"] }));
  expect(finding.message).toBe(
    "username has the shape of an email address, which this pool refuses: it signs in with email as an alias (stack setting aliasAttributes)",
  );
});

const STACK = `config:
  aws:region: eu-west-2
  cognito-roster:userPoolId: eu-west-2_A1
  cognito-roster:autoVerifiedAttributes: [email]
  cognito-roster:mfaConfiguration: "OFF"
`;

it("a username-attribute pool is accepted; usernameMustEqualEmail contradicts a phone-only one and an email alias", () => {
  const usernameAttributes = parseStackProfile(`${STACK}  cognito-roster:usernameAttributes: [email]\n`, "Pulumi.x.yaml");
  expect(usernameAttributes.diagnostics).toEqual([]);
  expect(usernameAttributes.profile).toMatchObject({ usernameAttributes: ["email"], aliasAttributes: [] });
  const phoneOnly = parseStackProfile(
    `${STACK}  cognito-roster:usernameAttributes: [phone_number]\n  cognito-roster:usernameMustEqualEmail: true\n`,
    "Pulumi.x.yaml",
  );
  expect(phoneOnly.diagnostics.map((d) => d.message)).toEqual([
    "cognito-roster:usernameMustEqualEmail: cannot be true in a pool whose only username attribute is phone_number: the username there is the phone number",
  ]);
  const both = parseStackProfile(
    `${STACK}  cognito-roster:aliasAttributes: [email]\n  cognito-roster:usernameMustEqualEmail: true\n`,
    "Pulumi.x.yaml",
  );
  expect(both.diagnostics.map((d) => d.message)).toEqual([
    "cognito-roster:usernameMustEqualEmail: cannot be true in a pool with email as an alias: Cognito refuses email-shaped usernames there",
  ]);
  const alias = parseStackProfile(`${STACK}  cognito-roster:aliasAttributes: [email, preferred_username]\n`, "Pulumi.x.yaml");
  expect(alias.profile).toMatchObject({ aliasAttributes: ["email", "preferred_username"], usernameAttributes: [] });
});

it("the new settings parse and default as Cognito does", () => {
  const { profile } = parseStackProfile(STACK, "Pulumi.x.yaml");
  expect(profile).toMatchObject({
    usernameAttributes: [],
    aliasAttributes: [],
    attributesRequireVerificationBeforeUpdate: [],
    emailSendingAccount: "COGNITO_DEFAULT",
  });
  expect(profile?.accountRecovery).toBeUndefined();
  const full = parseStackProfile(
    `${STACK}  cognito-roster:accountRecovery: [verified_phone_number, verified_email]\n  cognito-roster:attributesRequireVerificationBeforeUpdate: [email]\n  cognito-roster:emailSendingAccount: DEVELOPER\n`,
    "Pulumi.x.yaml",
  );
  expect(full.profile).toMatchObject({
    accountRecovery: ["verified_phone_number", "verified_email"],
    attributesRequireVerificationBeforeUpdate: ["email"],
    emailSendingAccount: "DEVELOPER",
  });
  const bad = parseStackProfile(`${STACK}  cognito-roster:accountRecovery: [admin_only, verified_email]\n`, "Pulumi.x.yaml");
  expect(bad.diagnostics.map((d) => d.code)).toEqual(["CONFIG_INVALID"]);
});

it.each([
  [["email"], { username: "jane@example.nhs.uk", email: "jane@example.nhs.uk" }, []],
  [["email"], { username: "jane.doe", email: "jane@example.nhs.uk" }, ["USERNAME_NOT_SIGN_IN_ATTRIBUTE"]],
  [["email"], { username: "Jane@example.nhs.uk", email: "jane@example.nhs.uk" }, ["USERNAME_NOT_SIGN_IN_ATTRIBUTE"]],
  [["email"], { username: "jane@example.nhs.uk" }, ["USERNAME_NOT_SIGN_IN_ATTRIBUTE"]],
  [["phone_number"], { username: "+447700900123", phone_number: "+447700900123", email: "jane@example.nhs.uk" }, []],
  [
    ["phone_number"],
    { username: "jane@example.nhs.uk", phone_number: "+447700900123", email: "jane@example.nhs.uk" },
    ["USERNAME_NOT_SIGN_IN_ATTRIBUTE"],
  ],
  [["email", "phone_number"], { username: "jane@example.nhs.uk", phone_number: "+447700900123", email: "jane@example.nhs.uk" }, []],
  [["email", "phone_number"], { username: "+447700900123", phone_number: "+447700900123" }, []],
  // With both, a user with an email is named by it (core/sign-in-name.ts).
  [
    ["email", "phone_number"],
    { username: "+447700900123", phone_number: "+447700900123", email: "jane@example.nhs.uk" },
    ["USERNAME_NOT_SIGN_IN_ATTRIBUTE"],
  ],
  // Without username attributes the house rule speaks instead.
  [[], { username: "jane.doe", email: "jane@example.nhs.uk" }, ["USERNAME_NOT_EMAIL"]],
] as const)("username attributes %j: %j", (usernameAttributes, user, expected) => {
  const ctx = ctxWith({ usernameAttributes: [...usernameAttributes], usernameMustEqualEmail: true, requiredAttributes: [] });
  const findings = checkMergedUser({ mfa_enabled: true, email_verified: "email" in user, ...user }, ctx, () => true);
  expect(codes(findings).filter((c) => c.startsWith("USERNAME_"))).toEqual(expected);
});
