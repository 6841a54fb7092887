/**
 * Password reset codes, as reference §2.8/§7 and the API reference describe them: ForgotPassword,
 * ConfirmForgotPassword and AdminResetUserPassword. Codes are "sent" to `state.sent`, which tests read through
 * `emulator.sentCodes()`; nothing is delivered anywhere.
 */
import { randomInt } from "node:crypto";
import { ServiceError, invalidParameter, userNotFound } from "./errors";
import type { PoolState, SentCode } from "./emulator-state";
import { pool, type CognitoContext, type Handler } from "./cognito-context";
import * as V from "./request-validation";
import { lookUpUser, requireUser } from "./user-lookup";
import { CLIENT_ID, checkSecretHash, clientAndPool } from "./app-clients";
import { maskDestination } from "./delivery-destination";
import type { StoredUser } from "./users-store";

/** "A confirmation code … is valid for one hour" (developer guide, "Recovering user accounts"). */
const RESET_CODE_VALIDITY_MS = 60 * 60 * 1000;

const PASSWORD: V.StringRule = { kind: "string", required: true, max: 256, pattern: "[\\S]+", sensitive: true };

export const passwordResetHandlers: Record<string, Handler> = {
  ForgotPassword(ctx, input) {
    V.validateRequest(input, { ClientId: CLIENT_ID, Username: V.USERNAME, SecretHash: { kind: "string", sensitive: true } });
    const { client, p } = clientAndPool(ctx, input.ClientId as string);
    checkSecretHash(client, input.Username as string, input.SecretHash);
    const u = lookUpUser(p, input.Username as string);
    const simulated = { CodeDeliveryDetails: { Destination: "n***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" } };
    if (!u) {
      if (client.PreventUserExistenceErrors !== "ENABLED") throw userNotFound();
      // With user existence errors prevented, a simulated delivery: nothing is sent.
      return simulated;
    }
    refuseResetInState(u);
    // A user with no verified contact is refused with InvalidParameterException, unless the client prevents user
    // existence errors: then the answer is a simulated delivery too (developer guide, "Managing user existence
    // error responses"), so the caller cannot tell that nothing was sent.
    if (client.PreventUserExistenceErrors === "ENABLED" && !hasRecoveryDestination(p, u)) return simulated;
    return { CodeDeliveryDetails: sendResetCode(ctx, p, u, "ForgotPassword") };
  },
  ConfirmForgotPassword(ctx, input) {
    V.validateRequest(input, {
      ClientId: CLIENT_ID,
      Username: V.USERNAME,
      ConfirmationCode: { kind: "string", required: true, min: 1, max: 2048, pattern: "[\\S]+" },
      Password: PASSWORD,
      SecretHash: { kind: "string", sensitive: true },
    });
    const { client, p } = clientAndPool(ctx, input.ClientId as string);
    checkSecretHash(client, input.Username as string, input.SecretHash);
    const u = lookUpUser(p, input.Username as string);
    if (!u)
      throw client.PreventUserExistenceErrors === "ENABLED"
        ? new ServiceError("CodeMismatchException", "Invalid verification code provided, please try again.")
        : userNotFound();
    const pending = u.resetCode;
    if (!pending || pending.code !== input.ConfirmationCode)
      throw new ServiceError("CodeMismatchException", "Invalid verification code provided, please try again.");
    if (ctx.clock() > pending.expires)
      throw new ServiceError("ExpiredCodeException", "Invalid code provided, please request a code again.");
    checkPasswordPolicy(input.Password as string);
    u.password = input.Password as string;
    u.status = "CONFIRMED";
    delete u.resetCode;
    u.modified = ctx.clock();
    ctx.changed();
    return {};
  },
  AdminResetUserPassword(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, Username: V.USERNAME });
    const p = pool(ctx, input.UserPoolId as string);
    const u = requireUser(p, input.Username as string);
    // "To use this API operation, your user pool must have self-service account recovery configured."
    if (recoveryMechanisms(p).includes("admin_only"))
      throw new ServiceError("NotAuthorizedException", "Contact administrator to reset password.");
    // Service behaviour reported publicly (README "Where the behaviours come from"): a disabled user, or one still
    // FORCE_CHANGE_PASSWORD, cannot be reset.
    if (!u.enabled) throw new ServiceError("NotAuthorizedException", "User is disabled.");
    refuseResetInState(u);
    sendResetCode(ctx, p, u, "AdminResetUserPassword");
    // "Sets the requested user's account into a RESET_REQUIRED status, and sends them a password-reset code."
    u.status = "RESET_REQUIRED";
    u.modified = ctx.clock();
    ctx.changed();
    return {};
  },
};

