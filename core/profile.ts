/**
 * The pool profile: what validation and planning must know about the user pool without AWS credentials.
 *
 * It lives in the Pulumi stack config file `Pulumi.<stack>.yaml` under the `cognito-roster:` namespace (plus
 * `aws:region`), so a pull request check reads it from the checkout (load/stack-profile.ts reads the file). This
 * module parses and checks it; it reads no file and knows nothing of the Pulumi engine or of AWS.
 */
import { DEFAULT_TIME_ZONE, isKnownTimeZone } from "./access-dates";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { Diagnostic, DiagnosticCode } from "./diagnostics";
import { MFA_COLUMN, STANDARD_ATTRIBUTES, USERNAME_COLUMN } from "./declared-user";
import { type ManagedGroup, parseManagedGroups } from "./groups";
import { ATTRIBUTE_NAME, IAM_ROLE_ARN, USER_POOL_ID } from "./identifier-patterns";
import { closestName } from "./closest-name";
import { compileUsernamePattern } from "./username-pattern";
import { parseSignInReminders, type SignInReminders } from "./sign-in-reminders";

const CONFIG_NAMESPACE = "cognito-roster";

type MfaConfiguration = "ON" | "OFF" | "OPTIONAL";
type AutoVerifiedAttribute = "email" | "phone_number";
/** The pool's sign-in model (core/pool-settings.ts): email/phone as the username, or as aliases of a free-form one. */
type UsernameAttribute = "email" | "phone_number";
type AliasAttribute = "email" | "phone_number" | "preferred_username";
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
type ContactRequirement = "optional" | "present" | "verified";
/** The pool's MFA factors (SetUserPoolMfaConfig): SMS text message, authenticator app, email message. */
type MfaFactor = "sms" | "softwareToken" | "email";

interface CustomAttribute {
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

/** Where a config value was found, for diagnostics; `line` and `col` are 1-based. */
interface Place {
  file: string;
  line: number;
  col: number;
}

/**
 * Where a setting is: its value (no `at`), its key (`"key"`), or a value nested in it (a path of mapping keys and
 * list indexes, e.g. `["tisId", "maxLength"]`); the value's place when the path is not there.
 */
type PlaceOf = (key: string, at?: "key" | readonly (string | number)[]) => Place;

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

/** A profile setting's name in stack config. */
function setting(key: (typeof PROFILE_KEYS)[number]): string {
  return `${CONFIG_NAMESPACE}:${key}`;
}

/** Typed reads of stack config values; a value that cannot be used is a CONFIG_INVALID diagnostic at its place. */
class StackSettings {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly config: Record<string, unknown>,
    readonly placeOf: PlaceOf,
  ) {}

  get(key: string): unknown {
    return parseIfJson(this.config[key]);
  }

  fail(key: string, message: string, at?: readonly (string | number)[]): void {
    this.diagnostics.push(configError(this.placeOf(key, at), "CONFIG_INVALID", `${key}: ${message}`));
  }

  /** `fail` for one setting, for parsers that know only the value. */
  failer(key: string): (message: string) => void {
    return (message) => this.fail(key, message);
  }

  text(key: string, required: boolean): string | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) {
      if (required) this.fail(key, "is required");
      return undefined;
    }
    if (typeof v !== "string" || v.trim() === "") {
      this.fail(key, `must be a non-empty string (got ${describeConfigValue(v)})`);
      return undefined;
    }
    if (v.trim() !== v) {
      // "eu-west-2 " is not a Region: a value is used exactly as written, so whitespace is never trimmed silently.
      this.fail(key, `${JSON.stringify(v)} has whitespace at its start or end: remove it`);
      return undefined;
    }
    return v;
  }

  flag(key: string, fallback: boolean): boolean {
    const v = this.get(key);
    if (v === undefined || v === null) return fallback;
    if (v === true || v === "true") return true;
    if (v === false || v === "false") return false;
    this.fail(key, `must be true or false (got ${describeConfigValue(v)})`);
    return fallback;
  }

  /** One of `allowed`; with no fallback the setting is required. */
  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T | undefined): T | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) {
      if (fallback === undefined) this.fail(key, `is required (one of ${allowed.join(", ")})`);
      return fallback;
    }
    if (!allowed.includes(v as T)) {
      this.fail(key, `must be one of ${allowed.join(", ")} (got ${JSON.stringify(v)})`);
      return fallback;
    }
    return v as T;
  }

  names(key: string): string[] {
    const v = this.get(key);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      this.fail(key, "must be a list of attribute names");
      return [];
    }
    return v as string[];
  }
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

