/**
 * The user-pool operations: CreateUserPool, DescribeUserPool, DeleteUserPool, UpdateUserPool,
 * AddCustomAttributes, SetUserPoolMfaConfig and GetUserPoolMfaConfig — request shapes from the botocore model
 * (cognito-idp 2016-04-18), behaviour from the API reference. Pools are created only through CreateUserPool,
 * by whoever starts the emulator; the emulator knows nothing of any product's configuration.
 *
 * Emulator extension (documented in README.md): a `UserPoolTags` entry `cognito-roster-emulator:user-pool-id`
 * = `<region>_<id>` makes CreateUserPool use that id (AWS assigns ids; stacks that name a fixed id need this).
 */
import { ServiceError, invalidParameter } from "./errors";
import { ACTIVE_STATUSES } from "./emulator-state";
import type { PoolState } from "./emulator-state";
import { pool, secs, type CognitoContext, type Handler, type Input } from "./cognito-context";
import { randomAlnum } from "./import-jobs";
import { isStandardAttribute, poolArn, standardSchema, type MfaFactors, type PoolConfig, type SchemaAttribute } from "./pool-model";
import * as V from "./request-validation";
import { UsersStore } from "./users-store";

/** The tag key of the fixed-id extension. @internal */
export const POOL_ID_TAG = "cognito-roster-emulator:user-pool-id";

