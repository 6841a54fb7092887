/**
 * A user's MFA setting, which ListUsers does not return: one AdminGetUser per user. Used by `cognito-roster export` for
 * pools whose MFA is OPTIONAL (ON and OFF pools need no reads: every user is on, or off).
 *
 * A narrow adapter: converts the SDK shape to a boolean and nothing else.
 */
import { AdminGetUserCommand, type CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { errorName } from "./error-name";

/** True when the user has an MFA method set (UserMFASettingList, or the legacy MFAOptions); undefined when no such user. */
export async function userHasMfa(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  username: string,
): Promise<boolean | undefined> {
  try {
    const out = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    return (out.UserMFASettingList?.length ?? 0) > 0 || (out.MFAOptions?.length ?? 0) > 0;
  } catch (err) {
    if (errorName(err) === "UserNotFoundException") return undefined;
    throw err;
  }
}
