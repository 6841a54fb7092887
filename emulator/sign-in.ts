/**
 * First sign-in of imported users, as reference §2.8/§7 and the API reference describe it: app clients
 * (CreateUserPoolClient, DescribeUserPoolClient), InitiateAuth with USER_PASSWORD_AUTH, ForgotPassword,
 * ConfirmForgotPassword and AdminResetUserPassword. Codes are "sent" to `state.sent`, which tests read through
 * `emulator.sentCodes()`; nothing is delivered anywhere.
 *
 * InitiateAuth, ForgotPassword and ConfirmForgotPassword are unauthenticated (the SDK sends them unsigned), so the
 * app client is found by its id; a request that does name a Region must name the client's.
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
import { createHmac, randomBytes, randomInt } from "node:crypto";
import { ServiceError, invalidParameter, userNotFound } from "./errors";
import type { AppClient, PoolState, SentCode } from "./emulator-state";
import { pool, secs, type CognitoContext, type Handler } from "./cognito-context";
import { regionOfPoolId } from "./pool-model";
import * as V from "./request-validation";
import { lookUpUser, requireUser } from "./user-lookup";
import { DEFAULT_AUTH_SESSION_MINUTES, endSession, findSession, startSmsMfa } from "./auth-sessions";
import type { StoredUser } from "./users-store";

/** "A confirmation code … is valid for one hour" (developer guide, "Recovering user accounts"). */
const RESET_CODE_VALIDITY_MS = 60 * 60 * 1000;

const CLIENT_ID: V.StringRule = { kind: "string", required: true, min: 1, max: 128, pattern: "[\\w+]+", sensitive: true };
const PASSWORD: V.StringRule = { kind: "string", required: true, max: 256, pattern: "[\\S]+", sensitive: true };
const AUTH_FLOWS = [
  "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  "ALLOW_CUSTOM_AUTH",
  "ALLOW_USER_PASSWORD_AUTH",
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_REFRESH_TOKEN_AUTH",
  "ALLOW_USER_AUTH",
];
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
  CreateUserPoolClient(ctx, input) {
    V.validateRequest(input, {
      UserPoolId: V.USER_POOL_ID,
      ClientName: { kind: "string", required: true, min: 1, max: 128, pattern: "[\\w\\s+=,.@-]+" },
      GenerateSecret: { kind: "boolean" },
      ExplicitAuthFlows: { kind: "list", member: { kind: "string", enum: AUTH_FLOWS } },
      PreventUserExistenceErrors: { kind: "string", enum: ["LEGACY", "ENABLED"] },
      AuthSessionValidity: { kind: "number", min: 3, max: 15 },
    });
    const p = pool(ctx, input.UserPoolId as string);
    let id: string;
    do id = randomAlnumLower(26);
    while (ctx.state.clients.has(id));
    const client: AppClient = {
      ClientId: id,
      ClientName: input.ClientName as string,
      UserPoolId: p.config.id,
      ...(input.GenerateSecret === true ? { ClientSecret: randomBytes(39).toString("base64url").slice(0, 51) } : {}),
      ExplicitAuthFlows: (input.ExplicitAuthFlows as string[] | undefined) ?? [],
      // API reference, CreateUserPoolClient PreventUserExistenceErrors: "Defaults to LEGACY."
      PreventUserExistenceErrors: (input.PreventUserExistenceErrors as AppClient["PreventUserExistenceErrors"] | undefined) ?? "LEGACY",
      ...(typeof input.AuthSessionValidity === "number" ? { AuthSessionValidity: input.AuthSessionValidity } : {}),
      CreationDate: ctx.clock(),
    };
    ctx.state.clients.set(id, client);
    ctx.changed();
    return { UserPoolClient: clientShape(client) };
  },
  DescribeUserPoolClient(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, ClientId: CLIENT_ID });
    pool(ctx, input.UserPoolId as string);
    const client = ctx.state.clients.get(input.ClientId as string);
    if (!client || client.UserPoolId !== input.UserPoolId)
      throw new ServiceError("ResourceNotFoundException", `User pool client ${String(input.ClientId)} does not exist.`);
    return { UserPoolClient: clientShape(client) };
  },
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

/** AdminInitiateAuth / AdminRespondToAuthChallenge: the pool by id (signed, Region-scoped), its client by id. */
function adminClientAndPool(ctx: CognitoContext, poolId: string, clientId: string): { client: AppClient; p: PoolState } {
  const p = pool(ctx, poolId);
  const client = ctx.state.clients.get(clientId);
  if (!client || client.UserPoolId !== p.config.id)
    throw new ServiceError("ResourceNotFoundException", `User pool client ${clientId} does not exist.`);
  return { client, p };
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
      ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: "SMS", CODE_DELIVERY_DESTINATION: mask(phone) },
    };
  }
  return {
    ChallengeName: "MFA_SETUP",
    Session: randomBytes(32).toString("base64url"),
    ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' },
  };
}

function clientShape(c: AppClient): Record<string, unknown> {
  return {
    ClientId: c.ClientId,
    ClientName: c.ClientName,
    UserPoolId: c.UserPoolId,
    ...(c.ClientSecret !== undefined ? { ClientSecret: c.ClientSecret } : {}),
    ExplicitAuthFlows: c.ExplicitAuthFlows,
    PreventUserExistenceErrors: c.PreventUserExistenceErrors,
    AuthSessionValidity: c.AuthSessionValidity ?? DEFAULT_AUTH_SESSION_MINUTES,
    CreationDate: secs(c.CreationDate),
    LastModifiedDate: secs(c.CreationDate),
  };
}

/** The app client by id, and its pool; a request that names a Region must name the pool's. */
function clientAndPool(ctx: CognitoContext, clientId: string): { client: AppClient; p: PoolState } {
  const client = ctx.state.clients.get(clientId);
  const p = client ? ctx.state.pools.get(client.UserPoolId) : undefined;
  if (!client || !p || (ctx.regionNamed && regionOfPoolId(p.config.id) !== ctx.region))
    throw new ServiceError("ResourceNotFoundException", `User pool client ${clientId} does not exist.`);
  return { client, p };
}

/** A client with a secret needs SECRET_HASH = Base64(HMAC-SHA256(secret, username + clientId)). */
function checkSecretHash(client: AppClient, username: string, given: unknown): void {
  if (client.ClientSecret === undefined) return;
  if (typeof given !== "string")
    throw new ServiceError("NotAuthorizedException", `Client ${client.ClientId} is configured for secret but secret was not received`);
  const expected = createHmac("sha256", client.ClientSecret)
    .update(username + client.ClientId)
    .digest("base64");
  if (given !== expected) throw new ServiceError("NotAuthorizedException", `Unable to verify secret hash for client ${client.ClientId}`);
}

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
  return { Destination: mask(u.attributes[choice]), DeliveryMedium: medium, AttributeName: choice };
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

/** `j***@e***` / `+*******0123`: what CodeDeliveryDetails.Destination shows. */
function mask(destination: string): string {
  const at = destination.indexOf("@");
  if (at > 0) return `${destination[0]}***@${destination[at + 1] ?? ""}***`;
  return `+${"*".repeat(Math.max(0, destination.length - 5))}${destination.slice(-4)}`;
}

function randomAlnumLower(n: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}