const VERIFIED_ATTRIBUTES = { kind: "list", member: { kind: "string", enum: ["phone_number", "email"] } } as const;
const MFA = { kind: "string", enum: ["OFF", "ON", "OPTIONAL"] } as const;
/** CustomAttributeNameType: 1–20 characters of `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`. */
const SCHEMA_NAME: V.StringRule = { kind: "string", required: true, min: 1, max: 20, pattern: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+" };
const DATA_TYPES = ["String", "Number", "DateTime", "Boolean"] as const;
const NO_FACTORS: MfaFactors = { sms: false, softwareToken: false, email: false };

type SchemaInput = Partial<SchemaAttribute> & Record<string, unknown>;

export const userPoolHandlers: Record<string, Handler> = {
  CreateUserPool(ctx, input) {
    V.validateRequest(input, {
      PoolName: V.POOL_NAME,
      Schema: { kind: "list", min: 1, max: 50 },
      AutoVerifiedAttributes: VERIFIED_ATTRIBUTES,
      MfaConfiguration: MFA,
      UsernameAttributes: { kind: "list", member: { kind: "string", enum: ["phone_number", "email"] } },
      AliasAttributes: { kind: "list", member: { kind: "string", enum: ["phone_number", "email", "preferred_username"] } },
      UserPoolTags: { kind: "object" },
      UsernameConfiguration: { kind: "object" },
      UserAttributeUpdateSettings: { kind: "object" },
      AccountRecoverySetting: { kind: "object" },
      SmsConfiguration: { kind: "object" },
      EmailConfiguration: { kind: "object" },
      DeletionProtection: { kind: "string", enum: ["ACTIVE", "INACTIVE"] },
    });
    const config = newPoolConfig(ctx, input);
    ctx.state.pools.set(config.id, { config, users: new UsersStore(config.caseSensitive) });
    ctx.changed();
    return { UserPool: poolShape(ctx.state.pools.get(config.id) as PoolState) };
  },
  DescribeUserPool(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID });
    return { UserPool: poolShape(pool(ctx, input.UserPoolId as string)) };
  },
  DeleteUserPool(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID });
    const id = input.UserPoolId as string;
    pool(ctx, id);
    refuseDuringImport(ctx, id, "delete");
    ctx.state.pools.delete(id);
    ctx.changed();
    return {};
  },
  UpdateUserPool(ctx, input) {
    V.validateRequest(input, {
      UserPoolId: V.USER_POOL_ID,
      AutoVerifiedAttributes: VERIFIED_ATTRIBUTES,
      MfaConfiguration: MFA,
      UserAttributeUpdateSettings: { kind: "object" },
    });
    const p = pool(ctx, input.UserPoolId as string);
    refuseDuringImport(ctx, p.config.id, "update");
    // As the API documents: a setting left out of UpdateUserPool returns to its default.
    p.config.autoVerifiedAttributes = (input.AutoVerifiedAttributes as string[] | undefined) ?? [];
    p.config.mfaConfiguration = (input.MfaConfiguration as PoolConfig["mfaConfiguration"] | undefined) ?? "OFF";
    p.config.verifyBeforeUpdate = verifyBeforeUpdate(input, p.config.autoVerifiedAttributes);
    p.config.lastModifiedDate = ctx.clock();
    ctx.changed();
    return {};
  },
  AddCustomAttributes(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, CustomAttributes: { kind: "list", required: true, min: 1, max: 25 } });
    const p = pool(ctx, input.UserPoolId as string);
    refuseDuringImport(ctx, p.config.id, "update");
    const added: SchemaAttribute[] = [];
    for (const s of input.CustomAttributes as SchemaInput[]) {
      if (typeof s?.Name !== "string" || s.Name === "") throw invalidParameter("Custom attribute name is required.");
      // As in CreateUserPool, the name is given without the prefix: "custom:" is always added.
      V.validateRequest({ name: s.Name }, { name: { ...SCHEMA_NAME } });
      const name = `custom:${s.Name}`;
      if (p.config.schema.some((a) => a.Name === name) || added.some((a) => a.Name === name))
        throw invalidParameter(`Existing attribute already has name ${name}.`);
      added.push(customSchemaAttribute(name, s));
    }
    p.config.schema.push(...added);
    p.config.lastModifiedDate = ctx.clock();
    ctx.changed();
    return {};
  },
  SetUserPoolMfaConfig(ctx, input) {
    V.validateRequest(input, {
      UserPoolId: V.USER_POOL_ID,
      MfaConfiguration: MFA,
      SmsMfaConfiguration: { kind: "object" },
      SoftwareTokenMfaConfiguration: { kind: "object" },
      EmailMfaConfiguration: { kind: "object" },
    });
    const p = pool(ctx, input.UserPoolId as string);
    const factors: MfaFactors = { ...(p.config.mfaFactors ?? NO_FACTORS) };
    if (input.SmsMfaConfiguration !== undefined) factors.sms = true;
    if (input.SoftwareTokenMfaConfiguration !== undefined)
      factors.softwareToken = (input.SoftwareTokenMfaConfiguration as { Enabled?: unknown }).Enabled === true;
    if (input.EmailMfaConfiguration !== undefined) factors.email = true;
    const mfa = (input.MfaConfiguration as PoolConfig["mfaConfiguration"] | undefined) ?? p.config.mfaConfiguration;
    if (mfa !== "OFF" && !factors.sms && !factors.softwareToken && !factors.email) {
      throw invalidParameter("At least one of [SmsMfaConfiguration] or [SoftwareTokenMfaConfiguration] must be provided.");
    }
    p.config.mfaFactors = factors;
    p.config.mfaConfiguration = mfa;
    // SmsMfaConfiguration.SmsConfiguration is the pool's SMS sending configuration (the one CreateUserPool takes),
    // which GetUserPoolMfaConfig and DescribeUserPool then return.
    const sms = (input.SmsMfaConfiguration as { SmsConfiguration?: unknown } | undefined)?.SmsConfiguration;
    if (sms !== undefined) p.config.smsConfiguration = sms;
    p.config.lastModifiedDate = ctx.clock();
    ctx.changed();
    return mfaConfigShape(p.config);
  },
  GetUserPoolMfaConfig(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID });
    return mfaConfigShape(pool(ctx, input.UserPoolId as string).config);
  },
};

