/**
 * Groups and memberships of one pool: a narrow adapter over the Cognito group APIs (ListGroups,
 * ListUsersInGroup, AdminListGroupsForUser, AdminAddUserToGroup, AdminRemoveUserFromGroup).
 *
 * It converts SDK shapes and follows pagination (the SDK's paginators: they go on while a token comes back, so an
 * empty page with a token is not the end), nothing else: no planning, no pacing, no retries beyond the SDK's.
 */
import {
  AdminAddUserToGroupCommand,
  AdminRemoveUserFromGroupCommand,
  type CognitoIdentityProviderClient,
  paginateAdminListGroupsForUser,
  paginateListGroups,
  paginateListUsersInGroup,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { LIST_PAGE_SIZE as GROUP_PAGE_SIZE } from "../core/cognito-quotas";
import { signInName } from "../core/sign-in-name";
import { errorName } from "./error-name";

/** The names of every group of the pool. */
export async function listGroupNames(cognito: CognitoIdentityProviderClient, userPoolId: string): Promise<Set<string>> {
  const names = new Set<string>();
  for await (const out of paginateListGroups({ client: cognito, pageSize: GROUP_PAGE_SIZE }, { UserPoolId: userPoolId })) {
    for (const g of out.Groups ?? []) if (g.GroupName !== undefined) names.add(g.GroupName);
  }
  return names;
}

/**
 * The usernames of every member of a group, a page at a time (a page may be short and still not be the last). In a
 * pool with UsernameAttributes (`usernameAttributes`) a member is named by its email or phone (core/sign-in-name.ts).
 */
export async function listGroupMembers(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  groupName: string,
  onPage: (usernames: string[]) => void,
  usernameAttributes: readonly string[] = [],
): Promise<void> {
  const nameOf = (u: UserType) =>
    (usernameAttributes.length > 0
      ? signInName(Object.fromEntries((u.Attributes ?? []).map((a) => [a.Name ?? "", a.Value ?? ""])), usernameAttributes)
      : undefined) ??
    u.Username ??
    "";
  const pages = paginateListUsersInGroup({ client: cognito, pageSize: GROUP_PAGE_SIZE }, { UserPoolId: userPoolId, GroupName: groupName });
  for await (const out of pages) onPage((out.Users ?? []).map(nameOf).filter((u) => u !== ""));
}

/** The names of the groups a user is in; null when the pool has no such user. */
export async function listUserGroups(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  username: string,
): Promise<Set<string> | null> {
  const names = new Set<string>();
  const input = { UserPoolId: userPoolId, Username: username };
  try {
    for await (const out of paginateAdminListGroupsForUser({ client: cognito, pageSize: GROUP_PAGE_SIZE }, input)) {
      for (const g of out.Groups ?? []) if (g.GroupName !== undefined) names.add(g.GroupName);
    }
  } catch (err) {
    if (errorName(err) === "UserNotFoundException") return null;
    throw err;
  }
  return names;
}

/** AdminAddUserToGroup: adding a member again changes nothing (the call is idempotent). */
export async function addUserToGroup(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  username: string,
  groupName: string,
): Promise<void> {
  await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: groupName }));
}

export async function removeUserFromGroup(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  username: string,
  groupName: string,
): Promise<void> {
  await cognito.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: groupName }));
}
