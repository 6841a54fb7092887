/**
 * The pool profile: what validation and planning must know about the user pool without AWS credentials.
 *
 * It lives in the Pulumi stack config file `Pulumi.<stack>.yaml` under the `cognito-roster:` namespace (plus
 * `aws:region`), so a pull request check reads it from the checkout (load/stack-profile.ts reads the file). This
 * module parses and checks it; it reads no file and knows nothing of the Pulumi engine or of AWS.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { Diagnostic } from "./diagnostics";
import { MFA_COLUMN, STANDARD_ATTRIBUTES, USERNAME_COLUMN } from "./declared-user";
import type { ManagedGroup } from "./groups";
import { parseSignInReminders, type SignInReminders } from "./sign-in-reminders";
import { closestName } from "./closest-name";
import { CONFIG_NAMESPACE, configError, type Place, type PlaceOf, setting, StackSettings } from "./stack-settings";
import {
  parseMfaFactors,
  readAccountRecovery,
  readAutoVerifiedAttributes,
  readPoolLocation,
  readRequiredAttributes,
  readSignInModel,
  readVerifyBeforeUpdate,
} from "./profile-pool-settings";
import { readCustomAttributes } from "./profile-custom-attributes";
import {
  parseContactPolicy,
  readIdentityAttribute,
  readLogsRoleArn,
  readManagedGroups,
  readMaxRemovalFraction,
  readOfficeAttribute,
  readRemovedUsers,
  readTimeZone,
  readUsernamePattern,
} from "./profile-roster-settings";

type MfaConfiguration = "ON" | "OFF" | "OPTIONAL";
export type AutoVerifiedAttribute = "email" | "phone_number";
/** The pool's sign-in model (core/pool-settings.ts): email/phone as the username, or as aliases of a free-form one. */
export type UsernameAttribute = "email" | "phone_number";
export type AliasAttribute = "email" | "phone_number" | "preferred_username";
/** AccountRecoverySetting's RecoveryMechanisms names, in priority order. */
export type RecoveryMechanism = "verified_email" | "verified_phone_number" | "admin_only";
/** EmailConfiguration.EmailSendingAccount: Cognito's own daily-limited sender, or the account's SES identity. */
type EmailSendingAccount = "COGNITO_DEFAULT" | "DEVELOPER";
/** What to do when a declared attribute differs from the pool. */
export type AttributeChangePolicy = "update" | "report";
/** What to do with users the roster declared before and no longer declares. */
/**
 * Users declared before and no longer: `disable` (the default) takes their access away — disabled, and out of every
 * managed group; `retain` only reports them, in every plan, while they still have access. Deleting is not offered: a
 * deleted account loses its `sub`, and a re-joiner would come back as someone else.
 */
export type RemovedUserPolicy = "retain" | "disable";
/** Whether an apply sends each newly imported trainee their first sign-in code (engine/send-sign-in-codes.ts). */
type SendSignInCodePolicy = "off" | "afterImport";
/** What every trainee must have of a contact attribute: nothing, a value, or a value marked verified. */
export type ContactRequirement = "optional" | "present" | "verified";
/** The pool's MFA factors (SetUserPoolMfaConfig): SMS text message, authenticator app, email message. */
export type MfaFactor = "sms" | "softwareToken" | "email";

export interface CustomAttribute {
  type: "String" | "Number";
  /** String length bounds, inclusive. */
  minLength?: number;
  maxLength?: number;
  /** Number value bounds, inclusive. */
  minValue?: number;
  maxValue?: number;
  /** Whether an existing user's value may change (the schema's Mutable); true when not set. */
  mutable?: boolean;
}

