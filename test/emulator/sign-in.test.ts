/**
 * Reference §2.8 / §7 "Imported users and first sign-in": RESET_REQUIRED users, InitiateAuth →
 * PasswordResetRequiredException, ForgotPassword (a code to the verified email or phone, none verified →
 * InvalidParameterException), ConfirmForgotPassword, AdminResetUserPassword — with unmodified SDK clients; the codes
 * the emulator "sent" are read through `emulator.sentCodes()`.
 */
import {
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createHmac } from "node:crypto";
import { csvOf, errorOf, runImport, startHarness, stopHarness, testProfile, userValues, type Harness } from "./helpers";

const POOL = testProfile().userPoolId;
let h: Harness;
/** An unsigned-operations client: InitiateAuth and ForgotPassword need no credentials. */
let anonymous: CognitoIdentityProviderClient;
beforeEach(async () => {
  h = await startHarness({}, [testProfile({ mfaConfiguration: "OFF" })]);
  anonymous = new CognitoIdentityProviderClient({
    endpoint: h.emulator.endpoint,
    region: "eu-west-2",
    maxAttempts: 1,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
});
afterEach(async () => {
  anonymous.destroy();
  await stopHarness(h);
});

async function appClient(options: { secret?: boolean; prevent?: "ENABLED" | "LEGACY" } = {}): Promise<{ id: string; secret?: string }> {
  const out = await h.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: POOL,
      ClientName: "web",
      GenerateSecret: options.secret,
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      PreventUserExistenceErrors: options.prevent ?? "LEGACY",
    }),
  );
  return { id: out.UserPoolClient?.ClientId as string, secret: out.UserPoolClient?.ClientSecret };
}

const signIn = (clientId: string, username: string, password: string, secretHash?: string) =>
  anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password, ...(secretHash ? { SECRET_HASH: secretHash } : {}) },
    }),
  );

test('"imported users are RESET_REQUIRED; a sign-in attempt fails with PasswordResetRequiredException; the app then calls ForgotPassword … ConfirmForgotPassword sets the password"', async () => {
  await runImport(h, await csvOf(h, [userValues(1, { "cognito:mfa_enabled": "FALSE" })]));
  const client = await appClient();
  const user = "user1@example.nhs.uk";
  expect(await errorOf(signIn(client.id, user, "Whatever1!"))).toMatchObject({ name: "PasswordResetRequiredException" });
  const sent = await anonymous.send(new ForgotPasswordCommand({ ClientId: client.id, Username: user }));
  expect(sent.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "EMAIL", AttributeName: "email", Destination: "u***@e***" });
  const code = h.emulator.sentCodes().at(-1);
  expect(code).toMatchObject({ userPoolId: POOL, username: user, reason: "ForgotPassword", destination: user });
  expect(
    await errorOf(
      anonymous.send(
        new ConfirmForgotPasswordCommand({ ClientId: client.id, Username: user, ConfirmationCode: "000000x", Password: "N3w-Passw0rd!" }),
      ),
    ),
  ).toMatchObject({ name: "CodeMismatchException" });
  expect(
    await errorOf(
      anonymous.send(
        new ConfirmForgotPasswordCommand({ ClientId: client.id, Username: user, ConfirmationCode: code?.code, Password: "short" }),
      ),
    ),
  ).toMatchObject({ name: "InvalidPasswordException" });
  await anonymous.send(
    new ConfirmForgotPasswordCommand({ ClientId: client.id, Username: user, ConfirmationCode: code?.code, Password: "N3w-Passw0rd!" }),
  );
  expect((await h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: user }))).UserStatus).toBe("CONFIRMED");
  const ok = await signIn(client.id, user, "N3w-Passw0rd!");
  expect(ok.AuthenticationResult).toMatchObject({ TokenType: "Bearer", ExpiresIn: 3600 });
  expect(await errorOf(signIn(client.id, user, "Wr0ng-Password!"))).toMatchObject({
    name: "NotAuthorizedException",
    message: "Incorrect username or password.",
  });
});

