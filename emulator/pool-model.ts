/**
 * The user pool as the emulator holds it: schema (standard + custom attributes with constraints),
 * auto-verified attributes, MFA, username/alias attributes, case sensitivity, attribute-update settings, tags —
 * and its conversion to DescribeUserPool's `UserPool` shape. Users live in `users-store.ts`.
 *
 * Every constant here is the emulator's own copy, taken from the AWS documentation (never from the product's
 * code: where the two agree, that is a finding, not a shortcut).
 */

type MfaSetting = "ON" | "OFF" | "OPTIONAL";

/**
 * The standard attributes in GetCSVHeader's order: the developer guide's example header ("Importing users into a
 * user pool from a CSV file" → "Creating the CSV file"), without the two `cognito:` columns and `updated_at`.
 */
const STANDARD_ATTRIBUTES: readonly string[] = [
  "name",
  "given_name",
  "family_name",
  "middle_name",
  "nickname",
  "preferred_username",
  "profile",
  "picture",
  "website",
  "email",
  "email_verified",
  "gender",
  "birthdate",
  "zoneinfo",
  "locale",
  "phone_number",
  "phone_number_verified",
  "address",
];

/** The attributes that can be verified (VerifiedAttributeType in the API reference). */
export const VERIFIABLE_ATTRIBUTES = ["email", "phone_number"] as const;

export interface SchemaAttribute {
  Name: string;
  AttributeDataType: "String" | "Number" | "Boolean" | "DateTime";
  DeveloperOnlyAttribute: boolean;
  Mutable: boolean;
  Required: boolean;
  StringAttributeConstraints?: { MinLength?: string; MaxLength?: string };
  NumberAttributeConstraints?: { MinValue?: string; MaxValue?: string };
}

export interface MfaFactors {
  sms: boolean;
  softwareToken: boolean;
  email: boolean;
}

export interface PoolConfig {
  id: string;
  name: string;
  arn: string;
  schema: SchemaAttribute[];
  autoVerifiedAttributes: string[];
  usernameAttributes: string[];
  aliasAttributes: string[];
  mfaConfiguration: MfaSetting;
  /** Enabled MFA factors (SetUserPoolMfaConfig); absent in state files written before it existed. */
  mfaFactors?: MfaFactors;
  caseSensitive: boolean;
  /** UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate; absent = none. */
  verifyBeforeUpdate?: string[];
  /** AccountRecoverySetting as given (echoed by DescribeUserPool). */
  accountRecovery?: unknown;
  /** EmailConfiguration as given (echoed by DescribeUserPool; absent = Cognito's own sender, COGNITO_DEFAULT). */
  emailConfiguration?: { EmailSendingAccount?: string; SourceArn?: string };
  /** SmsConfiguration as given (needed for SMS MFA at creation; echoed by DescribeUserPool). */
  smsConfiguration?: unknown;
  tags?: Record<string, string>;
  /** ms since epoch */
  creationDate: number;
  lastModifiedDate: number;
}

/** Data types of the standard attributes, as DescribeUserPool reports them. */
function standardType(name: string): SchemaAttribute["AttributeDataType"] {
  if (name === "email_verified" || name === "phone_number_verified") return "Boolean";
  if (name === "updated_at") return "Number";
  return "String";
}

/** The standard schema every new pool gets (plus `sub`), with the given attributes required. */
export function standardSchema(required: readonly string[]): SchemaAttribute[] {
  const names = ["sub", ...STANDARD_ATTRIBUTES, "updated_at"];
  return names.map((name) => {
    const type = standardType(name);
    const attr: SchemaAttribute = {
      Name: name,
      AttributeDataType: type,
      DeveloperOnlyAttribute: false,
      Mutable: name !== "sub",
      Required: name === "sub" || required.includes(name),
    };
    if (type === "String")
      attr.StringAttributeConstraints = name === "sub" ? { MinLength: "1", MaxLength: "2048" } : { MinLength: "0", MaxLength: "2048" };
    if (type === "Number") attr.NumberAttributeConstraints = { MinValue: "0" };
    return attr;
  });
}

export function isStandardAttribute(name: string): boolean {
  return name === "sub" || name === "updated_at" || STANDARD_ATTRIBUTES.includes(name);
}

export function poolArn(poolId: string, region: string, accountId: string): string {
  return `arn:aws:cognito-idp:${region}:${accountId}:userpool/${poolId}`;
}

/** The Region a pool id names: ids are `<region>_<suffix>`. */
export function regionOfPoolId(poolId: string): string {
  const i = poolId.indexOf("_");
  return i < 0 ? "" : poolId.slice(0, i);
}

/** GetCSVHeader's column list: standard attributes, custom attributes, then the two cognito: columns. */
export function csvHeader(pool: PoolConfig): string[] {
  const standard = [...STANDARD_ATTRIBUTES, "updated_at"];
  const custom = pool.schema.filter((a) => a.Name.startsWith("custom:")).map((a) => a.Name);
  return [...standard, ...custom, "cognito:mfa_enabled", "cognito:username"];
}

export function schemaAttribute(pool: PoolConfig, name: string): SchemaAttribute | undefined {
  return pool.schema.find((a) => a.Name === name);
}