export interface PoolProfile {
  region: string;
  userPoolId: string;
  /** The pool's name: part of the import log group name; the emulator creates the pool with it. */
  userPoolName: string;
  autoVerifiedAttributes: AutoVerifiedAttribute[];
  mfaConfiguration: MfaConfiguration;
  /** Standard attributes the pool marks required. */
  requiredAttributes: string[];
  /** Custom attributes by name, without the `custom:` prefix. */
  customAttributes: Record<string, CustomAttribute>;
  usernameCaseSensitive: boolean;
  /** House rules Cognito itself does not enforce: a JavaScript regular expression the username must match… */
  usernamePattern?: string;
  /** …and whether the username must equal the email address. */
  usernameMustEqualEmail: boolean;
  /** An existing CloudWatch Logs role for import jobs; when absent the Pulumi program creates one. */
  logsRoleArn?: string;
  attributeChanges: AttributeChangePolicy;
  removedUsers: RemovedUserPolicy;
  /** Refuse a plan that removes (disables or deletes) more than this fraction of the managed users. */
  maxRemovalFraction: number;
  /** Send the first sign-in code (AdminResetUserPassword) right after import; off when absent. */
  sendSignInCode?: SendSignInCodePolicy;
  /** Reminders to trainees still waiting to sign in (core/sign-in-reminders.ts); off when absent. */
  signInReminders?: SignInReminders;
  /** The verification policy (the team's Q1): what every trainee must have of email and of phone_number (absent: optional). */
  contactPolicy?: { email: ContactRequirement; phone_number: ContactRequirement };
  /** The second factors an MFA-on (or optional) pool offers (absent: softwareToken); an SMS-only pool needs a phone for every MFA user. */
  mfaFactors?: MfaFactor[];
  /** The attribute whose value names a user's office folder in `cognito-roster export` (when --office-attribute is absent). */
  officeAttribute?: string;
  /** The groups the roster manages, by name (core/groups.ts); absent = none. Memberships in others are never touched. */
  groups?: Record<string, ManagedGroup>;
  /** The IANA time zone whose calendar days `startDate`/`endDate` name (absent: Europe/London, core/access-dates.ts). */
  timeZone?: string;
  /**
   * The attribute that identifies a person across usernames (e.g. `custom:tisId`): a new username whose value matches
   * an account no longer declared is that person renamed (core/renames.ts). Absent: none.
   */
  identityAttribute?: string;
  /** UsernameAttributes: users sign in with these instead of a username (empty: a free-form username). */
  usernameAttributes: UsernameAttribute[];
  /** AliasAttributes: a free-form username plus these as sign-in aliases. */
  aliasAttributes: AliasAttribute[];
  /** AccountRecoverySetting, in priority order; absent when the pool has none (Cognito's legacy behaviour). */
  accountRecovery?: RecoveryMechanism[];
  /** UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate. */
  attributesRequireVerificationBeforeUpdate: AutoVerifiedAttribute[];
  /** EmailConfiguration.EmailSendingAccount (COGNITO_DEFAULT when not set, as in Cognito). */
  emailSendingAccount: EmailSendingAccount;
}

/**
 * The keys of the profile as they appear in stack config, without the namespace: the one list of known settings.
 * A new setting is one more line here (and its read below); any other `cognito-roster:` key is an error naming the
 * closest of these.
 */
const PROFILE_KEYS = [
  "userPoolId",
  "userPoolName",
  "autoVerifiedAttributes",
  "mfaConfiguration",
  "requiredAttributes",
  "customAttributes",
  "usernameCaseSensitive",
  "usernamePattern",
  "usernameMustEqualEmail",
  "logsRoleArn",
  "attributeChanges",
  "removedUsers",
  "maxRemovalFraction",
  "sendSignInCode",
  "signInReminders",
  "contactPolicy",
  "mfaFactors",
  "officeAttribute",
  "groups",
  "timeZone",
  "identityAttribute",
  "usernameAttributes",
  "aliasAttributes",
  "accountRecovery",
  "attributesRequireVerificationBeforeUpdate",
  "emailSendingAccount",
] as const;

/** A setting's name without the namespace. */
export type ProfileKey = (typeof PROFILE_KEYS)[number];

