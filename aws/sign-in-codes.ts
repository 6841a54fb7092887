/**
 * Sending a trainee their first sign-in code on the team's initiative: AdminResetUserPassword, which makes Cognito
 * send the password-reset code to the user's verified email or phone (API reference: "Works on any user"; "your
 * user pool must have self-service account recovery configured").
 *
 * A narrow adapter: one call, and its outcome classified by the error's name and whether the service answered at
 * all. It decides nothing about who gets a code (engine/send-sign-in-codes.ts does). The SDK's retry strategy may
 * repeat a throttled call (a 4xx answer: nothing was sent) but never one that got no answer or a 5xx: the service may
 * have acted, and a repeat would send the trainee a second code.
 */
import { AdminResetUserPasswordCommand, type CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { errorName } from "./error-name";
import { answeredRefusal, neverRepeatUnanswered, unansweredErrorName } from "./no-repeat";

/**
 * What one send came to:
 * - `sent`: Cognito accepted the request (it sends the code);
 * - `no-such-user`: the user is gone from the pool;
 * - `refused`: Cognito refused this user (e.g. no verified email or phone; NotAuthorizedException for a disabled
 *   user or one still FORCE_CHANGE_PASSWORD): nothing was sent. Whether the pool's recovery is admin-only is read
 *   from its AccountRecoverySetting (DescribeUserPool) by the engine, never guessed from one user's refusal;
 * - `unknown`: no answer, or a server error (5xx): the code may or may not have gone out.
 */
export type SendOutcome =
  | { kind: "sent" }
  | { kind: "no-such-user" }
  | { kind: "refused"; error: string }
  | { kind: "unknown"; error: string };

export async function sendSignInCode(cognito: CognitoIdentityProviderClient, userPoolId: string, username: string): Promise<SendOutcome> {
  try {
    const command = new AdminResetUserPasswordCommand({ UserPoolId: userPoolId, Username: username });
    await cognito.send(neverRepeatUnanswered(command, "AdminResetUserPassword"));
    return { kind: "sent" };
  } catch (err) {
    const name = unansweredErrorName(err) ?? (errorName(err) || "Error");
    if (name === "UserNotFoundException") return { kind: "no-such-user" };
    // Only the error's name: Cognito's messages can echo the username.
    return answeredRefusal(err) ? { kind: "refused", error: name } : { kind: "unknown", error: name };
  }
}