test('ForgotPassword: "If neither a verified phone number nor a verified email exists, Amazon Cognito responds with an InvalidParameterException"; a verified phone is used when the email is not verified', async () => {
  const client = await appClient();
  // Imported (RESET_REQUIRED) users, their email then marked unverified: one with a verified phone, one without.
  await runImport(
    h,
    await csvOf(h, [
      userValues(1, { "cognito:mfa_enabled": "FALSE" }),
      userValues(2, { "cognito:mfa_enabled": "FALSE", phone_number_verified: "TRUE" }),
    ]),
  );
  for (const n of [1, 2])
    await h.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: POOL,
        Username: `user${n}@example.nhs.uk`,
        UserAttributes: [{ Name: "email_verified", Value: "false" }],
      }),
    );
  expect((await errorOf(anonymous.send(new ForgotPasswordCommand({ ClientId: client.id, Username: "user1@example.nhs.uk" })))).name).toBe(
    "InvalidParameterException",
  );
  const sent = await anonymous.send(new ForgotPasswordCommand({ ClientId: client.id, Username: "user2@example.nhs.uk" }));
  expect(sent.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "SMS", AttributeName: "phone_number" });
});

test('AdminResetUserPassword "Sets the requested user\'s account into a RESET_REQUIRED status, and sends them a password-reset code"', async () => {
  const client = await appClient();
  const user = "user1@example.nhs.uk";
  await runImport(h, await csvOf(h, [userValues(1, { "cognito:mfa_enabled": "FALSE" })]));
  // The trainee sets a password (ForgotPassword → ConfirmForgotPassword): CONFIRMED, and signs in.
  await anonymous.send(new ForgotPasswordCommand({ ClientId: client.id, Username: user }));
  const code = h.emulator.sentCodes().at(-1)?.code;
  await anonymous.send(
    new ConfirmForgotPasswordCommand({ ClientId: client.id, Username: user, ConfirmationCode: code, Password: "N3w-Passw0rd!" }),
  );
  expect((await signIn(client.id, user, "N3w-Passw0rd!")).AuthenticationResult).toBeDefined();
  await h.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: POOL, Username: user }));
  expect((await h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: user }))).UserStatus).toBe("RESET_REQUIRED");
  expect(h.emulator.sentCodes().map((c) => [c.username, c.reason])).toEqual([
    [user, "ForgotPassword"],
    [user, "AdminResetUserPassword"],
  ]);
  expect((await errorOf(signIn(client.id, user, "N3w-Passw0rd!"))).name).toBe("PasswordResetRequiredException");
});

test("PreventUserExistenceErrors ENABLED: unknown and RESET_REQUIRED users both get NotAuthorizedException; a client with a secret needs SECRET_HASH", async () => {
  await runImport(h, await csvOf(h, [userValues(2, { "cognito:mfa_enabled": "FALSE" })]));
  const prevent = await appClient({ prevent: "ENABLED" });
  expect(await errorOf(signIn(prevent.id, "nobody@example.com", "Whatever1!"))).toMatchObject({
    name: "NotAuthorizedException",
    message: "Incorrect username or password.",
  });
  expect((await errorOf(signIn(prevent.id, "user2@example.nhs.uk", "Whatever1!"))).name).toBe("NotAuthorizedException");
  const legacy = await appClient();
  expect((await errorOf(signIn(legacy.id, "nobody@example.com", "Whatever1!"))).name).toBe("UserNotFoundException");
  const secret = await appClient({ secret: true });
  expect((await errorOf(signIn(secret.id, "user2@example.nhs.uk", "Whatever1!"))).name).toBe("NotAuthorizedException");
  const hash = createHmac("sha256", secret.secret as string)
    .update(`user2@example.nhs.uk${secret.id}`)
    .digest("base64");
  expect((await errorOf(signIn(secret.id, "user2@example.nhs.uk", "Whatever1!", hash))).name).toBe("PasswordResetRequiredException");
});

test("InitiateAuth needs the flow enabled on the client, and an unknown client does not exist", async () => {
  const client = (
    await h.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: POOL, ClientName: "srp-only", ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] }),
    )
  ).UserPoolClient?.ClientId as string;
  expect(await errorOf(signIn(client, "x@example.com", "Whatever1!"))).toMatchObject({
    name: "InvalidParameterException",
    message: "USER_PASSWORD_AUTH flow not enabled for this client",
  });
  expect((await errorOf(signIn("nosuchclient", "x@example.com", "Whatever1!"))).name).toBe("ResourceNotFoundException");
});
