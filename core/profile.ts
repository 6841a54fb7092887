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
  const diagnostics: Diagnostic[] = [];
  const fail = (key: string, message: string) => diagnostics.push(configError(placeOf(key), "CONFIG_INVALID", `${key}: ${message}`));
  const ns = (key: string) => `${CONFIG_NAMESPACE}:${key}`;
  const get = (key: string): unknown => parseIfJson(config[key]);

  for (const key of Object.keys(config)) {
    if (key.startsWith(`${CONFIG_NAMESPACE}:`) && !(PROFILE_KEYS as readonly string[]).includes(key.slice(CONFIG_NAMESPACE.length + 1))) {
      diagnostics.push(
        configError(placeOf(key), "CONFIG_UNKNOWN_KEY", `${key} is not a cognito-roster setting (known: ${PROFILE_KEYS.join(", ")})`),
      );
    }
  }

  const str = (key: string, required: boolean): string | undefined => {
    const v = get(key);
    if (v === undefined || v === null) {
      if (required) fail(key, "is required");
      return undefined;
    }
    if (typeof v !== "string" || v.trim() === "") {
      fail(key, "must be a non-empty string");
      return undefined;
    }
    return v;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const v = get(key);
    if (v === undefined || v === null) return fallback;
    if (v === true || v === "true") return true;
    if (v === false || v === "false") return false;
    fail(key, "must be true or false");
    return fallback;
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T | undefined): T | undefined => {
    const v = get(key);
    if (v === undefined || v === null) {
      if (fallback === undefined) fail(key, `is required (one of ${allowed.join(", ")})`);
      return fallback;
    }
    if (!allowed.includes(v as T)) {
      fail(key, `must be one of ${allowed.join(", ")} (got ${JSON.stringify(v)})`);
      return fallback;
    }
    return v as T;
  };
  const list = (key: string): string[] => {
    const v = get(key);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      fail(key, "must be a list of attribute names");
      return [];
    }
    return v as string[];
  };

  const region = str("aws:region", true);
  const userPoolId = str(ns("userPoolId"), true);
  if (userPoolId !== undefined && !USER_POOL_ID.test(userPoolId)) {
    fail(ns("userPoolId"), `"${userPoolId}" is not a user pool id (region_id, e.g. eu-west-2_AbC123xyZ)`);
  }
  if (userPoolId !== undefined && region !== undefined && !userPoolId.startsWith(`${region}_`)) {
    fail(ns("userPoolId"), `pool "${userPoolId}" is not in aws:region ${region}`);
  }
  const userPoolName = str(ns("userPoolName"), false) ?? "cognito-roster";

  const autoVerified = list(ns("autoVerifiedAttributes"));
  for (const a of autoVerified) {
    if (a !== "email" && a !== "phone_number") fail(ns("autoVerifiedAttributes"), `"${a}" cannot be auto-verified (email or phone_number)`);
  }
  if (autoVerified.length === 0) {
    fail(
      ns("autoVerifiedAttributes"),
      "must name email and/or phone_number: Cognito cannot run an import job for a pool with no auto-verified attribute",
    );
  }
  const mfaConfiguration = oneOf(ns("mfaConfiguration"), ["ON", "OFF", "OPTIONAL"] as const, undefined);

  const requiredAttributes = list(ns("requiredAttributes"));
  for (const a of requiredAttributes) {
    if (!(STANDARD_ATTRIBUTES as readonly string[]).includes(a)) fail(ns("requiredAttributes"), `"${a}" is not a standard attribute`);
  }

  const customAttributes: Record<string, CustomAttribute> = {};
  const custom = get(ns("customAttributes"));
  if (custom !== undefined && custom !== null) {
    if (typeof custom !== "object" || Array.isArray(custom)) {
      fail(ns("customAttributes"), "must be a mapping of name to {type, minLength, maxLength, minValue, maxValue}");
    } else {
      for (const [name, spec] of Object.entries(custom as Record<string, unknown>)) {
        const parsed = parseCustomAttribute(name, spec);
        if (typeof parsed === "string") fail(ns("customAttributes"), parsed);
        else customAttributes[name] = parsed;
      }
    }
  }

  const usernamePattern = str(ns("usernamePattern"), false);
  if (usernamePattern !== undefined) {
    try {
      new RegExp(usernamePattern, "u");
    } catch (e) {
      fail(ns("usernamePattern"), `is not a valid regular expression: ${(e as Error).message}`);
    }
  }

  const logsRoleArn = str(ns("logsRoleArn"), false);
  if (logsRoleArn !== undefined && !IAM_ROLE_ARN.test(logsRoleArn)) {
    fail(ns("logsRoleArn"), `"${logsRoleArn}" is not an IAM role ARN`);
  }

  let maxRemovalFraction = 0.25;
  const fraction = get(ns("maxRemovalFraction"));
  if (fraction !== undefined && fraction !== null) {
    const n = typeof fraction === "string" ? Number(fraction) : fraction;
    if (typeof n !== "number" || !Number.isFinite(n) || n < 0 || n > 1) fail(ns("maxRemovalFraction"), "must be a number from 0 to 1");
    else maxRemovalFraction = n;
  }

  const contactPolicy = parseContactPolicy(get(ns("contactPolicy")), (message) => fail(ns("contactPolicy"), message));
  const mfaFactors = parseMfaFactors(get(ns("mfaFactors")), (message) => fail(ns("mfaFactors"), message));
  const officeAttribute = str(ns("officeAttribute"), false);
  if (officeAttribute !== undefined && !ATTRIBUTE_NAME.test(officeAttribute)) {
    fail(ns("officeAttribute"), `"${officeAttribute}" is not an attribute name (e.g. custom:office)`);
  }

  const managedGroups = parseManagedGroups(get(ns("groups")));
  for (const problem of managedGroups.problems) fail(ns("groups"), problem);

  const profile: PoolProfile = {
    region: region ?? "",
    userPoolId: userPoolId ?? "",
    userPoolName,
    autoVerifiedAttributes: autoVerified.filter((a): a is AutoVerifiedAttribute => a === "email" || a === "phone_number"),
    mfaConfiguration: mfaConfiguration ?? "OFF",
    requiredAttributes,
    customAttributes,
    usernameCaseSensitive: bool(ns("usernameCaseSensitive"), false),
    usernamePattern,
    usernameMustEqualEmail: bool(ns("usernameMustEqualEmail"), false),
    logsRoleArn,
    attributeChanges: oneOf(ns("attributeChanges"), ["update", "report"] as const, "update") ?? "update",
    removedUsers: oneOf(ns("removedUsers"), ["retain", "disable", "delete"] as const, "retain") ?? "retain",
    maxRemovalFraction,
    sendSignInCode: oneOf(ns("sendSignInCode"), ["off", "afterImport"] as const, "off") ?? "off",
    contactPolicy,
    mfaFactors,
    ...(officeAttribute !== undefined ? { officeAttribute } : {}),
    ...(Object.keys(managedGroups.groups).length > 0 ? { groups: managedGroups.groups } : {}),
  };
  return diagnostics.length > 0 ? { diagnostics } : { profile, diagnostics };
}

function parseCustomAttribute(name: string, spec: unknown): CustomAttribute | string {
  if (!/^[\w-]{1,20}$/.test(name)) return `custom attribute name "${name}" must be 1-20 letters, digits, _ or -`;
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) return `custom attribute ${name} must be a mapping with a type`;
  const s = spec as Record<string, unknown>;
  const known = ["type", "minLength", "maxLength", "minValue", "maxValue"];
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
