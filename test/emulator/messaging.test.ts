/**
 * The emulator's SES and SNS reads (emulator/README.md "Messaging capacity"): SESv2 GetAccount over REST-JSON and SNS
 * GetSMSSandboxAccountStatus / GetSMSAttributes over the query protocol, driven by unmodified SDK clients; state per
 * Region; a denied operation answers as AWS does for a caller without the permission. Uses nothing of the product.
 */
import { GetAccountCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { GetSMSAttributesCommand, GetSMSSandboxAccountStatusCommand, SNSClient } from "@aws-sdk/client-sns";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { messagingSpec } from "../../emulator/messaging";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
let emulator: RunningEmulator;
const clients: { destroy(): void }[] = [];
const ses = (region: string) => {
  const c = new SESv2Client({ region, endpoint: emulator.endpoint, credentials });
  clients.push(c);
  return c;
};
const sns = (region: string) => {
  const c = new SNSClient({ region, endpoint: emulator.endpoint, credentials });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await emulator.stop();
});

test("a new account's defaults: SES sandbox, 200 per 24 hours, 1 per second; SMS sandbox, $1 a month", async () => {
  const account = await ses("eu-west-2").send(new GetAccountCommand({}));
  expect(account).toMatchObject({
    ProductionAccessEnabled: false,
    SendQuota: { Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 0 },
    SendingEnabled: true,
  });
  expect(await sns("eu-west-2").send(new GetSMSSandboxAccountStatusCommand({}))).toMatchObject({ IsInSandbox: true });
  const attributes = await sns("eu-west-2").send(new GetSMSAttributesCommand({ attributes: ["MonthlySpendLimit"] }));
  expect(attributes.attributes).toEqual({ MonthlySpendLimit: "1" });
  expect(emulator.callCounts()).toMatchObject({ GetAccount: 1, GetSMSSandboxAccountStatus: 1, GetSMSAttributes: 1 });
});

test("state is set per Region; other Regions keep theirs", async () => {
  emulator.messaging.set({ ses: { productionAccessEnabled: true, max24HourSend: 50_000, sentLast24Hours: 12 } }, "us-east-1");
  emulator.messaging.set({ sns: { isInSandbox: false, monthlySpendLimit: "250" } }, "us-east-1");
  expect(await ses("us-east-1").send(new GetAccountCommand({}))).toMatchObject({
    ProductionAccessEnabled: true,
    SendQuota: { Max24HourSend: 50_000, SentLast24Hours: 12 },
  });
  expect((await sns("us-east-1").send(new GetSMSAttributesCommand({}))).attributes).toEqual({ MonthlySpendLimit: "250" });
  expect(await sns("us-east-1").send(new GetSMSSandboxAccountStatusCommand({}))).toMatchObject({ IsInSandbox: false });
  expect((await ses("eu-west-1").send(new GetAccountCommand({}))).ProductionAccessEnabled).toBe(false);
});

test("denied operations: SES AccessDeniedException, SNS AuthorizationError, both 403", async () => {
  emulator.messaging.set({ denied: ["GetAccount", "GetSMSAttributes"] }, "eu-central-1");
  await expect(ses("eu-central-1").send(new GetAccountCommand({}))).rejects.toMatchObject({
    name: "AccessDeniedException",
    $metadata: { httpStatusCode: 403 },
  });
  await expect(sns("eu-central-1").send(new GetSMSAttributesCommand({}))).rejects.toMatchObject({
    name: "AuthorizationErrorException",
    $metadata: { httpStatusCode: 403 },
  });
  expect(await sns("eu-central-1").send(new GetSMSSandboxAccountStatusCommand({}))).toMatchObject({ IsInSandbox: true });
});

test("`cognito-roster emulator --messaging KEY=VALUE`: the same settings, and a wrong one refused", () => {
  const specs = [
    "ses-production=true",
    "ses-max-24h=50000",
    "ses-sent-24h=10",
    "sms-sandbox=false",
    "sms-spend-limit=100",
    "deny=GetAccount",
  ];
  expect(specs.reduce((into, spec) => messagingSpec(spec, into), {})).toEqual({
    ses: { productionAccessEnabled: true, max24HourSend: 50_000, sentLast24Hours: 10 },
    sns: { isInSandbox: false, monthlySpendLimit: "100" },
    denied: ["GetAccount"],
  });
  expect(() => messagingSpec("ses-production=yes")).toThrow("takes true or false");
  expect(() => messagingSpec("deny=SendEmail")).toThrow("unknown --messaging deny=SendEmail");
});