/** A config value in a message: its YAML type and, for scalars, the value. */
function describeConfigValue(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object" && v !== null) return "a mapping";
  return JSON.stringify(v) ?? String(v);
}

/** AWS Region names: `eu-west-2`, `us-gov-west-1`, `ap-southeast-5`. */
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;

function readPoolLocation(settings: StackSettings): { region?: string; userPoolId?: string } {
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

function readAutoVerifiedAttributes(settings: StackSettings): AutoVerifiedAttribute[] {
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

function readRequiredAttributes(settings: StackSettings): string[] {
  const key = setting("requiredAttributes");
  const names = settings.names(key);
  for (const a of names) {
    if (!(STANDARD_ATTRIBUTES as readonly string[]).includes(a)) settings.fail(key, `"${a}" is not a standard attribute`);
  }
  return names;
}

function readCustomAttributes(settings: StackSettings): Record<string, CustomAttribute> {
  const key = setting("customAttributes");
  const customAttributes: Record<string, CustomAttribute> = {};
  const custom = settings.get(key);
  if (custom === undefined || custom === null) return customAttributes;
  if (typeof custom !== "object" || Array.isArray(custom)) {
    settings.fail(key, "must be a mapping of name to {type, minLength, maxLength, minValue, maxValue}");
    return customAttributes;
  }
  for (const [name, spec] of Object.entries(custom as Record<string, unknown>)) {
    const parsed = parseCustomAttribute(name, spec);
    if ("problem" in parsed) settings.fail(key, parsed.problem, parsed.at);
    else customAttributes[name] = parsed;
  }
  return customAttributes;
}

function readUsernamePattern(settings: StackSettings): string | undefined {
  const usernamePattern = settings.text(setting("usernamePattern"), false);
  if (usernamePattern === undefined) return undefined;
  const compiled = compileUsernamePattern(usernamePattern);
  if ("problem" in compiled) settings.fail(setting("usernamePattern"), compiled.problem);
  return usernamePattern;
}

function readLogsRoleArn(settings: StackSettings): string | undefined {
  const logsRoleArn = settings.text(setting("logsRoleArn"), false);
  if (logsRoleArn !== undefined && !IAM_ROLE_ARN.test(logsRoleArn)) {
    settings.fail(setting("logsRoleArn"), `"${logsRoleArn}" is not an IAM role ARN`);
  }
  return logsRoleArn;
}

function readTimeZone(settings: StackSettings): string {
  const timeZone = settings.text(setting("timeZone"), false);
  if (timeZone === undefined) return DEFAULT_TIME_ZONE;
  if (!isKnownTimeZone(timeZone)) {
    settings.fail(setting("timeZone"), `"${timeZone}" is not an IANA time zone (e.g. Europe/London)`);
    return DEFAULT_TIME_ZONE;
  }
  return timeZone;
}

function readRemovedUsers(settings: StackSettings): RemovedUserPolicy {
  if (settings.get(setting("removedUsers")) === "delete") {
    settings.fail(
      setting("removedUsers"),
      'is "delete", which is not offered: use disable (the default), which takes access away and keeps the account, so a re-joiner keeps their sub',
    );
    return "disable";
  }
  return settings.oneOf(setting("removedUsers"), ["disable", "retain"] as const, "disable") ?? "disable";
}

function readMaxRemovalFraction(settings: StackSettings): number {
  const fraction = settings.get(setting("maxRemovalFraction"));
  if (fraction === undefined || fraction === null) return 0.25;
  const n = typeof fraction === "string" && /^[0-9]*\.?[0-9]+$/.test(fraction) ? Number(fraction) : fraction;
  if (typeof n === "number" && Number.isFinite(n) && n >= 0 && n <= 1) return n;
  settings.fail(setting("maxRemovalFraction"), `must be a number from 0 to 1 (got ${describeConfigValue(fraction)})`);
  return 0.25;
}

/** A standard attribute, or a custom attribute the stack declares (a custom one is what the files can carry). */
function readIdentityAttribute(settings: StackSettings, customAttributes: PoolProfile["customAttributes"]): string | undefined {
  const name = settings.text(setting("identityAttribute"), false);
  if (name === undefined) return undefined;
  const known = name.startsWith("custom:")
    ? Object.hasOwn(customAttributes, name.slice("custom:".length))
    : (STANDARD_ATTRIBUTES as readonly string[]).includes(name) && !["email", "phone_number"].includes(name);
  if (!ATTRIBUTE_NAME.test(name) || !known) {
    settings.fail(
      setting("identityAttribute"),
      `"${name}" is not an attribute that identifies a person across usernames: name a custom attribute the stack declares (e.g. custom:tisId) or a standard one other than email and phone_number`,
    );
    return undefined;
  }
  return name;
}

function readOfficeAttribute(settings: StackSettings): string | undefined {
  const officeAttribute = settings.text(setting("officeAttribute"), false);
  if (officeAttribute !== undefined && !ATTRIBUTE_NAME.test(officeAttribute)) {
    settings.fail(setting("officeAttribute"), `"${officeAttribute}" is not an attribute name (e.g. custom:office)`);
  }
  return officeAttribute;
}

/** The managed groups, or undefined when the stack manages none. */
function readManagedGroups(settings: StackSettings): Record<string, ManagedGroup> | undefined {
  const managedGroups = parseManagedGroups(settings.get(setting("groups")));
  for (const problem of managedGroups.problems) settings.fail(setting("groups"), problem);
  return Object.keys(managedGroups.groups).length > 0 ? managedGroups.groups : undefined;
}

/** UsernameAttributes or AliasAttributes: a pool has at most one of the two (CreateUserPool refuses both). */
function readSignInModel(settings: StackSettings): Pick<PoolProfile, "usernameAttributes" | "aliasAttributes"> {
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
function readAccountRecovery(settings: StackSettings): RecoveryMechanism[] | undefined {
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
function readVerifyBeforeUpdate(settings: StackSettings, autoVerified: readonly AutoVerifiedAttribute[]): AutoVerifiedAttribute[] {
  const key = setting("attributesRequireVerificationBeforeUpdate");
  const names = settings.names(key);
  for (const a of names)
    if (!autoVerified.includes(a as AutoVerifiedAttribute)) settings.fail(key, `"${a}" must also be in autoVerifiedAttributes`);
  return names.filter((a): a is AutoVerifiedAttribute => autoVerified.includes(a as AutoVerifiedAttribute));
}

/** What is wrong with a custom attribute's spec, and where inside `customAttributes`. */
interface SpecProblem {
  problem: string;
  at: (string | number)[];
}

const CUSTOM_ATTRIBUTE_KEYS = ["type", "minLength", "maxLength", "minValue", "maxValue", "mutable"];

function parseCustomAttribute(name: string, spec: unknown): CustomAttribute | SpecProblem {
  if (!/^[\w-]{1,20}$/.test(name)) return { problem: `custom attribute name "${name}" must be 1-20 letters, digits, _ or -`, at: [] };
  if (typeof spec !== "object" || spec === null || Array.isArray(spec))
    return { problem: `custom attribute ${name} must be a mapping with a type`, at: [name] };
  const s = spec as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    if (CUSTOM_ATTRIBUTE_KEYS.includes(k)) continue;
    const closest = closestName(k, CUSTOM_ATTRIBUTE_KEYS);
    const hint = closest !== undefined ? `did you mean ${closest}?` : `known: ${CUSTOM_ATTRIBUTE_KEYS.join(", ")}`;
    return { problem: `custom attribute ${name}: unknown key ${k} (${hint})`, at: [name, k] };
  }
  if (s.type !== "String" && s.type !== "Number")
    return { problem: `custom attribute ${name}: type must be String or Number (got ${describeConfigValue(s.type)})`, at: [name, "type"] };
  const out: CustomAttribute = { type: s.type };
  // Lengths for a String attribute, values for a Number one: the other pair would be silently meaningless.
  const bounds = s.type === "String" ? (["minLength", "maxLength"] as const) : (["minValue", "maxValue"] as const);
  for (const k of ["minLength", "maxLength", "minValue", "maxValue"] as const) {
    if (s[k] === undefined) continue;
    if (!(bounds as readonly string[]).includes(k))
      return { problem: `custom attribute ${name}: ${k} does not apply to a ${s.type} attribute`, at: [name, k] };
    const n = wholeNumberSetting(s[k]);
    if (n === undefined)
      return { problem: `custom attribute ${name}: ${k} must be a whole number (got ${describeConfigValue(s[k])})`, at: [name, k] };
    if (k.endsWith("Length") && (n < 0 || n > 2048))
      return { problem: `custom attribute ${name}: ${k} must be from 0 to 2048 (Cognito's attribute length limit)`, at: [name, k] };
    out[k] = n;
  }
  const [min, max] = s.type === "String" ? [out.minLength, out.maxLength] : [out.minValue, out.maxValue];
  if (min !== undefined && max !== undefined && min > max)
    return { problem: `custom attribute ${name}: ${bounds[0]} ${min} is greater than ${bounds[1]} ${max}`, at: [name, bounds[0]] };
  if (s.mutable !== undefined) {
    if (typeof s.mutable !== "boolean")
      return {
        problem: `custom attribute ${name}: mutable must be true or false (got ${describeConfigValue(s.mutable)})`,
        at: [name, "mutable"],
      };
    out.mutable = s.mutable;
  }
  return out;
}

/**
 * A whole number written as a YAML number or as decimal text (Pulumi hands config to providers as text), within
 * JavaScript's exact integers; undefined for anything else (`true`, `""`, `1.5`, a float beyond 2^53).
 */
function wholeNumberSetting(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?[0-9]+$/.test(v) ? Number(v) : Number.NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

const CONTACT_REQUIREMENTS: readonly ContactRequirement[] = ["optional", "present", "verified"];

/** `{email: verified, phone_number: present}`; an attribute left out is optional. */
function parseContactPolicy(value: unknown, fail: (message: string) => void): NonNullable<PoolProfile["contactPolicy"]> {
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

const MFA_FACTORS: readonly MfaFactor[] = ["sms", "softwareToken", "email"];

/** A list of sms, softwareToken, email; an authenticator app (softwareToken) when not set. */
function parseMfaFactors(value: unknown, fail: (message: string) => void): MfaFactor[] {
  if (value === undefined || value === null) return ["softwareToken"];
  if (!Array.isArray(value) || value.length === 0 || value.some((f) => !MFA_FACTORS.includes(f as MfaFactor))) {
    fail(`must be a non-empty list of ${MFA_FACTORS.join(", ")}`);
    return ["softwareToken"];
  }
  return [...new Set(value as MfaFactor[])];
}

/** Pulumi hands structured config to providers as JSON text. */
function parseIfJson(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const t = v.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return v;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
}

function configError(place: Place, code: DiagnosticCode, message: string): Diagnostic {
  return { ...place, severity: "error", code, message };
}