/** The pool CreateUserPool asks for, checked as the API reference describes. */
function newPoolConfig(ctx: CognitoContext, input: Input): PoolConfig {
  const usernameAttributes = (input.UsernameAttributes as string[] | undefined) ?? [];
  const aliasAttributes = (input.AliasAttributes as string[] | undefined) ?? [];
  if (usernameAttributes.length > 0 && aliasAttributes.length > 0) {
    // "UsernameAttributes … Specifies whether a user can use an email address or phone number as a username when they
    // sign up" — exclusive with aliases.
    throw invalidParameter("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.");
  }
  const mfa = (input.MfaConfiguration as PoolConfig["mfaConfiguration"] | undefined) ?? "OFF";
  if (mfa !== "OFF" && input.SmsConfiguration === undefined) {
    // API reference, CreateUserPool MfaConfiguration: "If you omit SmsConfiguration, the operation returns an InvalidParameterException."
    throw invalidParameter(
      "SMS configuration is required when MFA is ON or OPTIONAL. To configure TOTP or email MFA, use SetUserPoolMfaConfig.",
    );
  }
  const caseConfig = input.UsernameConfiguration as { CaseSensitive?: unknown } | undefined;
  if (caseConfig !== undefined && typeof caseConfig.CaseSensitive !== "boolean") {
    throw invalidParameter(
      "1 validation error detected: Value null at 'usernameConfiguration.caseSensitive' " +
        "failed to satisfy constraint: Member must not be null",
    );
  }
  const autoVerified = (input.AutoVerifiedAttributes as string[] | undefined) ?? [];
  const tags = poolTags(input);
  const id = poolId(ctx, tags);
  const now = ctx.clock();
  return {
    id,
    name: input.PoolName as string,
    arn: poolArn(id, ctx.region, ctx.accountId),
    schema: schemaFrom((input.Schema as SchemaInput[] | undefined) ?? []),
    autoVerifiedAttributes: autoVerified,
    usernameAttributes,
    aliasAttributes,
    mfaConfiguration: mfa,
    mfaFactors: { ...NO_FACTORS, sms: mfa !== "OFF" },
    // "If you do not specify a value, CaseSensitive defaults to true." (developer guide, "User pool case sensitivity")
    caseSensitive: (caseConfig?.CaseSensitive as boolean | undefined) ?? true,
    verifyBeforeUpdate: verifyBeforeUpdate(input, autoVerified),
    accountRecovery: input.AccountRecoverySetting,
    emailConfiguration: emailConfiguration(input),
    smsConfiguration: input.SmsConfiguration,
    tags,
    creationDate: now,
    lastModifiedDate: now,
  };
}

/**
 * EmailConfiguration: EmailSendingAccount COGNITO_DEFAULT (the default) or DEVELOPER, which needs the SourceArn of an
 * SES identity (EmailConfigurationType: "If you use this option, provide the ARN of an Amazon SES verified email address").
 */
function emailConfiguration(input: Input): PoolConfig["emailConfiguration"] {
  const config = input.EmailConfiguration as { EmailSendingAccount?: unknown; SourceArn?: unknown } | undefined;
  if (config === undefined) return undefined;
  const account = config.EmailSendingAccount ?? "COGNITO_DEFAULT";
  if (account !== "COGNITO_DEFAULT" && account !== "DEVELOPER")
    throw invalidParameter(
      "1 validation error detected: Value at 'emailConfiguration.emailSendingAccount' " +
        "failed to satisfy constraint: Member must satisfy enum value set: [COGNITO_DEFAULT, DEVELOPER]",
    );
  if (account === "DEVELOPER" && typeof config.SourceArn !== "string")
    throw invalidParameter("SourceArn is required when EmailSendingAccount is DEVELOPER.");
  return { EmailSendingAccount: account, ...(typeof config.SourceArn === "string" ? { SourceArn: config.SourceArn } : {}) };
}

function poolTags(input: Input): Record<string, string> {
  const raw = (input.UserPoolTags as Record<string, unknown> | undefined) ?? {};
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== "string" || k.length < 1 || k.length > 128 || v.length > 256)
      throw invalidParameter(
        "1 validation error detected: Value at 'userPoolTags' " +
          "failed to satisfy constraint: Map keys must be 1–128 characters and values 0–256 characters",
      );
    tags[k] = v;
  }
  return tags;
}

