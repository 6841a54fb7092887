/**
 * The stack settings that describe the user pool itself (core/profile.ts): where it is, what it auto-verifies and
 * requires, how users sign in and recover their accounts, and its MFA factors.
 */
import { STANDARD_ATTRIBUTES } from "./declared-user";
import { USER_POOL_ID } from "./identifier-patterns";
import type { AliasAttribute, AutoVerifiedAttribute, MfaFactor, PoolProfile, RecoveryMechanism, UsernameAttribute } from "./profile";
import { setting, type StackSettings } from "./stack-settings";

/** AWS Region names: `eu-west-2`, `us-gov-west-1`, `ap-southeast-5`. */
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;

export function readPoolLocation(settings: StackSettings): { region?: string; userPoolId?: string } {
  const region = settings.text("aws:region", true);
  if (region !== undefined && !AWS_REGION.test(region)) {
    settings.fail("aws:region", `${JSON.stringify(region)} is not an AWS Region name (e.g. eu-west-2)`);
    return { userPoolId: settings.text(setting("userPoolId"), true) };
  }
  const userPoolId = settings.text(setting("userPoolId"), true);
  if (userPoolId !== undefined && !USER_POOL_ID.test(userPoolId)) {
    settings.fail(setting("userPoolId"), `"${userPoolId}" is not a user pool id (region_id, e.g. eu-west-2_AbC123xyZ)`);
  }
  if (userPoolId !== undefined && region !== undefined && !userPoolId.startsWith(`${region}_`)) {
    settings.fail(setting("userPoolId"), `pool "${userPoolId}" is not in aws:region ${region}`);
  }
  return { region, userPoolId };
}

export function readAutoVerifiedAttributes(settings: StackSettings): AutoVerifiedAttribute[] {
  const key = setting("autoVerifiedAttributes");
  const names = settings.names(key);
  for (const a of names) {
    if (a !== "email" && a !== "phone_number") settings.fail(key, `"${a}" cannot be auto-verified (email or phone_number)`);
  }
  if (names.length === 0) {
    settings.fail(key, "must name email and/or phone_number: Cognito cannot run an import job for a pool with no auto-verified attribute");
  }
  return names.filter((a): a is AutoVerifiedAttribute => a === "email" || a === "phone_number");
}

export function readRequiredAttributes(settings: StackSettings): string[] {
  const key = setting("requiredAttributes");
  const names = settings.names(key);
  for (const a of names) {
    if (!(STANDARD_ATTRIBUTES as readonly string[]).includes(a)) settings.fail(key, `"${a}" is not a standard attribute`);
  }
  return names;
}

/** UsernameAttributes or AliasAttributes: a pool has at most one of the two (CreateUserPool refuses both). */
export function readSignInModel(settings: StackSettings): Pick<PoolProfile, "usernameAttributes" | "aliasAttributes"> {
  const usernameAttributes = settings.names(setting("usernameAttributes"));
  const aliasAttributes = settings.names(setting("aliasAttributes"));
  for (const a of usernameAttributes)
    if (a !== "email" && a !== "phone_number")
      settings.fail(setting("usernameAttributes"), `"${a}" cannot be a username attribute (email, phone_number)`);
  for (const a of aliasAttributes)
    if (a !== "email" && a !== "phone_number" && a !== "preferred_username")
      settings.fail(setting("aliasAttributes"), `"${a}" cannot be an alias (email, phone_number, preferred_username)`);
  if (usernameAttributes.length > 0 && aliasAttributes.length > 0)
    settings.fail(setting("aliasAttributes"), "a pool has usernameAttributes or aliasAttributes, not both");
  // In a pool with UsernameAttributes the users files name each person by the email or phone they sign in with
  // (core/sign-in-name.ts; rule USERNAME_NOT_SIGN_IN_ATTRIBUTE): a house rule asking for the email contradicts a
  // pool that signs in by phone only.
  if (usernameAttributes.length > 0 && !usernameAttributes.includes("email") && settings.flag(setting("usernameMustEqualEmail"), false))
    settings.fail(
      setting("usernameMustEqualEmail"),
      "cannot be true in a pool whose only username attribute is phone_number: the username there is the phone number",
    );
  if (aliasAttributes.includes("email") && settings.flag(setting("usernameMustEqualEmail"), false))
    settings.fail(
      setting("usernameMustEqualEmail"),
      "cannot be true in a pool with email as an alias: Cognito refuses email-shaped usernames there",
    );
  return {
    usernameAttributes: usernameAttributes as UsernameAttribute[],
    aliasAttributes: aliasAttributes as AliasAttribute[],
  };
}

const RECOVERY_MECHANISMS: readonly RecoveryMechanism[] = ["verified_email", "verified_phone_number", "admin_only"];

/** `[verified_email, verified_phone_number]` (first is tried first) or `[admin_only]`; absent when not set. */
export function readAccountRecovery(settings: StackSettings): RecoveryMechanism[] | undefined {
  const key = setting("accountRecovery");
  if (settings.get(key) === undefined || settings.get(key) === null) return undefined;
  const names = settings.names(key);
  if (names.length === 0 || names.length > 2 || names.some((n) => !RECOVERY_MECHANISMS.includes(n as RecoveryMechanism))) {
    settings.fail(key, `must be a list of one or two of ${RECOVERY_MECHANISMS.join(", ")}, in priority order`);
    return undefined;
  }
  if (names.includes("admin_only") && names.length > 1) settings.fail(key, "admin_only cannot be combined with another mechanism");
  return names as RecoveryMechanism[];
}

/** Each must be auto-verified (the developer guide, "Verifying updates to email addresses and phone numbers"). */
export function readVerifyBeforeUpdate(settings: StackSettings, autoVerified: readonly AutoVerifiedAttribute[]): AutoVerifiedAttribute[] {
  const key = setting("attributesRequireVerificationBeforeUpdate");
  const names = settings.names(key);
  for (const a of names)
    if (!autoVerified.includes(a as AutoVerifiedAttribute)) settings.fail(key, `"${a}" must also be in autoVerifiedAttributes`);
  return names.filter((a): a is AutoVerifiedAttribute => autoVerified.includes(a as AutoVerifiedAttribute));
}

const MFA_FACTORS: readonly MfaFactor[] = ["sms", "softwareToken", "email"];

/** A list of sms, softwareToken, email; an authenticator app (softwareToken) when not set. */
export function parseMfaFactors(value: unknown, fail: (message: string) => void): MfaFactor[] {
  if (value === undefined || value === null) return ["softwareToken"];
  if (!Array.isArray(value) || value.length === 0 || value.some((f) => !MFA_FACTORS.includes(f as MfaFactor))) {
    fail(`must be a non-empty list of ${MFA_FACTORS.join(", ")}`);
    return ["softwareToken"];
  }
  return [...new Set(value as MfaFactor[])];
}
