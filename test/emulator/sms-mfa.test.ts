/**
 * SMS MFA at sign-in (emulator/auth-sessions.ts), with unmodified SDK clients: InitiateAuth → SMS_MFA challenge with a
 * Session, the code in the outbox (GET /_emulator/outbox, an SMS to the phone_number), RespondToAuthChallenge with
 * SMS_MFA_CODE and USERNAME (API reference, RespondToAuthChallenge ChallengeResponses) → tokens; a wrong code is
 * CodeMismatchException, a spent or unknown session and one past the client's AuthSessionValidity (default 3
 * minutes, UserPoolClientType) are NotAuthorizedException. The signed pair AdminInitiateAuth (ADMIN_USER_PASSWORD_AUTH)
 * and AdminRespondToAuthChallenge do the same.
 */
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { csvOf, errorOf, runImport, startHarness, stopHarness, testProfile, userValues, type Harness } from "./helpers";

const POOL = testProfile().userPoolId;
const USER = "user1@example.nhs.uk";
const PASSWORD = "N3w-Passw0rd!";
let h: Harness;
let anonymous: CognitoIdentityProviderClient;
let clientId: string;

beforeEach(async () => {
  h = await startHarness();
  // MFA ON with the SMS factor, as a pool with an SNS role configures it.
  await h.cognito.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: POOL,
      MfaConfiguration: "ON",
      SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::000000000000:role/cognito-sms", ExternalId: "roster" } },
    }),
  );
  anonymous = new CognitoIdentityProviderClient({
    endpoint: h.emulator.endpoint,
    region: "eu-west-2",
    maxAttempts: 1,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  await runImport(h, await csvOf(h, [userValues(1)]));
  const client = await h.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: POOL,
      ClientName: "web",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"],
    }),
  );
  clientId = client.UserPoolClient?.ClientId as string;
  expect(client.UserPoolClient?.AuthSessionValidity).toBe(3);
  await anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: USER }));
  const code = h.emulator.sentCodes().at(-1)?.code;
  await anonymous.send(
    new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: USER, ConfirmationCode: code, Password: PASSWORD }),
  );
});
afterEach(async () => {
  anonymous.destroy();
  await stopHarness(h);
});

async function outbox(): Promise<Record<string, string>[]> {
  const response = await fetch(`${h.emulator.endpoint}/_emulator/outbox?username=${encodeURIComponent(USER)}`);
  return ((await response.json()) as { Messages: Record<string, string>[] }).Messages;
}

const signIn = () =>
  anonymous.send(
    new InitiateAuthCommand({ AuthFlow: "USER_PASSWORD_AUTH", ClientId: clientId, AuthParameters: { USERNAME: USER, PASSWORD } }),
  );
const answer = (Session: string | undefined, code: string | undefined) =>
  anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: "SMS_MFA",
      Session,
      ChallengeResponses: { USERNAME: USER, SMS_MFA_CODE: code as string },
    }),
  );

test("InitiateAuth → SMS_MFA: the code is in the outbox; RespondToAuthChallenge with it signs in, once", async () => {
  const challenge = await signIn();
  expect(challenge).toMatchObject({ ChallengeName: "SMS_MFA", ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: "SMS" } });
  const sms = (await outbox()).at(-1);
  expect(sms).toMatchObject({
    Reason: "SMS_MFA",
    DeliveryMedium: "SMS",
    Destination: "+447700900001",
    Username: USER,
    Code: expect.stringMatching(/^\d{6}$/),
  });
  const wrong = sms?.Code === "000000" ? "111111" : "000000";
  expect(await errorOf(answer(challenge.Session, wrong))).toMatchObject({ name: "CodeMismatchException" });
  const done = await answer(challenge.Session, sms?.Code);
  expect(done.AuthenticationResult).toMatchObject({ TokenType: "Bearer", ExpiresIn: 3600 });
  // A session answered is spent; an unknown one was never valid.
  expect(await errorOf(answer(challenge.Session, sms?.Code))).toMatchObject({
    name: "NotAuthorizedException",
    message: "Invalid session for the user.",
  });
  expect((await errorOf(answer("x".repeat(40), sms?.Code))).name).toBe("NotAuthorizedException");
});

test("a session past AuthSessionValidity (3 minutes by default) is expired", async () => {
  const challenge = await signIn();
  const code = (await outbox()).at(-1)?.Code;
  h.now.ms += 3 * 60_000 + 1;
  expect(await errorOf(answer(challenge.Session, code))).toMatchObject({
    name: "NotAuthorizedException",
    message: "Invalid session for the user, session is expired.",
  });
});

test("AdminInitiateAuth (ADMIN_USER_PASSWORD_AUTH) and AdminRespondToAuthChallenge: the same challenge, signed", async () => {
  const challenge = await h.cognito.send(
    new AdminInitiateAuthCommand({
      UserPoolId: POOL,
      ClientId: clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: USER, PASSWORD },
    }),
  );
  expect(challenge.ChallengeName).toBe("SMS_MFA");
  const code = (await outbox()).at(-1)?.Code as string;
  const done = await h.cognito.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: POOL,
      ClientId: clientId,
      ChallengeName: "SMS_MFA",
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: USER, SMS_MFA_CODE: code },
    }),
  );
  expect(done.AuthenticationResult?.AccessToken).toBeDefined();
  expect(h.emulator.sentCodes().map((c) => c.reason)).toEqual(["ForgotPassword", "SMS_MFA"]);
});