/** The import CSV header a pool with this profile has: GetCSVHeader's order, custom attributes before the two cognito: columns. */
export function csvHeaderForProfile(profile: PoolProfile): string[] {
  return [
    ...STANDARD_ATTRIBUTES,
    "updated_at",
    ...Object.keys(profile.customAttributes).map((name) => `custom:${name}`),
    MFA_COLUMN,
    USERNAME_COLUMN,
  ];
}

export interface ProfileResult {
  profile?: PoolProfile;
  diagnostics: Diagnostic[];
}

/** The diagnostic for a stack whose `Pulumi.<stack>.yaml` (named `file`) cannot be read. */
export function stackNotFound(file: string, stack: string): ProfileResult {
  return {
    diagnostics: [configError({ file, line: 1, col: 1 }, "STACK_NOT_FOUND", `no stack config for stack "${stack}" (expected ${file})`)],
  };
}

/** The profile from the text of a stack file, `Pulumi.<stack>.yaml`, named `file` in diagnostics. */
export function parseStackProfile(text: string, file: string): ProfileResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const placeOf = (node: Node | null | undefined): Place => {
    const offset = node?.range?.[0] ?? 0;
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, col: pos.col };
  };
  if (doc.errors.length > 0) {
    return {
      diagnostics: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return configError({ file, line: pos.line, col: pos.col }, "CONFIG_YAML", e.message.split("\n")[0]);
      }),
    };
  }
  const config = isMap(doc.contents) ? doc.contents.get("config", true) : undefined;
  if (!isMap(config)) {
    return { diagnostics: [configError(placeOf(doc.contents), "CONFIG_MISSING", `${file} has no "config:" mapping`)] };
  }
  const values: Record<string, unknown> = {};
  const nodes: Record<string, { key: Node; value: Node | null }> = {};
  for (const pair of config.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    const value = pair.value as Node | null;
    values[key] = isScalar(value) ? value.value : isMap(value) || isSeq(value) ? value.toJSON() : value;
    nodes[key] = { key: pair.key as Node, value };
  }
  return profileFromConfig(values, (key, at) => {
    const found = nodes[key];
    if (found === undefined) return { file, line: 1, col: 1 };
    if (at === "key") return placeOf(found.key);
    return placeOf(nestedNode(found.value, at ?? []) ?? found.value ?? found.key);
  });
}

/** The node at `path` inside a config value (mapping keys, list indexes); undefined when it is not there. */
function nestedNode(node: Node | null, path: readonly (string | number)[]): Node | undefined {
  let at: unknown = node;
  for (const segment of path) {
    if (isMap(at)) at = at.get(segment, true);
    else if (isSeq(at)) at = at.items[Number(segment)];
    else return undefined;
  }
  return (at ?? undefined) as Node | undefined;
}

/**
 * Builds the profile from namespaced stack config (`"cognito-roster:userPoolId"`, `"aws:region"`), as the stack
 * file holds it and as Pulumi hands it to a provider's `configure` (where structured values arrive as JSON text).
 */
