/**
 * Reading and changing users of one pool: a narrow adapter over the Cognito user APIs.
 *
 * It converts SDK shapes to PoolUser and back, and nothing else: no planning, no retries beyond the SDK's.
 */
import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  type UserPoolType,
  paginateListUsers,
} from "@aws-sdk/client-cognito-identity-provider";
import { LIST_PAGE_SIZE } from "../core/cognito-quotas";
import type { PoolUser } from "../core/pool-user";
import type { PoolSettings } from "../core/pool-settings";
import { namedBySignIn } from "../core/sign-in-name";
import { errorName } from "./error-name";

export interface PoolDescription {
  name: string;
  /** EstimatedNumberOfUsers: an estimate, as its name says. */
  estimatedUsers: number;
  /** The pool's ARN and creation time (ms since epoch): together they tell this pool from one rebuilt with the same id. */
  arn: string;
  createdAt: number;
  /** The configuration the roster's rules depend on (core/pool-settings.ts compares it with the stack). */
  settings: PoolSettings;
  /** How the pool sends messages: its SES identity (DEVELOPER email) and SNS settings (SMS), as DescribeUserPool has them. */
  messaging?: { sesSourceArn?: string; smsConfigured: boolean; snsRegion?: string };
}

export async function describePool(cognito: CognitoIdentityProviderClient, userPoolId: string): Promise<PoolDescription> {
  const out = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
  const pool = out.UserPool;
  return {
    name: pool?.Name ?? "",
    estimatedUsers: pool?.EstimatedNumberOfUsers ?? 0,
    arn: pool?.Arn ?? "",
    createdAt: pool?.CreationDate?.getTime() ?? 0,
    settings: poolSettingsOf(pool ?? {}),
    messaging: {
      ...(pool?.EmailConfiguration?.SourceArn ? { sesSourceArn: pool.EmailConfiguration.SourceArn } : {}),
      smsConfigured: Boolean(pool?.SmsConfiguration?.SnsCallerArn),
      ...(pool?.SmsConfiguration?.SnsRegion ? { snsRegion: pool.SmsConfiguration.SnsRegion } : {}),
    },
  };
}

/** DescribeUserPool's UserPool reduced to what the roster reads; absent settings take Cognito's documented defaults. */
function poolSettingsOf(pool: UserPoolType): PoolSettings {
  const custom: PoolSettings["customAttributes"] = {};
  const required: string[] = [];
  for (const a of pool.SchemaAttributes ?? []) {
    const name = a.Name ?? "";
    if (!name.startsWith("custom:")) {
      if (a.Required && name !== "sub") required.push(name);
      continue;
    }
    const s = a.StringAttributeConstraints;
    const n = a.NumberAttributeConstraints;
    custom[name.slice("custom:".length)] = {
      type: a.AttributeDataType ?? "String",
      ...whole("minLength", s?.MinLength),
      ...whole("maxLength", s?.MaxLength),
      ...whole("minValue", n?.MinValue),
      ...whole("maxValue", n?.MaxValue),
      mutable: a.Mutable ?? true,
    };
  }
  const recovery = pool.AccountRecoverySetting?.RecoveryMechanisms;
  return {
    name: pool.Name ?? "",
    usernameAttributes: [...(pool.UsernameAttributes ?? [])],
    aliasAttributes: [...(pool.AliasAttributes ?? [])],
    // "This is the default value" (UsernameConfigurationType): a pool that reports no setting is case-sensitive.
    caseSensitive: pool.UsernameConfiguration?.CaseSensitive ?? true,
    autoVerifiedAttributes: [...(pool.AutoVerifiedAttributes ?? [])],
    mfaConfiguration: pool.MfaConfiguration ?? "OFF",
    requiredAttributes: required,
    customAttributes: custom,
    ...(recovery && recovery.length > 0
      ? { accountRecovery: [...recovery].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0)).map((m) => m.Name ?? "") }
      : {}),
    attributesRequireVerificationBeforeUpdate: [...(pool.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [])],
    emailSendingAccount: pool.EmailConfiguration?.EmailSendingAccount ?? "COGNITO_DEFAULT",
  };
}

/** The MFA factors the pool has enabled (GetUserPoolMfaConfig), in the stack's names. */
export async function describeMfaFactors(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
): Promise<("sms" | "softwareToken" | "email")[]> {
  const out = await cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: userPoolId }));
  return [
    ...(out.SmsMfaConfiguration ? (["sms"] as const) : []),
    ...(out.SoftwareTokenMfaConfiguration?.Enabled ? (["softwareToken"] as const) : []),
    ...(out.EmailMfaConfiguration ? (["email"] as const) : []),
  ];
}

function whole(key: string, value: string | undefined): Record<string, number> {
  return value === undefined || value === "" ? {} : { [key]: Number(value) };
}

/** One user by username (or an alias, or a `sub`), or null when the pool has no such user. */
export async function getPoolUser(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  username: string,
  usernameAttributes: readonly string[] = [],
): Promise<PoolUser | null> {
  try {
    const out = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    return namedBySignIn(
      {
        username: out.Username ?? username,
        attributes: attributeMap(out.UserAttributes),
        enabled: out.Enabled ?? true,
        status: out.UserStatus ?? "UNKNOWN",
        ...(out.UserCreateDate ? { createdAt: out.UserCreateDate.getTime() } : {}),
      },
      usernameAttributes,
    );
  } catch (err) {
    if (errorName(err) === "UserNotFoundException") return null;
    throw err;
  }
}

/** Every user of the pool, a page at a time (a page may be short, or empty, and still not be the last). */
export async function scanPoolUsers(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  onPage: (users: PoolUser[]) => void,
  usernameAttributes: readonly string[] = [],
): Promise<void> {
  // The SDK's paginator follows PaginationToken while there is one: an empty page with a token is not the end.
  for await (const out of paginateListUsers({ client: cognito, pageSize: LIST_PAGE_SIZE }, { UserPoolId: userPoolId })) {
    onPage(
      (out.Users ?? []).map((u) =>
        namedBySignIn(
          {
            username: u.Username ?? "",
            attributes: attributeMap(u.Attributes),
            enabled: u.Enabled ?? true,
            status: u.UserStatus ?? "UNKNOWN",
            ...(u.UserCreateDate ? { createdAt: u.UserCreateDate.getTime() } : {}),
          },
          usernameAttributes,
        ),
      ),
    );
  }
}

export async function updateUserAttributes(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  username: string,
  attributes: Record<string, string>,
): Promise<void> {
  await cognito.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: userPoolId,
      Username: username,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
}

export async function setUserEnabled(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  username: string,
  enabled: boolean,
): Promise<void> {
  const input = { UserPoolId: userPoolId, Username: username };
  await cognito.send(enabled ? new AdminEnableUserCommand(input) : new AdminDisableUserCommand(input));
}

function attributeMap(attributes: AttributeType[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const a of attributes ?? []) if (a.Name !== undefined) map[a.Name] = a.Value ?? "";
  return map;
}