/** The id: `<region>_` + 9 alphanumerics, or the one the fixed-id tag names (same Region, not taken). */
function poolId(ctx: CognitoContext, tags: Record<string, string>): string {
  const wanted = tags[POOL_ID_TAG];
  if (wanted !== undefined) {
    if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(wanted) || wanted.length > 55)
      throw invalidParameter(`Tag ${POOL_ID_TAG}: "${wanted}" is not a user pool id (<region>_<alphanumerics>).`);
    if (!wanted.startsWith(`${ctx.region}_`))
      throw invalidParameter(`Tag ${POOL_ID_TAG}: user pool id ${wanted} must start with the request's Region ${ctx.region}.`);
    if (ctx.state.pools.has(wanted)) throw invalidParameter(`User pool ${wanted} already exists.`);
    return wanted;
  }
  let id: string;
  do id = `${ctx.region}_${randomAlnum(9)}`;
  while (ctx.state.pools.has(id));
  return id;
}

/** UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate: each must be an auto-verified attribute. */
function verifyBeforeUpdate(input: Input, autoVerified: readonly string[]): string[] {
  const settings = input.UserAttributeUpdateSettings as { AttributesRequireVerificationBeforeUpdate?: unknown } | undefined;
  const list = settings?.AttributesRequireVerificationBeforeUpdate;
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.some((a) => a !== "email" && a !== "phone_number")) {
    throw invalidParameter(
      "1 validation error detected: Value at 'userAttributeUpdateSettings.attributesRequireVerificationBeforeUpdate' " +
        "failed to satisfy constraint: Member must satisfy enum value set: [phone_number, email]",
    );
  }
  for (const a of list as string[]) {
    // Developer guide, "Verifying updates to email addresses and phone numbers": the attribute must be verified automatically.
    if (!autoVerified.includes(a))
      throw invalidParameter(`The attribute ${a} requires verification before update, so it must be in AutoVerifiedAttributes.`);
  }
  return [...(list as string[])];
}

/** The schema: the standard attributes (Required/Mutable as asked) plus the custom ones (`custom:` + Name). */
function schemaFrom(entries: SchemaInput[]): SchemaAttribute[] {
  entries.forEach((s, i) => {
    if (typeof s !== "object" || s === null)
      throw invalidParameter(
        `1 validation error detected: Value at 'schema.${i + 1}.member' failed to satisfy constraint: Member must be a structure`,
      );
    V.validateRequest(
      { name: s.Name, attributeDataType: s.AttributeDataType },
      { name: { ...SCHEMA_NAME }, attributeDataType: { kind: "string", enum: DATA_TYPES } },
    );
  });
  const required = entries.filter((s) => s.Required === true && isStandardAttribute(String(s.Name))).map((s) => String(s.Name));
  const schema = standardSchema(required);
  for (const s of entries) {
    const name = String(s.Name);
    const standard = schema.find((a) => a.Name === name);
    if (standard) {
      if ((s.AttributeDataType !== undefined && s.AttributeDataType !== standard.AttributeDataType) || s.DeveloperOnlyAttribute === true) {
        throw invalidParameter(`You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute ${name}`);
      }
      if (typeof s.Mutable === "boolean" && name !== "sub") standard.Mutable = s.Mutable;
      continue;
    }
    const custom = `custom:${name}`;
    if (schema.some((a) => a.Name === custom)) throw invalidParameter(`Existing attribute already has name ${custom}.`);
    if (s.AttributeDataType === undefined)
      throw invalidParameter("Invalid AttributeDataType input, consider using the provided AttributeDataType enum.");
    if (s.Required === true) throw invalidParameter("Required custom attributes are not supported currently.");
    schema.push(customSchemaAttribute(custom, s));
  }
  return schema;
}

