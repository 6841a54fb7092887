/**
 * Issue 20 items 1 and 2 at the transport: an answer that never comes fails the call within its bound (the locked
 * @smithy/node-http-handler only warns on `requestTimeout` unless `throwOnRequestTimeout` is set), and an
 * AdminResetUserPassword whose answer is lost after Cognito acted is never repeated by the SDK's retries: one code
 * delivered, reported "unknown". The emulator's record of delivered codes and its count of requests received (the
 * HTTP level) must agree.
 */
import { startEmulatorForSdk } from "../support/emulator-pool";
import { createPool } from "../support/emulator-pool";
import type { RunningEmulator } from "../../emulator";
import { createAwsClients } from "../../aws/clients";
import { describePool } from "../../aws/pool-users";
import { sendSignInCode } from "../../aws/sign-in-codes";
import { applyRoster } from "../../engine/reconcile";
import { makeCheckout, range, traineeEmail, traineeProfile } from "../support/roster-fixture";

let emulator: RunningEmulator;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ emulator, stop } = await startEmulatorForSdk());
});
afterAll(() => stop());
afterEach(() => emulator.faults.clear());

test("a request never answered fails within its bound (attempts × request timeout + back-off), not forever", async () => {
  const profile = traineeProfile();
  await createPool(emulator, profile);
  const retries: string[] = [];
  const aws = createAwsClients(profile.region, profile.userPoolId, {
    requestTimeoutMs: 300,
    maxAttempts: 2,
    onRetry: (m) => retries.push(m),
  });
  emulator.faults.hang("DescribeUserPool", 0);
  const began = Date.now();
  try {
    await expect(describePool(aws.cognito, profile.userPoolId)).rejects.toMatchObject({ name: "TimeoutError" });
  } finally {
    aws.destroy();
  }
  const waited = Date.now() - began;
  // 2 attempts × 300 ms, plus at most one back-off (≤ 200 ms for the first retry) and scheduling slack.
  expect(waited).toBeGreaterThanOrEqual(600);
  expect(waited).toBeLessThan(3_000);
  expect(retries).toEqual([expect.stringMatching(/^no answer within the request timeout on DescribeUserPool, retrying in/)]);
});

test("one request never answered is retried and the call succeeds", async () => {
  const profile = traineeProfile();
  await createPool(emulator, profile);
  const aws = createAwsClients(profile.region, profile.userPoolId, { requestTimeoutMs: 300 });
  emulator.faults.hang("DescribeUserPool", 1);
  try {
    expect((await describePool(aws.cognito, profile.userPoolId)).arn).toContain(profile.userPoolId);
  } finally {
    aws.destroy();
  }
});

test("AdminResetUserPassword whose answer is lost after Cognito sent the code: not repeated, reported unknown", async () => {
  const profile = traineeProfile();
  await createPool(emulator, profile);
  const checkout = makeCheckout();
  try {
    checkout.write("london/2026-08.yaml", range(1, 1));
    expect((await applyRoster({ profile, usersDir: checkout.usersDir, repoRoot: checkout.repoRoot })).imported).toBe(1);
  } finally {
    checkout.cleanup();
  }
  const aws = createAwsClients(profile.region, profile.userPoolId, { requestTimeoutMs: 2_000 });
  emulator.resetCallCounts();
  emulator.faults.dropAnswer("AdminResetUserPassword", 1);
  try {
    const outcome = await sendSignInCode(aws.cognito, profile.userPoolId, traineeEmail(1));
    expect(outcome).toMatchObject({ kind: "unknown" });
  } finally {
    aws.destroy();
  }
  const delivered = emulator.sentCodes().filter((c) => c.userPoolId === profile.userPoolId && c.reason === "AdminResetUserPassword");
  expect(delivered).toHaveLength(1);
  expect(emulator.callCounts().AdminResetUserPassword).toBe(1); // the HTTP level: one request, no SDK retry
});

test("a throttled AdminResetUserPassword (answered 4xx: nothing sent) is still retried by the SDK", async () => {
  const profile = traineeProfile();
  await createPool(emulator, profile);
  const checkout = makeCheckout();
  try {
    checkout.write("london/2026-08.yaml", range(2, 2));
    await applyRoster({ profile, usersDir: checkout.usersDir, repoRoot: checkout.repoRoot });
  } finally {
    checkout.cleanup();
  }
  const aws = createAwsClients(profile.region, profile.userPoolId);
  emulator.resetCallCounts();
  emulator.faults.throttle("AdminResetUserPassword", 1);
  try {
    expect(await sendSignInCode(aws.cognito, profile.userPoolId, traineeEmail(2))).toEqual({ kind: "sent" });
  } finally {
    aws.destroy();
  }
  expect(emulator.callCounts().AdminResetUserPassword).toBe(2);
  expect(emulator.sentCodes().filter((c) => c.userPoolId === profile.userPoolId)).toHaveLength(1);
});
