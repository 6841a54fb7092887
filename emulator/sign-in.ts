/**
 * Signing in, as reference §2.8/§7 and the API reference describe it: InitiateAuth with USER_PASSWORD_AUTH,
 * AdminInitiateAuth with ADMIN_USER_PASSWORD_AUTH, and the answers to their challenges. App clients are in
 * `app-clients.ts`, password reset codes in `password-reset.ts`.
 *
 * InitiateAuth is unauthenticated (the SDK sends it unsigned), so the app client is found by its id; a request that
 * does name a Region must name the client's.
 * With MFA ON, a user with a phone_number in a pool that offers SMS MFA gets the SMS_MFA challenge (the number need
 * not be verified: SMSMfaSettingsType, "Phone numbers don't need to be verified to be used for SMS MFA"); any other
 * user gets MFA_SETUP.
 * The SMS_MFA challenge is answered with RespondToAuthChallenge (or, signed, AdminRespondToAuthChallenge) and its
 * Session: ChallengeResponses "SMS_MFA: SMS_MFA_CODE, USERNAME, SECRET_HASH (if app client is configured with client
 * secret)" (API reference, RespondToAuthChallenge); its code is in the outbox (auth-sessions.ts). AdminInitiateAuth
 * takes ADMIN_USER_PASSWORD_AUTH on a client that allows ALLOW_ADMIN_USER_PASSWORD_AUTH.
 * Not emulated: answering NEW_PASSWORD_REQUIRED or MFA_SETUP (returned as challenges only), real tokens (the
 * tokens are opaque random strings), SRP, refresh.
 */
import { randomBytes } from "node:crypto";
import { ServiceError, invalidParameter, userNotFound } from "./errors";
import type { AppClient, PoolState } from "./emulator-state";
import type { CognitoContext, Handler } from "./cognito-context";
import * as V from "./request-validation";
import { lookUpUser } from "./user-lookup";
import { endSession, findSession, startSmsMfa } from "./auth-sessions";
import { CLIENT_ID, adminClientAndPool, checkSecretHash, clientAndPool } from "./app-clients";
import { maskDestination } from "./delivery-destination";
import type { StoredUser } from "./users-store";

/** AuthFlowType: what InitiateAuth accepts; AdminInitiateAuth the same but USER_PASSWORD_AUTH. */
const AUTH_FLOW_TYPES = [
  "USER_SRP_AUTH",
  "REFRESH_TOKEN_AUTH",
  "REFRESH_TOKEN",
  "CUSTOM_AUTH",
  "ADMIN_NO_SRP_AUTH",
  "USER_PASSWORD_AUTH",
  "ADMIN_USER_PASSWORD_AUTH",
  "USER_AUTH",
];
const WRONG_PASSWORD = () => new ServiceError("NotAuthorizedException", "Incorrect username or password.");

export const signInHandlers: Record<string, Handler> = {
  InitiateAuth(ctx, input) {
    V.validateRequest(input, {
      AuthFlow: {
        kind: "string",
        required: true,
        enum: AUTH_FLOW_TYPES,
      },
      ClientId: CLIENT_ID,
      AuthParameters: { kind: "object" },
    });
    const { client, p } = clientAndPool(ctx, input.ClientId as string);
    if (input.AuthFlow !== "USER_PASSWORD_AUTH")
      throw invalidParameter(`The emulator supports only USER_PASSWORD_AUTH, not ${String(input.AuthFlow)}.`);
    if (!client.ExplicitAuthFlows.includes("ALLOW_USER_PASSWORD_AUTH"))
      throw invalidParameter("USER_PASSWORD_AUTH flow not enabled for this client");
    return passwordSignIn(ctx, client, p, (input.AuthParameters as Record<string, unknown> | undefined) ?? {});
  },
  AdminInitiateAuth(ctx, input) {
    V.validateRequest(input, {
      UserPoolId: V.USER_POOL_ID,
      ClientId: CLIENT_ID,
      AuthFlow: {
        kind: "string",
        required: true,
        enum: AUTH_FLOW_TYPES.filter((flow) => flow !== "USER_PASSWORD_AUTH"),
      },
      AuthParameters: { kind: "object" },
    });
    const { client, p } = adminClientAndPool(ctx, input.UserPoolId as string, input.ClientId as string);
    if (input.AuthFlow !== "ADMIN_USER_PASSWORD_AUTH")
      throw invalidParameter(`The emulator supports only ADMIN_USER_PASSWORD_AUTH, not ${String(input.AuthFlow)}.`);
    if (!client.ExplicitAuthFlows.includes("ALLOW_ADMIN_USER_PASSWORD_AUTH"))
      throw invalidParameter("ADMIN_USER_PASSWORD_AUTH flow not enabled for this client");
    return passwordSignIn(ctx, client, p, (input.AuthParameters as Record<string, unknown> | undefined) ?? {});
  },
  RespondToAuthChallenge(ctx, input) {
    V.validateRequest(input, CHALLENGE_RESPONSE);
    const { client, p } = clientAndPool(ctx, input.ClientId as string);
    return answerChallenge(ctx, client, p, input);
  },
  AdminRespondToAuthChallenge(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, ...CHALLENGE_RESPONSE });
    const { client, p } = adminClientAndPool(ctx, input.UserPoolId as string, input.ClientId as string);
    return answerChallenge(ctx, client, p, input);
  },
};

