/**
 * The verification policy (issue 10 item 4): `contactPolicy` and an SMS-only MFA pool, enforced with positions on
 * whole users files; one root cause gives one message.
 */
import { profileFromConfig, type PoolProfile } from "../../core/profile";
import { checkUsersFileText } from "../support/one-call";

const BASE = {
  "aws:region": "eu-west-2",
  "cognito-roster:userPoolId": "eu-west-2_Abc",
  "cognito-roster:autoVerifiedAttributes": ["email"],
  "cognito-roster:mfaConfiguration": "ON",
};

function profileWith(extra: Record<string, unknown>): PoolProfile {
  const result = profileFromConfig({ ...BASE, ...extra });
  if (!result.profile) throw new Error(result.diagnostics.map((d) => d.message).join("; "));
  return result.profile;
}

function findings(profile: PoolProfile, users: string): string[] {
  const text = `defaults:\n  mfa_enabled: true\n  email_verified: true\nusers:\n${users}`;
  return checkUsersFileText(text, "users/x/f.yaml", profile).diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`);
}

const ANN = "  - username: ann@example.com\n    email: ann@example.com\n";

test("phone_number: present — a trainee without a mobile is one error at the entry", () => {
  const profile = profileWith({ "cognito-roster:contactPolicy": { phone_number: "present" } });
  expect(findings(profile, ANN)).toEqual(["5:3 CONTACT_REQUIRED"]);
  expect(findings(profile, `${ANN}    phone_number: "+447700900001"\n`)).toEqual([]);
});

test("phone_number: verified — the flag false is reported at the flag, absent at the entry", () => {
  const profile = profileWith({ "cognito-roster:contactPolicy": { email: "verified", phone_number: "verified" } });
  expect(findings(profile, `${ANN}    phone_number: "+447700900001"\n    phone_number_verified: false\n`)).toEqual([
    "8:28 CONTACT_NOT_VERIFIED",
  ]);
  expect(findings(profile, `${ANN}    phone_number: "+447700900001"\n`)).toEqual(["5:3 CONTACT_NOT_VERIFIED"]);
  expect(findings(profile, `${ANN}    phone_number: "+447700900001"\n    phone_number_verified: true\n`)).toEqual([]);
});

test("email: verified with email_verified false gives the auto-verified finding only (one root cause, one message)", () => {
  const profile = profileWith({ "cognito-roster:contactPolicy": { email: "verified" } });
  const out = findings(profile, `${ANN}    email_verified: false\n`);
  expect(out).toHaveLength(1);
  expect(out[0]).toMatch(/NO_AUTO_VERIFIED_ATTRIBUTE/);
});

test("an SMS-only MFA pool needs a phone for every MFA user; another factor, or MFA off for the user, does not", () => {
  const sms = profileWith({ "cognito-roster:mfaFactors": ["sms"], "cognito-roster:mfaConfiguration": "OPTIONAL" });
  expect(findings(sms, ANN)).toEqual(["5:3 MFA_SMS_WITHOUT_PHONE"]);
  expect(findings(sms, `${ANN}    mfa_enabled: false\n`)).toEqual([]);
  expect(findings(profileWith({ "cognito-roster:mfaFactors": ["sms", "softwareToken"] }), ANN)).toEqual([]);
  // With the policy also requiring the phone, the missing phone is said once.
  const both = profileWith({ "cognito-roster:mfaFactors": ["sms"], "cognito-roster:contactPolicy": { phone_number: "present" } });
  expect(findings(both, ANN)).toEqual(["5:3 CONTACT_REQUIRED"]);
});

test("the settings are checked", () => {
  const bad = profileFromConfig({
    ...BASE,
    "cognito-roster:contactPolicy": { phone: "verified", email: "always" },
    "cognito-roster:mfaFactors": ["sms", "voice"],
  });
  expect(bad.diagnostics.map((d) => d.message)).toEqual([
    expect.stringContaining('"phone" is not a contact attribute'),
    expect.stringContaining("email must be one of optional, present, verified"),
    expect.stringContaining("mfaFactors: must be a non-empty list of sms, softwareToken, email"),
  ]);
});