/** A custom attribute as the pool's schema holds it, with Cognito's defaults for what the request left out. */
function customSchemaAttribute(name: string, s: SchemaInput): SchemaAttribute {
  const type = s.AttributeDataType ?? "String";
  checkConstraints(name, s);
  return {
    Name: name,
    AttributeDataType: type,
    DeveloperOnlyAttribute: s.DeveloperOnlyAttribute ?? false,
    Mutable: s.Mutable ?? true,
    Required: false,
    ...(type === "String" ? { StringAttributeConstraints: { ...(s.StringAttributeConstraints ?? {}) } } : {}),
    ...(type === "Number" && s.NumberAttributeConstraints ? { NumberAttributeConstraints: { ...s.NumberAttributeConstraints } } : {}),
  };
}

/** Constraint values are strings holding whole numbers; lengths are at most 2,048; min ≤ max. */
function checkConstraints(name: string, s: SchemaInput): void {
  const whole = (v: unknown, what: string): number | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== "string" || !/^-?\d+$/.test(v)) throw invalidParameter(`Invalid ${what} for schema attribute ${name}`);
    return Number(v);
  };
  const sc = s.StringAttributeConstraints;
  if (sc) {
    const min = whole(sc.MinLength, "StringAttributeConstraints");
    const max = whole(sc.MaxLength, "StringAttributeConstraints");
    if ((min !== undefined && (min < 0 || min > 2048)) || (max !== undefined && (max < 0 || max > 2048)))
      throw invalidParameter(`user.${name}: String attributes cannot have a length of more than 2048`);
    if (min !== undefined && max !== undefined && min > max)
      throw invalidParameter(`user.${name}: Max length cannot be less than min length.`);
  }
  const nc = s.NumberAttributeConstraints;
  if (nc) {
    const min = whole(nc.MinValue, "NumberAttributeConstraints");
    const max = whole(nc.MaxValue, "NumberAttributeConstraints");
    if (min !== undefined && max !== undefined && min > max)
      throw invalidParameter(`user.${name}: Max value cannot be less than min value.`);
  }
}

/** DeleteUserPool, UpdateUserPool and AddCustomAttributes are refused while an import job of the pool is active. */
function refuseDuringImport(ctx: CognitoContext, poolId: string, verb: "delete" | "update"): void {
  const active = [...ctx.state.jobs.values()].find((j) => j.UserPoolId === poolId && ACTIVE_STATUSES.includes(j.Status));
  if (active)
    throw new ServiceError(
      "UserImportInProgressException",
      `Cannot ${verb} user pool ${poolId}: import job ${active.JobId} is in progress.`,
    );
}

function mfaConfigShape(c: PoolConfig): Record<string, unknown> {
  const f = c.mfaFactors ?? NO_FACTORS;
  return {
    MfaConfiguration: c.mfaConfiguration,
    ...(f.sms ? { SmsMfaConfiguration: { SmsConfiguration: c.smsConfiguration } } : {}),
    SoftwareTokenMfaConfiguration: { Enabled: f.softwareToken },
  };
}

/** DescribeUserPool's UserPool. */
function poolShape(p: PoolState): Record<string, unknown> {
  const c = p.config;
  return {
    Id: c.id,
    Name: c.name,
    Arn: c.arn,
    SchemaAttributes: c.schema,
    AutoVerifiedAttributes: c.autoVerifiedAttributes,
    ...(c.usernameAttributes.length ? { UsernameAttributes: c.usernameAttributes } : {}),
    ...(c.aliasAttributes.length ? { AliasAttributes: c.aliasAttributes } : {}),
    MfaConfiguration: c.mfaConfiguration,
    UsernameConfiguration: { CaseSensitive: c.caseSensitive },
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: c.verifyBeforeUpdate ?? [] },
    ...(c.accountRecovery !== undefined ? { AccountRecoverySetting: c.accountRecovery } : {}),
    ...(c.smsConfiguration !== undefined ? { SmsConfiguration: c.smsConfiguration } : {}),
    EmailConfiguration: c.emailConfiguration ?? { EmailSendingAccount: "COGNITO_DEFAULT" },
    UserPoolTags: c.tags ?? {},
    EstimatedNumberOfUsers: p.users.size,
    CreationDate: secs(c.creationDate),
    LastModifiedDate: secs(c.lastModifiedDate),
  };
}
