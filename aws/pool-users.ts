/**
 * Reading and changing users of one pool: a narrow adapter over the Cognito user APIs.
 *
 * It converts SDK shapes to PoolUser and back, and nothing else: no planning, no retries beyond the SDK's.
 */
import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PoolUser } from "../core/pool-user";
import { errorName } from "./error-name";

export interface PoolDescription {
  name: string;
  /** EstimatedNumberOfUsers: an estimate, as its name says. */
  estimatedUsers: number;
  /** The pool's ARN and creation time (ms since epoch): together they tell this pool from one rebuilt with the same id. */
  arn: string;
  createdAt: number;
}

export async function describePool(cognito: CognitoIdentityProviderClient, userPoolId: string): Promise<PoolDescription> {
  const out = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
  const pool = out.UserPool;
  return {
    name: pool?.Name ?? "",
    estimatedUsers: pool?.EstimatedNumberOfUsers ?? 0,
    arn: pool?.Arn ?? "",
    createdAt: pool?.CreationDate?.getTime() ?? 0,
  };
}

/** One user by username, or null when the pool has no such user. */
export async function getPoolUser(cognito: CognitoIdentityProviderClient, userPoolId: string, username: string): Promise<PoolUser | null> {
  try {
    const out = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    return {
      username: out.Username ?? username,
      attributes: attributeMap(out.UserAttributes),
      enabled: out.Enabled ?? true,
      status: out.UserStatus ?? "UNKNOWN",
      ...(out.UserCreateDate ? { createdAt: out.UserCreateDate.getTime() } : {}),
    };
  } catch (err) {
    if (errorName(err) === "UserNotFoundException") return null;
    throw err;
  }
}

/** Every user of the pool, a page at a time (a page may be short and still not be the last). */
export async function scanPoolUsers(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  onPage: (users: PoolUser[]) => void,
): Promise<void> {
  let token: string | undefined;
  do {
    const out = await cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, Limit: 60, PaginationToken: token }));
    onPage(
      (out.Users ?? []).map((u) => ({
        username: u.Username ?? "",
        attributes: attributeMap(u.Attributes),
        enabled: u.Enabled ?? true,
        status: u.UserStatus ?? "UNKNOWN",
        ...(u.UserCreateDate ? { createdAt: u.UserCreateDate.getTime() } : {}),
      })),
    );
    token = out.PaginationToken;
  } while (token);
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

export async function deleteUser(cognito: CognitoIdentityProviderClient, userPoolId: string, username: string): Promise<void> {
  await cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
}

function attributeMap(attributes: AttributeType[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const a of attributes ?? []) if (a.Name !== undefined) map[a.Name] = a.Value ?? "";
  return map;
}