const CHALLENGE_RESPONSE: V.Rules = {
  ClientId: CLIENT_ID,
  ChallengeName: {
    kind: "string",
    required: true,
    enum: [
      "SMS_MFA",
      "EMAIL_OTP",
      "SOFTWARE_TOKEN_MFA",
      "SELECT_MFA_TYPE",
      "MFA_SETUP",
      "PASSWORD_VERIFIER",
      "CUSTOM_CHALLENGE",
      "SELECT_CHALLENGE",
      "DEVICE_SRP_AUTH",
      "DEVICE_PASSWORD_VERIFIER",
      "ADMIN_NO_SRP_AUTH",
      "NEW_PASSWORD_REQUIRED",
      "SMS_OTP",
      "PASSWORD",
      "WEB_AUTHN",
      "PASSWORD_SRP",
    ],
  },
  Session: { kind: "string", min: 20, max: 2048, sensitive: true },
  ChallengeResponses: { kind: "object" },
};

/** USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH: the password step, then MFA (when ON) or the tokens. */
function passwordSignIn(ctx: CognitoContext, client: AppClient, p: PoolState, params: Record<string, unknown>): Record<string, unknown> {
  const username = typeof params.USERNAME === "string" ? params.USERNAME : undefined;
  if (username === undefined) throw invalidParameter("Missing required parameter USERNAME");
  checkSecretHash(client, username, params.SECRET_HASH);
  const u = lookUpUser(p, username);
  if (!u) throw client.PreventUserExistenceErrors === "ENABLED" ? WRONG_PASSWORD() : userNotFound();
  if (!u.enabled) throw new ServiceError("NotAuthorizedException", "User is disabled.");
  if (u.status === "RESET_REQUIRED") {
    // Reference §2.8: "PasswordResetRequiredException (or NotAuthorizedException when PreventUserExistenceErrors is on)".
    throw client.PreventUserExistenceErrors === "ENABLED"
      ? WRONG_PASSWORD()
      : new ServiceError("PasswordResetRequiredException", "Password reset required for the user");
  }
  if (u.password === undefined || params.PASSWORD !== u.password) throw WRONG_PASSWORD();
  if (u.status === "FORCE_CHANGE_PASSWORD")
    return {
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      Session: randomBytes(32).toString("base64url"),
      ChallengeParameters: { USER_ID_FOR_SRP: u.username, requiredAttributes: "[]", userAttributes: "{}" },
    };
  if (p.config.mfaConfiguration === "ON") return mfaChallenge(ctx, p, u, client);
  return signedIn();
}

function signedIn(): Record<string, unknown> {
  const token = () => randomBytes(48).toString("base64url");
  return {
    ChallengeParameters: {},
    AuthenticationResult: { AccessToken: token(), ExpiresIn: 3600, TokenType: "Bearer", RefreshToken: token(), IdToken: token() },
  };
}

/**
 * The answer to an SMS_MFA challenge: the session InitiateAuth returned (unknown or spent: NotAuthorizedException
 * "Invalid session for the user."; past AuthSessionValidity: "… session is expired."), the same USERNAME, and the
 * code sent (else CodeMismatchException; the session stays usable until it expires). Answered, the session is spent.
 */
function answerChallenge(ctx: CognitoContext, client: AppClient, p: PoolState, input: Record<string, unknown>): Record<string, unknown> {
  if (input.ChallengeName !== "SMS_MFA")
    throw invalidParameter(`The emulator answers only the SMS_MFA challenge, not ${String(input.ChallengeName)}.`);
  const responses = (input.ChallengeResponses as Record<string, unknown> | undefined) ?? {};
  const username = typeof responses.USERNAME === "string" ? responses.USERNAME : undefined;
  if (username === undefined) throw invalidParameter("Missing required parameter USERNAME");
  checkSecretHash(client, username, responses.SECRET_HASH);
  const session = typeof input.Session === "string" ? findSession(ctx.state, input.Session, client.ClientId, ctx.clock()) : undefined;
  if (session === "expired") throw new ServiceError("NotAuthorizedException", "Invalid session for the user, session is expired.");
  const u = lookUpUser(p, username);
  if (!session || !u || u.username !== session.username || session.userPoolId !== p.config.id)
    throw new ServiceError("NotAuthorizedException", "Invalid session for the user.");
  if (typeof responses.SMS_MFA_CODE !== "string" || responses.SMS_MFA_CODE !== session.code)
    throw new ServiceError("CodeMismatchException", "Invalid code received for user");
  endSession(ctx.state, input.Session as string);
  return signedIn();
}

/**
 * The second factor InitiateAuth asks for when MFA is ON. ChallengeName in the API reference: "SMS_MFA: Next
 * challenge is to supply an SMS_MFA_CODE, delivered via SMS"; "MFA_SETUP: If MFA is required, users who don't have
 * at least one of the MFA methods set up are presented with an MFA_SETUP challenge."
 */
function mfaChallenge(ctx: CognitoContext, p: PoolState, u: StoredUser, client: AppClient): Record<string, unknown> {
  const phone = u.attributes.phone_number;
  if (p.config.mfaFactors?.sms === true && phone !== undefined && phone !== "") {
    const session = startSmsMfa(ctx.state, p, u, client, ctx.clock());
    ctx.changed();
    return {
      ChallengeName: "SMS_MFA",
      Session: session,
      ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: "SMS", CODE_DELIVERY_DESTINATION: maskDestination(phone) },
    };
  }
  return {
    ChallengeName: "MFA_SETUP",
    Session: randomBytes(32).toString("base64url"),
    ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' },
  };
}
