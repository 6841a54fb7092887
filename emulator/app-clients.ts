/**
 * App clients of a user pool, as the API reference describes them: CreateUserPoolClient and
 * DescribeUserPoolClient, and how the sign-in and password-reset operations find the client a request names.
 *
 * InitiateAuth, ForgotPassword and ConfirmForgotPassword are unauthenticated (the SDK sends them unsigned), so the
 * app client is found by its id; a request that does name a Region must name the client's. The Admin* operations
 * are signed and name the pool: the pool by id, its client by id.
 */
import { createHmac, randomBytes, randomInt } from "node:crypto";
import { ServiceError } from "./errors";
import type { AppClient, PoolState } from "./emulator-state";
import { pool, secs, type CognitoContext, type Handler } from "./cognito-context";
import { regionOfPoolId } from "./pool-model";
import * as V from "./request-validation";
import { DEFAULT_AUTH_SESSION_MINUTES } from "./auth-sessions";

export const CLIENT_ID: V.StringRule = { kind: "string", required: true, min: 1, max: 128, pattern: "[\\w+]+", sensitive: true };
const AUTH_FLOWS = [
  "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  "ALLOW_CUSTOM_AUTH",
  "ALLOW_USER_PASSWORD_AUTH",
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_REFRESH_TOKEN_AUTH",
  "ALLOW_USER_AUTH",
];

export const appClientHandlers: Record<string, Handler> = {
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
};

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

/** AdminInitiateAuth / AdminRespondToAuthChallenge: the pool by id (signed, Region-scoped), its client by id. */
export function adminClientAndPool(ctx: CognitoContext, poolId: string, clientId: string): { client: AppClient; p: PoolState } {
  const p = pool(ctx, poolId);
  const client = ctx.state.clients.get(clientId);
  if (!client || client.UserPoolId !== p.config.id)
    throw new ServiceError("ResourceNotFoundException", `User pool client ${clientId} does not exist.`);
  return { client, p };
}

/** The app client by id, and its pool; a request that names a Region must name the pool's. */
export function clientAndPool(ctx: CognitoContext, clientId: string): { client: AppClient; p: PoolState } {
  const client = ctx.state.clients.get(clientId);
  const p = client ? ctx.state.pools.get(client.UserPoolId) : undefined;
  if (!client || !p || (ctx.regionNamed && regionOfPoolId(p.config.id) !== ctx.region))
    throw new ServiceError("ResourceNotFoundException", `User pool client ${clientId} does not exist.`);
  return { client, p };
}

/** A client with a secret needs SECRET_HASH = Base64(HMAC-SHA256(secret, username + clientId)). */
export function checkSecretHash(client: AppClient, username: string, given: unknown): void {
  if (client.ClientSecret === undefined) return;
  if (typeof given !== "string")
    throw new ServiceError("NotAuthorizedException", `Client ${client.ClientId} is configured for secret but secret was not received`);
  const expected = createHmac("sha256", client.ClientSecret)
    .update(username + client.ClientId)
    .digest("base64");
  if (given !== expected) throw new ServiceError("NotAuthorizedException", `Unable to verify secret hash for client ${client.ClientId}`);
}

function randomAlnumLower(n: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}
