/**
 * The verification policy (issue 10 item 4, the team's Q1): the stack's `cognito-roster:contactPolicy` says which of
 * email and phone_number every trainee must have (`present`) or have and have verified (`verified`), and an MFA pool
 * whose only second factor is SMS (`mfaFactors: [sms]`) needs a phone number for every user with MFA on — Cognito
 * texts the code there (an SMS MFA phone need not be verified: SMSMfaSettingsType, "Phone numbers don't need to be
 * verified to be used for SMS MFA").
 *
 * Pure: one merged user (defaults under the entry) in, findings out; user-rules.ts places them. A problem another
 * rule already reports (a required attribute missing, no auto-verified attribute true, a value the schema
 * rejected) is not reported a second time here: one root cause, one message.
 */
import type { DiagnosticCode } from "./diagnostics";
import type { ContactRequirement, PoolProfile } from "./profile";
import type { UserFinding } from "./user-finding";

const CONTACTS = ["email", "phone_number"] as const;
type Contact = (typeof CONTACTS)[number];

export function checkContactPolicy(
  merged: Readonly<Record<string, unknown>>,
  profile: PoolProfile,
  usable: (key: string) => boolean,
  reportedAlready: readonly UserFinding[],
): UserFinding[] {
  const findings: UserFinding[] = [];
  const policy = profile.contactPolicy ?? { email: "optional", phone_number: "optional" };
  const noAutoVerified = reportedAlready.some((f) => f.code === "NO_AUTO_VERIFIED_ATTRIBUTE");

  for (const attribute of CONTACTS) {
    const requirement = policy[attribute];
    if (requirement === "optional" || !usable(attribute)) continue;
    const finding = present(merged, attribute)
      ? notVerified(attribute, requirement, merged, profile, usable, noAutoVerified)
      : required(attribute, requirement, profile);
    if (finding !== undefined) findings.push(finding);
  }

  if (
    smsIsTheOnlyFactor(profile) &&
    merged.mfa_enabled === true &&
    !present(merged, "phone_number") &&
    usable("phone_number") &&
    policy.phone_number === "optional"
  ) {
    // (A phone the policy requires was reported missing above, which says the same.)
    findings.push({
      code: "MFA_SMS_WITHOUT_PHONE",
      severity: "error",
      key: "mfa_enabled",
      part: "value",
      message:
        "mfa_enabled is true and the pool's only second factor is SMS (mfaFactors: [sms]): " +
        "this user needs a phone_number to receive the code",
    });
  }
  return findings;
}

function present(merged: Readonly<Record<string, unknown>>, key: string): boolean {
  return merged[key] !== undefined && merged[key] !== null && merged[key] !== "";
}

/** A contact the policy requires and the user lacks, unless the pool's own required attributes report it. */
function required(attribute: Contact, requirement: ContactRequirement, profile: PoolProfile): UserFinding | undefined {
  if (profile.requiredAttributes.includes(attribute)) return undefined;
  return entryError(
    "CONTACT_REQUIRED",
    `the stack's contactPolicy requires ${attribute} (${requirement}) for every user, and this user has none`,
  );
}

/** A contact the policy requires verified whose `_verified` flag is not true. */
function notVerified(
  attribute: Contact,
  requirement: ContactRequirement,
  merged: Readonly<Record<string, unknown>>,
  profile: PoolProfile,
  usable: (key: string) => boolean,
  noAutoVerified: boolean,
): UserFinding | undefined {
  const flag = `${attribute}_verified`;
  if (requirement !== "verified" || merged[flag] === true || !usable(flag)) return undefined;
  // With no auto-verified attribute true, that finding already asks for this flag.
  if (noAutoVerified && profile.autoVerifiedAttributes.includes(attribute)) return undefined;
  if (merged[flag] === undefined)
    return entryError(
      "CONTACT_NOT_VERIFIED",
      `the stack's contactPolicy requires ${attribute} verified: set ${flag}: true (here or in defaults)`,
    );
  return {
    code: "CONTACT_NOT_VERIFIED",
    severity: "error",
    key: flag,
    part: "value",
    message: `the stack's contactPolicy requires ${attribute} verified, so ${flag} must be true`,
  };
}

/** True for an MFA pool (ON or OPTIONAL) that offers SMS and no other second factor. */
function smsIsTheOnlyFactor(profile: PoolProfile): boolean {
  const factors = profile.mfaFactors ?? ["softwareToken"];
  return profile.mfaConfiguration !== "OFF" && factors.length === 1 && factors[0] === "sms";
}

function entryError(code: DiagnosticCode, message: string): UserFinding {
  return { code, severity: "error", message, part: "entry" };
}
