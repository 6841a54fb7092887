/**
 * Behaviours the pool's configuration implies (issue 18), each with its source in emulator/README.md ("Where the
 * behaviours come from"): no auto-verified attribute → no import job starts; a verified flag without its value;
 * resets refused for disabled and FORCE_CHANGE_PASSWORD users; ForgotPassword's simulated delivery; the
 * UserAccountRecovery quota category. Unmodified SDK clients only.
 */
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminResetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserImportJobCommand,
  CreateUserPoolClientCommand,
  ForgotPasswordCommand,
  StartUserImportJobCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { csvOf, errorOf, ROLE_ARN, runImport, startHarness, stopHarness, testProfile, upload, userValues, type Harness } from "./helpers";

const POOL = testProfile().userPoolId;
let h: Harness;
let anonymous: CognitoIdentityProviderClient;

async function start(pool = testProfile({ mfaConfiguration: "OFF" }), quotas?: "aws"): Promise<void> {
  h = await startHarness(quotas ? { quotas } : {}, [pool]);
  anonymous = new CognitoIdentityProviderClient({
    endpoint: h.emulator.endpoint,
    region: "eu-west-2",
    maxAttempts: 1,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
}
afterEach(async () => {
  anonymous?.destroy();
  await stopHarness(h);
});

async function appClient(prevent: "ENABLED" | "LEGACY"): Promise<string> {
  const out = await h.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: POOL,
      ClientName: "web",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
      PreventUserExistenceErrors: prevent,
    }),
  );
  return out.UserPoolClient?.ClientId as string;
}

test('developer guide, importing users: a pool with no auto-verified attribute "will not start" an import job', async () => {
  await start(testProfile({ mfaConfiguration: "OFF", autoVerifiedAttributes: [] }));
  const created = (
    await h.cognito.send(new CreateUserImportJobCommand({ UserPoolId: POOL, JobName: "j", CloudWatchLogsRoleArn: ROLE_ARN }))
  ).UserImportJob;
  await upload(created?.PreSignedUrl as string, await csvOf(h, [userValues(1)]));
  expect(await errorOf(h.cognito.send(new StartUserImportJobCommand({ UserPoolId: POOL, JobId: created?.JobId })))).toMatchObject({
    name: "InvalidParameterException",
  });
});

test("AdminCreateUser: email_verified=true without an email is InvalidParameterException (the service's answer as issue 18 records it; emulator/README.md)", async () => {
  await start(testProfile({ mfaConfiguration: "OFF", requiredAttributes: [] }));
  const refused = h.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: POOL,
      Username: "no.email",
      UserAttributes: [{ Name: "email_verified", Value: "true" }],
      MessageAction: "SUPPRESS",
    }),
  );
  expect(await errorOf(refused)).toMatchObject({ name: "InvalidParameterException" });
});

test("AdminResetUserPassword: NotAuthorizedException for a disabled user and for a FORCE_CHANGE_PASSWORD user; nothing is sent (service behaviour reported publicly: amazon-cognito-identity-js#373, amplify-js#1340)", async () => {
  await start();
  await runImport(h, await csvOf(h, [userValues(1, { "cognito:mfa_enabled": "FALSE" })]));
  await h.cognito.send(new AdminDisableUserCommand({ UserPoolId: POOL, Username: "user1@example.nhs.uk" }));
  const disabled = await errorOf(h.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: POOL, Username: "user1@example.nhs.uk" })));
  expect(disabled).toMatchObject({ name: "NotAuthorizedException", message: "User is disabled." });
  await h.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: POOL,
      Username: "new@example.nhs.uk",
      UserAttributes: [
        { Name: "email", Value: "new@example.nhs.uk" },
        { Name: "email_verified", Value: "true" },
      ],
      MessageAction: "SUPPRESS",
    }),
  );
  const forced = await errorOf(h.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: POOL, Username: "new@example.nhs.uk" })));
  expect(forced).toMatchObject({ name: "NotAuthorizedException", message: "User password cannot be reset in the current state." });
  // ForgotPassword likewise refuses a FORCE_CHANGE_PASSWORD user.
  const client = await appClient("LEGACY");
  expect(await errorOf(anonymous.send(new ForgotPasswordCommand({ ClientId: client, Username: "new@example.nhs.uk" })))).toMatchObject({
    name: "NotAuthorizedException",
  });
  expect(h.emulator.sentCodes()).toEqual([]);
});