/**
 * A user created by AdminCreateUser who has not yet set a password (FORCE_CHANGE_PASSWORD) cannot be sent a reset
 * code by ForgotPassword or AdminResetUserPassword: NotAuthorizedException "User password cannot be reset in the
 * current state." (reported publicly: aws-amplify/amplify-js#1340, aws/aws-aspnet-cognito-identity-provider#37).
 */
function refuseResetInState(u: StoredUser): void {
  if (u.status === "FORCE_CHANGE_PASSWORD")
    throw new ServiceError("NotAuthorizedException", "User password cannot be reset in the current state.");
}

/** Whether sendResetCode would find a verified destination for `u`. */
function hasRecoveryDestination(p: PoolState, u: StoredUser): boolean {
  const verified = (name: string) => u.attributes[`${name}_verified`] === "true" && u.attributes[name] !== undefined;
  return recoveryMechanisms(p).some(
    (m) => (m === "verified_email" && verified("email")) || (m === "verified_phone_number" && verified("phone_number")),
  );
}

/** AccountRecoverySetting's mechanisms by priority; without one, a verified phone first, then a verified email. */
function recoveryMechanisms(p: PoolState): string[] {
  const setting = p.config.accountRecovery as { RecoveryMechanisms?: { Name?: string; Priority?: number }[] } | undefined;
  const list = setting?.RecoveryMechanisms;
  if (!list?.length) return ["verified_phone_number", "verified_email"];
  return [...list].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0)).map((m) => String(m.Name));
}

/**
 * Picks the destination (ForgotPassword: "If neither a verified phone number nor a verified email exists, Amazon
 * Cognito responds with an InvalidParameterException error"), records the code, returns CodeDeliveryDetails.
 */
function sendResetCode(ctx: CognitoContext, p: PoolState, u: StoredUser, reason: SentCode["reason"]): Record<string, string> {
  const mechanisms = recoveryMechanisms(p);
  if (reason === "ForgotPassword" && mechanisms.includes("admin_only"))
    throw new ServiceError("NotAuthorizedException", "Contact administrator to reset password.");
  const verified = (name: string) => u.attributes[`${name}_verified`] === "true" && u.attributes[name] !== undefined;
  const choice = mechanisms
    .map((m) => (m === "verified_email" ? "email" : m === "verified_phone_number" ? "phone_number" : ""))
    .find((a) => a !== "" && verified(a));
  if (!choice) throw invalidParameter("Cannot reset password for the user as there is no registered/verified email or phone_number");
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const now = ctx.clock();
  u.resetCode = { code, expires: now + RESET_CODE_VALIDITY_MS };
  const medium = choice === "email" ? "EMAIL" : "SMS";
  ctx.state.sent.push({
    userPoolId: p.config.id,
    username: u.username,
    reason,
    deliveryMedium: medium,
    destination: u.attributes[choice],
    code,
    sentAt: now,
  });
  return { Destination: maskDestination(u.attributes[choice]), DeliveryMedium: medium, AttributeName: choice };
}

/** The default password policy (CreateUserPool `Policies.PasswordPolicy` defaults: 8 characters, all four classes). */
function checkPasswordPolicy(password: string): void {
  const problems: [boolean, string][] = [
    [[...password].length < 8, "Password not long enough"],
    [!/[a-z]/.test(password), "Password must have lowercase characters"],
    [!/[A-Z]/.test(password), "Password must have uppercase characters"],
    [!/[0-9]/.test(password), "Password must have numeric characters"],
    [!/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/.test(password), "Password must have symbol characters"],
  ];
  const first = problems.find(([bad]) => bad);
  if (first) throw new ServiceError("InvalidPasswordException", `Password does not conform to policy: ${first[1]}`);
}