export function profileFromConfig(
  config: Record<string, unknown>,
  placeOf: PlaceOf = () => ({ file: "stack config", line: 1, col: 1 }),
): ProfileResult {
  const settings = new StackSettings(config, placeOf);
  // The reads below run in a fixed order: it is the order of the diagnostics.
  reportUnknownSettings(config, settings);
  const { region, userPoolId } = readPoolLocation(settings);
  const userPoolName = settings.text(setting("userPoolName"), false) ?? "cognito-roster";
  const autoVerifiedAttributes = readAutoVerifiedAttributes(settings);
  const mfaConfiguration = settings.oneOf(setting("mfaConfiguration"), ["ON", "OFF", "OPTIONAL"] as const, undefined);
  const requiredAttributes = readRequiredAttributes(settings);
  const customAttributes = readCustomAttributes(settings);
  const usernamePattern = readUsernamePattern(settings);
  const logsRoleArn = readLogsRoleArn(settings);
  const maxRemovalFraction = readMaxRemovalFraction(settings);
  const contactPolicy = parseContactPolicy(settings.get(setting("contactPolicy")), settings.failer(setting("contactPolicy")));
  const mfaFactors = parseMfaFactors(settings.get(setting("mfaFactors")), settings.failer(setting("mfaFactors")));
  const officeAttribute = readOfficeAttribute(settings);
  const groups = readManagedGroups(settings);
  const timeZone = readTimeZone(settings);
  const identityAttribute = readIdentityAttribute(settings, customAttributes);
  const signIn = readSignInModel(settings);
  const accountRecovery = readAccountRecovery(settings);
  const remindersValue = settings.get(setting("signInReminders"));
  const signInReminders =
    remindersValue === undefined || remindersValue === null
      ? undefined
      : parseSignInReminders(remindersValue, (m, at) => settings.fail(setting("signInReminders"), m, at));
  const profile: PoolProfile = {
    region: region ?? "",
    userPoolId: userPoolId ?? "",
    userPoolName,
    autoVerifiedAttributes,
    mfaConfiguration: mfaConfiguration ?? "OFF",
    requiredAttributes,
    customAttributes,
    usernameCaseSensitive: settings.flag(setting("usernameCaseSensitive"), false),
    usernamePattern,
    usernameMustEqualEmail: settings.flag(setting("usernameMustEqualEmail"), false),
    logsRoleArn,
    attributeChanges: settings.oneOf(setting("attributeChanges"), ["update", "report"] as const, "update") ?? "update",
    removedUsers: readRemovedUsers(settings),
    maxRemovalFraction,
    sendSignInCode: settings.oneOf(setting("sendSignInCode"), ["off", "afterImport"] as const, "off") ?? "off",
    ...(signInReminders !== undefined ? { signInReminders } : {}),
    contactPolicy,
    mfaFactors,
    ...(officeAttribute !== undefined ? { officeAttribute } : {}),
    ...(groups !== undefined ? { groups } : {}),
    timeZone,
    ...(identityAttribute !== undefined ? { identityAttribute } : {}),
    ...signIn,
    ...(accountRecovery !== undefined ? { accountRecovery } : {}),
    attributesRequireVerificationBeforeUpdate: readVerifyBeforeUpdate(settings, autoVerifiedAttributes),
    emailSendingAccount:
      settings.oneOf(setting("emailSendingAccount"), ["COGNITO_DEFAULT", "DEVELOPER"] as const, "COGNITO_DEFAULT") ?? "COGNITO_DEFAULT",
  };
  return settings.diagnostics.length > 0 ? { diagnostics: settings.diagnostics } : { profile, diagnostics: settings.diagnostics };
}

/**
 * A misspelt setting would otherwise be silently ignored: an unknown `cognito-roster:` key, or a key whose
 * namespace is a misspelling of ours (`cognito_roster:groups`), is an error at the key naming the closest setting.
 */
function reportUnknownSettings(config: Record<string, unknown>, settings: StackSettings): void {
  for (const key of Object.keys(config)) {
    const colon = key.indexOf(":");
    const namespace = colon < 0 ? key : key.slice(0, colon);
    const name = colon < 0 ? "" : key.slice(colon + 1);
    if (namespace === CONFIG_NAMESPACE && (PROFILE_KEYS as readonly string[]).includes(name)) continue;
    if (namespace !== CONFIG_NAMESPACE && closestName(namespace, [CONFIG_NAMESPACE]) === undefined) continue;
    const closest = closestName(name, PROFILE_KEYS);
    const hint = closest !== undefined ? `did you mean ${CONFIG_NAMESPACE}:${closest}?` : `known: ${PROFILE_KEYS.join(", ")}`;
    settings.diagnostics.push(
      configError(settings.placeOf(key, "key"), "CONFIG_UNKNOWN_KEY", `${key} is not a cognito-roster setting (${hint})`),
    );
  }
}
