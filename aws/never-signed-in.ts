/**
 * The users of a pool who have never set a password: status RESET_REQUIRED (what an import job leaves, developer
 * guide "Importing users into a user pool"), read with a filtered ListUsers — `cognito:user_status` is one of the
 * attributes ListUsers can filter on (API reference, ListUsers `Filter`) — so the cost is one call per 60 of them,
 * never a scan of the pool.
 */
import { type CognitoIdentityProviderClient, paginateListUsers } from "@aws-sdk/client-cognito-identity-provider";
import { LIST_PAGE_SIZE } from "../core/cognito-quotas";
import { signInName } from "../core/sign-in-name";

export interface NeverSignedIn {
  username: string;
  /** UserCreateDate, ms since epoch (the import's time for imported users). */
  createdAt: number;
  /** Enabled: a disabled user is sent nothing. */
  enabled: boolean;
}

export async function listNeverSignedIn(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  onPage: (users: NeverSignedIn[]) => void,
  /** The pool's UsernameAttributes: users are then named by their email or phone (core/sign-in-name.ts). */
  usernameAttributes: readonly string[] = [],
): Promise<void> {
  const input = { UserPoolId: userPoolId, Filter: 'cognito:user_status = "RESET_REQUIRED"' };
  // The SDK's paginator follows PaginationToken while there is one: an empty page with a token is not the end.
  for await (const out of paginateListUsers({ client: cognito, pageSize: LIST_PAGE_SIZE }, input)) {
    onPage(
      (out.Users ?? []).map((u) => ({
        username:
          (usernameAttributes.length > 0
            ? signInName(Object.fromEntries((u.Attributes ?? []).map((a) => [a.Name ?? "", a.Value ?? ""])), usernameAttributes)
            : undefined) ??
          u.Username ??
          "",
        createdAt: u.UserCreateDate?.getTime() ?? 0,
        enabled: u.Enabled === true,
      })),
    );
  }
}
