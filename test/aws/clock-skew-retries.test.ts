/**
 * Issue 20 (clock skew both ways, bounded waits): with the local clock minutes off the service's, the SDK marks every
 * error answer "clock skew corrected" and so transient — and the locked SDK corrects again on the next call — so
 * an answered UserNotFoundException or a log stream not there yet was retried 10 times with real back-off. The
 * roster's retry strategy (aws/clients.ts) retries such an answer only when it says the signing time was refused, or
 * is transient anyway. The emulator's clock is put 20 minutes ahead of this process's (its Date header says so).
 */
import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import type { RunningEmulator } from "../../emulator";
import { type AwsClients, createAwsClients } from "../../aws/clients";
import { describePool } from "../../aws/pool-users";
import { createPool, startEmulatorForSdk } from "../support/emulator-pool";
import { traineeProfile } from "../support/roster-fixture";

const SKEW_MS = 20 * 60_000;
let emulator: RunningEmulator;
let stop: () => Promise<void>;
const profile = traineeProfile();
let aws: AwsClients;
const retries: string[] = [];

beforeAll(async () => {
  ({ emulator, stop } = await startEmulatorForSdk({ clock: () => Date.now() + SKEW_MS }));
  await createPool(emulator, profile);
});
afterAll(() => stop());
beforeEach(() => {
  retries.length = 0;
  aws = createAwsClients(profile.region, profile.userPoolId, { onRetry: (m) => retries.push(m) });
});
afterEach(() => {
  aws.destroy();
  emulator.faults.clear();
});

test("an answered error (an absent user, a missing log stream) is final: one attempt each, no retry", async () => {
  emulator.resetCallCounts();
  const absent = aws.cognito.send(new AdminGetUserCommand({ UserPoolId: profile.userPoolId, Username: "nobody@example.nhs.uk" }));
  await expect(absent).rejects.toMatchObject({ name: "UserNotFoundException", $metadata: { attempts: 1, clockSkewCorrected: true } });
  const missing = aws.logs.send(new GetLogEventsCommand({ logGroupName: "/aws/cognito/userpools/none/none", logStreamName: "a/b" }));
  await expect(missing).rejects.toMatchObject({ name: "ResourceNotFoundException", $metadata: { attempts: 1 } });
  expect({ calls: emulator.callCounts(), retries }).toEqual({ calls: { AdminGetUser: 1, GetLogEvents: 1 }, retries: [] });
});

test("throttling under the same skew is still retried, and the call succeeds", async () => {
  emulator.faults.throttle("DescribeUserPool", 1);
  expect((await describePool(aws.cognito, profile.userPoolId)).arn).toContain(profile.userPoolId);
  expect(retries).toEqual([expect.stringMatching(/^throttled by AWS \(TooManyRequestsException\) on DescribeUserPool, retrying in/)]);
});
