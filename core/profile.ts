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
import { type ManagedGroup, parseManagedGroups } from "./groups";
import { ATTRIBUTE_NAME, IAM_ROLE_ARN, USER_POOL_ID } from "./identifier-patterns";

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
export type RemovedUserPolicy = "retain" | "disable" | "delete";
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
  /** The verification policy (the team's Q1): what every trainee must have of email and of phone_number (absent: optional). */
  contactPolicy?: { email: ContactRequirement; phone_number: ContactRequirement };
  /** The second factors an MFA-on (or optional) pool offers (absent: softwareToken); an SMS-only pool needs a phone for every MFA user. */
  mfaFactors?: MfaFactor[];
  /** The attribute whose value names a user's office folder in `roster export` (when --office-attribute is absent). */
  officeAttribute?: string;
  /** The groups the roster manages, by name (core/groups.ts); absent = none. Memberships in others are never touched. */
  groups?: Record<string, ManagedGroup>;
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

/** The keys of the profile as they appear in stack config, without the namespace. */
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
  "contactPolicy",
  "mfaFactors",
  "officeAttribute",
  "groups",
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
  const places: Record<string, Place> = {};
  for (const pair of config.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    const value = pair.value as Node | null;
    values[key] = isScalar(value) ? value.value : isMap(value) || isSeq(value) ? value.toJSON() : value;
    places[key] = placeOf(value ?? (pair.key as Node));
  }
  return profileFromConfig(values, (key) => places[key] ?? { file, line: 1, col: 1 });
}

/**
 * Builds the profile from namespaced stack config (`"cognito-roster:userPoolId"`, `"aws:region"`), as the stack
 * file holds it and as Pulumi hands it to a provider's `configure` (where structured values arrive as JSON text).
 */
export function profileFromConfig(
  config: Record<string, unknown>,
  placeOf: (key: string) => Place = () => ({ file: "stack config", line: 1, col: 1 }),
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
  const signIn = readSignInModel(settings);
  const accountRecovery = readAccountRecovery(settings);
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
    removedUsers: settings.oneOf(setting("removedUsers"), ["retain", "disable", "delete"] as const, "retain") ?? "retain",
    maxRemovalFraction,
    sendSignInCode: settings.oneOf(setting("sendSignInCode"), ["off", "afterImport"] as const, "off") ?? "off",
    contactPolicy,
    mfaFactors,
    ...(officeAttribute !== undefined ? { officeAttribute } : {}),
    ...(groups !== undefined ? { groups } : {}),
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
    readonly placeOf: (key: string) => Place,
  ) {}

  get(key: string): unknown {
    return parseIfJson(this.config[key]);
  }

  fail(key: string, message: string): void {
    this.diagnostics.push(configError(this.placeOf(key), "CONFIG_INVALID", `${key}: ${message}`));
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
      this.fail(key, "must be a non-empty string");
      return undefined;
    }
    return v;
  }

  flag(key: string, fallback: boolean): boolean {
    const v = this.get(key);
    if (v === undefined || v === null) return fallback;
    if (v === true || v === "true") return true;
    if (v === false || v === "false") return false;
    this.fail(key, "must be true or false");
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

/** A misspelt setting would otherwise be silently ignored. */
function reportUnknownSettings(config: Record<string, unknown>, settings: StackSettings): void {
  for (const key of Object.keys(config)) {
    if (key.startsWith(`${CONFIG_NAMESPACE}:`) && !(PROFILE_KEYS as readonly string[]).includes(key.slice(CONFIG_NAMESPACE.length + 1))) {
      settings.diagnostics.push(
        configError(
          settings.placeOf(key),
          "CONFIG_UNKNOWN_KEY",
          `${key} is not a cognito-roster setting (known: ${PROFILE_KEYS.join(", ")})`,
        ),
      );
    }
  }
}

function readPoolLocation(settings: StackSettings): { region?: string; userPoolId?: string } {
  const region = settings.text("aws:region", true);
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
    if (typeof parsed === "string") settings.fail(key, parsed);
    else customAttributes[name] = parsed;
  }
  return customAttributes;
}

function readUsernamePattern(settings: StackSettings): string | undefined {
  const usernamePattern = settings.text(setting("usernamePattern"), false);
  if (usernamePattern !== undefined) {
    try {
      new RegExp(usernamePattern, "u");
    } catch (e) {
      settings.fail(setting("usernamePattern"), `is not a valid regular expression: ${(e as Error).message}`);
    }
  }
  return usernamePattern;
}

function readLogsRoleArn(settings: StackSettings): string | undefined {
  const logsRoleArn = settings.text(setting("logsRoleArn"), false);
  if (logsRoleArn !== undefined && !IAM_ROLE_ARN.test(logsRoleArn)) {
    settings.fail(setting("logsRoleArn"), `"${logsRoleArn}" is not an IAM role ARN`);
  }
  return logsRoleArn;
}

function readMaxRemovalFraction(settings: StackSettings): number {
  const fraction = settings.get(setting("maxRemovalFraction"));
  if (fraction === undefined || fraction === null) return 0.25;
  const n = typeof fraction === "string" ? Number(fraction) : fraction;
  if (typeof n === "number" && Number.isFinite(n) && n >= 0 && n <= 1) return n;
  settings.fail(setting("maxRemovalFraction"), "must be a number from 0 to 1");
  return 0.25;
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
  if (usernameAttributes.length > 0) {
    // The username of such a pool is a UUID Cognito generates; the email or phone stands in for it everywhere but
    // ListUsers ("User pool attributes → Option 2"), and the import CSV page says nothing of such pools: the roster
    // keys users by username, so it refuses them rather than plan against usernames the pool never has.
    settings.fail(
      setting("usernameAttributes"),
      'the roster does not manage pools that use email or phone_number as the username (its users are keyed by a username Cognito generates); docs/users-files.md, "Sign-in models"',
    );
  }
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

function parseCustomAttribute(name: string, spec: unknown): CustomAttribute | string {
  if (!/^[\w-]{1,20}$/.test(name)) return `custom attribute name "${name}" must be 1-20 letters, digits, _ or -`;
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) return `custom attribute ${name} must be a mapping with a type`;
  const s = spec as Record<string, unknown>;
  const known = ["type", "minLength", "maxLength", "minValue", "maxValue", "mutable"];
  const unknown = Object.keys(s).filter((k) => !known.includes(k));
  if (unknown.length > 0) return `custom attribute ${name}: unknown key ${unknown.join(", ")} (known: ${known.join(", ")})`;
  if (s.type !== "String" && s.type !== "Number") return `custom attribute ${name}: type must be String or Number`;
  const out: CustomAttribute = { type: s.type };
  for (const k of ["minLength", "maxLength", "minValue", "maxValue"] as const) {
    if (s[k] === undefined) continue;
    const n = Number(s[k]);
    if (!Number.isInteger(n)) return `custom attribute ${name}: ${k} must be a whole number`;
    out[k] = n;
  }
  if (s.mutable !== undefined) {
    if (typeof s.mutable !== "boolean") return `custom attribute ${name}: mutable must be true or false`;
    out.mutable = s.mutable;
  }
  return out;
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

function configError(place: Place, code: string, message: string): Diagnostic {
  return { ...place, severity: "error", code, message };
}