test('ForgotPassword for a user with no verified contact: InvalidParameterException, or a simulated delivery when the client prevents user-existence errors (API reference PreventUserExistenceErrors: "a code was sent to a simulated destination")', async () => {
  await start();
  await runImport(h, await csvOf(h, [userValues(1, { "cognito:mfa_enabled": "FALSE", email_verified: "true" })]));
  // The email is then changed out of band and left unverified: no verified contact remains.
  const { AdminUpdateUserAttributesCommand } = await import("@aws-sdk/client-cognito-identity-provider");
  await h.cognito.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: POOL,
      Username: "user1@example.nhs.uk",
      UserAttributes: [{ Name: "email_verified", Value: "false" }],
    }),
  );
  const legacy = await appClient("LEGACY");
  expect(await errorOf(anonymous.send(new ForgotPasswordCommand({ ClientId: legacy, Username: "user1@example.nhs.uk" })))).toMatchObject({
    name: "InvalidParameterException",
  });
  const prevent = await appClient("ENABLED");
  const simulated = await anonymous.send(new ForgotPasswordCommand({ ClientId: prevent, Username: "user1@example.nhs.uk" }));
  expect(simulated.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "EMAIL", AttributeName: "email" });
  expect(h.emulator.sentCodes()).toEqual([]);
});

test("quotas page: AdminResetUserPassword is in the UserAccountRecovery category, 30 requests a second", async () => {
  await start(testProfile({ mfaConfiguration: "OFF" }), "aws");
  const calls = Array.from({ length: 31 }, (_, i) =>
    errorOf(h.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: POOL, Username: `nobody${i}@example.nhs.uk` }))),
  );
  const names = (await Promise.all(calls)).map((e) => e.name);
  expect(names.filter((n) => n === "TooManyRequestsException").length).toBeGreaterThanOrEqual(1);
  expect(names.filter((n) => n === "UserNotFoundException").length).toBeLessThanOrEqual(30);
});

describe('developer guide, "User pool attributes → Aliases" (email as an alias)', () => {
  const aliasPool = () => testProfile({ mfaConfiguration: "OFF", aliasAttributes: ["email"], requiredAttributes: [] });
  const create = (username: string, email: string, force?: boolean) =>
    h.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: POOL,
        Username: username,
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "email_verified", Value: "true" },
        ],
        MessageAction: "SUPPRESS",
        ...(force === undefined ? {} : { ForceAliasCreation: force }),
      }),
    );

  test('"a username can\'t match a valid email format": AdminCreateUser and import rows refuse it', async () => {
    await start(aliasPool());
    expect(await errorOf(create("jane@example.nhs.uk", "jane@example.nhs.uk"))).toMatchObject({
      name: "InvalidParameterException",
      message: "Username cannot be of email format, since user pool is configured for email alias.",
    });
    const { job, lines } = await runImport(h, await csvOf(h, [userValues(1, { "cognito:mfa_enabled": "FALSE" })]));
    expect(job.FailedUsers).toBe(1);
    expect(lines.join("\n")).toMatch(/Username cannot be of email format/);
  });

  test("a second user with the same verified email: AliasExistsException; ForceAliasCreation moves the alias and unverifies the previous holder", async () => {
    await start(aliasPool());
    await create("jane", "jane@example.nhs.uk");
    expect(await errorOf(create("jane2", "jane@example.nhs.uk"))).toMatchObject({ name: "AliasExistsException" });
    await create("jane2", "jane@example.nhs.uk", true);
    const { AdminGetUserCommand } = await import("@aws-sdk/client-cognito-identity-provider");
    const previous = await h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "jane" }));
    expect(previous.UserAttributes?.find((a) => a.Name === "email_verified")?.Value).toBe("false");
    expect(previous.UserAttributes?.find((a) => a.Name === "email")?.Value).toBe("jane@example.nhs.uk");
    // The alias now names the new holder.
    const byAlias = await h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "jane@example.nhs.uk" }));
    expect(byAlias.Username).toBe("jane2");
  });

  test("an import row whose verified email is another user's alias fails (an import has no ForceAliasCreation)", async () => {
    await start(aliasPool());
    await create("jane", "jane@example.nhs.uk");
    const row = (u: string, verified: string) =>
      userValues(9, { "cognito:username": u, email: "jane@example.nhs.uk", email_verified: verified, "cognito:mfa_enabled": "FALSE" });
    const { job, lines } = await runImport(h, await csvOf(h, [row("other", "true")]));
    expect(job.FailedUsers).toBe(1);
    expect(lines.join("\n")).toMatch(/AliasExistsException/);
  });
});
