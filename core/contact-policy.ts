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
import type { PoolProfile } from "./profile";
import type { UserFinding } from "./user-finding";

const CONTACTS = ["email", "phone_number"] as const;

export function checkContactPolicy(
  merged: Readonly<Record<string, unknown>>,
  profile: PoolProfile,
  usable: (key: string) => boolean,
  reportedAlready: readonly UserFinding[],
): UserFinding[] {
  const findings: UserFinding[] = [];
  const present = (key: string) => merged[key] !== undefined && merged[key] !== null && merged[key] !== "";
  const reported = (code: DiagnosticCode) => reportedAlready.some((f) => f.code === code);
  const policy = profile.contactPolicy ?? { email: "optional", phone_number: "optional" };

  for (const attribute of CONTACTS) {
    const requirement = policy[attribute];
    if (requirement === "optional" || !usable(attribute)) continue;
    if (!present(attribute)) {
      if (!profile.requiredAttributes.includes(attribute)) {
        findings.push(
          entryError(
            "CONTACT_REQUIRED",
            `the stack's contactPolicy requires ${attribute} (${requirement}) for every user, and this user has none`,
          ),
        );
      }
      continue;
    }
    const flag = `${attribute}_verified`;
    if (requirement !== "verified" || merged[flag] === true || !usable(flag)) continue;
    // With no auto-verified attribute true, that finding already asks for this flag.
    if (reported("NO_AUTO_VERIFIED_ATTRIBUTE") && profile.autoVerifiedAttributes.includes(attribute)) continue;
    findings.push(
      merged[flag] === undefined
        ? entryError(
            "CONTACT_NOT_VERIFIED",
            `the stack's contactPolicy requires ${attribute} verified: set ${flag}: true (here or in defaults)`,
          )
        : {
            code: "CONTACT_NOT_VERIFIED",
            severity: "error",
            key: flag,
            part: "value",
            message: `the stack's contactPolicy requires ${attribute} verified, so ${flag} must be true`,
          },
    );
  }

  if (
    smsIsTheOnlyFactor(profile) &&
    merged.mfa_enabled === true &&
    !present("phone_number") &&
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
        "mfa_enabled is true and the pool's only second factor is SMS (mfaFactors: [sms]): this user needs a phone_number to receive the code",
    });
  }
  return findings;
}

/** True for an MFA pool (ON or OPTIONAL) that offers SMS and no other second factor. */
function smsIsTheOnlyFactor(profile: PoolProfile): boolean {
  const factors = profile.mfaFactors ?? ["softwareToken"];
  return profile.mfaConfiguration !== "OFF" && factors.length === 1 && factors[0] === "sms";
}

function entryError(code: DiagnosticCode, message: string): UserFinding {
  return { code, severity: "error", message, part: "entry" };
}
