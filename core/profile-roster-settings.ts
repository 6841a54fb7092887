/**
 * The stack settings for the roster's own rules (core/profile.ts): the house rules for usernames, what happens to
 * removed users and how many may go at once, the managed groups, the calendar of access dates, the attributes that
 * name a person's identity and office, the contact policy, and the role import jobs log with.
 */
import { DEFAULT_TIME_ZONE, isKnownTimeZone } from "./access-dates";
import { STANDARD_ATTRIBUTES } from "./declared-user";
import { type ManagedGroup, parseManagedGroups } from "./groups";
import { ATTRIBUTE_NAME, IAM_ROLE_ARN } from "./identifier-patterns";
import type { ContactRequirement, PoolProfile, RemovedUserPolicy } from "./profile";
import { compileUsernamePattern } from "./username-pattern";
import { describeConfigValue, setting, type StackSettings } from "./stack-settings";

export function readUsernamePattern(settings: StackSettings): string | undefined {
  const usernamePattern = settings.text(setting("usernamePattern"), false);
  if (usernamePattern === undefined) return undefined;
  const compiled = compileUsernamePattern(usernamePattern);
  if ("problem" in compiled) settings.fail(setting("usernamePattern"), compiled.problem);
  return usernamePattern;
}

export function readLogsRoleArn(settings: StackSettings): string | undefined {
  const logsRoleArn = settings.text(setting("logsRoleArn"), false);
  if (logsRoleArn !== undefined && !IAM_ROLE_ARN.test(logsRoleArn)) {
    settings.fail(setting("logsRoleArn"), `"${logsRoleArn}" is not an IAM role ARN`);
  }
  return logsRoleArn;
}

export function readTimeZone(settings: StackSettings): string {
  const timeZone = settings.text(setting("timeZone"), false);
  if (timeZone === undefined) return DEFAULT_TIME_ZONE;
  if (!isKnownTimeZone(timeZone)) {
    settings.fail(setting("timeZone"), `"${timeZone}" is not an IANA time zone (e.g. Europe/London)`);
    return DEFAULT_TIME_ZONE;
  }
  return timeZone;
}

export function readRemovedUsers(settings: StackSettings): RemovedUserPolicy {
  if (settings.get(setting("removedUsers")) === "delete") {
    settings.fail(
      setting("removedUsers"),
      'is "delete", which is not offered: use disable (the default), which takes access away and keeps the account, ' +
        "so a re-joiner keeps their sub",
    );
    return "disable";
  }
  return settings.oneOf(setting("removedUsers"), ["disable", "retain"] as const, "disable") ?? "disable";
}

export function readMaxRemovalFraction(settings: StackSettings): number {
  const fraction = settings.get(setting("maxRemovalFraction"));
  if (fraction === undefined || fraction === null) return 0.25;
  const n = typeof fraction === "string" && /^[0-9]*\.?[0-9]+$/.test(fraction) ? Number(fraction) : fraction;
  if (typeof n === "number" && Number.isFinite(n) && n >= 0 && n <= 1) return n;
  settings.fail(setting("maxRemovalFraction"), `must be a number from 0 to 1 (got ${describeConfigValue(fraction)})`);
  return 0.25;
}

/** A standard attribute, or a custom attribute the stack declares (a custom one is what the files can carry). */
export function readIdentityAttribute(settings: StackSettings, customAttributes: PoolProfile["customAttributes"]): string | undefined {
  const name = settings.text(setting("identityAttribute"), false);
  if (name === undefined) return undefined;
  const known = name.startsWith("custom:")
    ? Object.hasOwn(customAttributes, name.slice("custom:".length))
    : (STANDARD_ATTRIBUTES as readonly string[]).includes(name) && !["email", "phone_number"].includes(name);
  if (!ATTRIBUTE_NAME.test(name) || !known) {
    settings.fail(
      setting("identityAttribute"),
      `"${name}" is not an attribute that identifies a person across usernames: ` +
        "name a custom attribute the stack declares (e.g. custom:tisId) or a standard one other than email and phone_number",
    );
    return undefined;
  }
  return name;
}

export function readOfficeAttribute(settings: StackSettings): string | undefined {
  const officeAttribute = settings.text(setting("officeAttribute"), false);
  if (officeAttribute !== undefined && !ATTRIBUTE_NAME.test(officeAttribute)) {
    settings.fail(setting("officeAttribute"), `"${officeAttribute}" is not an attribute name (e.g. custom:office)`);
  }
  return officeAttribute;
}

/** The managed groups, or undefined when the stack manages none. */
export function readManagedGroups(settings: StackSettings): Record<string, ManagedGroup> | undefined {
  const managedGroups = parseManagedGroups(settings.get(setting("groups")));
  for (const problem of managedGroups.problems) settings.fail(setting("groups"), problem);
  return Object.keys(managedGroups.groups).length > 0 ? managedGroups.groups : undefined;
}

const CONTACT_REQUIREMENTS: readonly ContactRequirement[] = ["optional", "present", "verified"];

/** `{email: verified, phone_number: present}`; an attribute left out is optional. */
export function parseContactPolicy(value: unknown, fail: (message: string) => void): NonNullable<PoolProfile["contactPolicy"]> {
  const policy: NonNullable<PoolProfile["contactPolicy"]> = { email: "optional", phone_number: "optional" };
  if (value === undefined || value === null) return policy;
  if (typeof value !== "object" || Array.isArray(value)) {
    fail("must be a mapping such as {email: verified, phone_number: present}");
    return policy;
  }
  for (const [key, requirement] of Object.entries(value as Record<string, unknown>)) {
    if (key !== "email" && key !== "phone_number") fail(`"${key}" is not a contact attribute (email, phone_number)`);
    else if (!CONTACT_REQUIREMENTS.includes(requirement as ContactRequirement))
      fail(`${key} must be one of ${CONTACT_REQUIREMENTS.join(", ")} (got ${JSON.stringify(requirement)})`);
    else policy[key] = requirement as ContactRequirement;
  }
  return policy;
}
