/**
 * The user pool as the emulator holds it: schema (standard + custom attributes with constraints),
 * auto-verified attributes, MFA, username case sensitivity — and its conversion from a `PoolProfile`
 * and to DescribeUserPool's `UserPool` shape. Users live in `users-store.ts`.
 */
import type { PoolProfile } from "../core/profile";
import { STANDARD_ATTRIBUTES } from "../core/declared-user";

export type MfaSetting = "ON" | "OFF" | "OPTIONAL";

export interface SchemaAttribute {
  Name: string;
  AttributeDataType: "String" | "Number" | "Boolean" | "DateTime";
  DeveloperOnlyAttribute: boolean;
  Mutable: boolean;
  Required: boolean;
  StringAttributeConstraints?: { MinLength?: string; MaxLength?: string };
  NumberAttributeConstraints?: { MinValue?: string; MaxValue?: string };
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
  caseSensitive: boolean;
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
    if (type === "String") attr.StringAttributeConstraints = name === "sub" ? { MinLength: "1", MaxLength: "2048" } : { MinLength: "0", MaxLength: "2048" };
    if (type === "Number") attr.NumberAttributeConstraints = { MinValue: "0" };
    return attr;
  });
}

export function poolFromProfile(profile: PoolProfile, accountId: string, now: number): PoolConfig {
  const schema = standardSchema(profile.requiredAttributes);
  for (const [name, spec] of Object.entries(profile.customAttributes)) {
    const attr: SchemaAttribute = { Name: `custom:${name}`, AttributeDataType: spec.type, DeveloperOnlyAttribute: false, Mutable: true, Required: false };
    if (spec.type === "String") {
      attr.StringAttributeConstraints = {};
      if (spec.minLength !== undefined) attr.StringAttributeConstraints.MinLength = String(spec.minLength);
      if (spec.maxLength !== undefined) attr.StringAttributeConstraints.MaxLength = String(spec.maxLength);
    } else {
      attr.NumberAttributeConstraints = {};
      if (spec.minValue !== undefined) attr.NumberAttributeConstraints.MinValue = String(spec.minValue);
      if (spec.maxValue !== undefined) attr.NumberAttributeConstraints.MaxValue = String(spec.maxValue);
    }
    schema.push(attr);
  }
  return {
    id: profile.userPoolId,
    name: profile.userPoolName,
    arn: poolArn(profile.userPoolId, accountId),
    schema,
    autoVerifiedAttributes: [...profile.autoVerifiedAttributes],
    usernameAttributes: [],
    aliasAttributes: [],
    mfaConfiguration: profile.mfaConfiguration,
    caseSensitive: profile.usernameCaseSensitive,
    creationDate: now,
    lastModifiedDate: now,
  };
}

export function poolArn(poolId: string, accountId: string): string {
  const region = poolId.split("_")[0];
  return `arn:aws:cognito-idp:${region}:${accountId}:userpool/${poolId}`;
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
