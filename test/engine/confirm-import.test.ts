/**
 * engine/confirm-import.ts: what a finished import job did to each user, decided from the job's counters, its log
 * lines and consistent point reads — never from ListUsers, which the API reference calls eventually consistent
 * ("To validate the existence or configuration of an individual user, use AdminGetUser"). Real import jobs on the
 * project's emulator with its documented faults (ListUsers lag, partial log pages, log ingestion delay, a job that
 * fails midway); AWS calls are counted by the emulator, from outside.
 */
import { AdminCreateUserCommand, CognitoIdentityProviderClient, CreateUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { startEmulator, type RunningEmulator } from "../../emulator";
import type { DeclaredUser } from "../../core/declared-user";
import {
  createImportJob,
  describeImportJob,
  FINISHED_STATUSES,
  getCsvHeader,
  type ImportJob,
  startImportJob,
  uploadCsv,
} from "../../aws/import-jobs";
import { confirmImport, type ConfirmRequest } from "../../engine/confirm-import";
import { type AwsClients, createAwsClients } from "../../aws/clients";
import { poolPorts } from "../../aws/ports";
import { renderImportCsv } from "../support/one-call";

const ROLE = "arn:aws:iam::000000000000:role/cognito-roster-import-logs";
const POOL_NAME = "trainee-pool";
const credentials = { accessKeyId: "x", secretAccessKey: "x" };

let emulator: RunningEmulator;
let cognito: CognitoIdentityProviderClient;
let logs: CloudWatchLogsClient;
/** The product's clients for the emulator's Region; each test binds them to its own pool (poolPorts). */
let aws: AwsClients;
const now = { ms: Date.UTC(2026, 0, 15, 9, 0, 0) };
/** Waits in the code under test advance the emulator's clock instead of real time. */
const clock = {
  sleep: async (ms: number) => {
    now.ms += ms;
  },
  now: () => now.ms,
};

beforeAll(async () => {
  emulator = await startEmulator({ clock: () => now.ms });
  cognito = new CognitoIdentityProviderClient({ endpoint: emulator.endpoint, region: "eu-west-2", credentials, maxAttempts: 1 });
  logs = new CloudWatchLogsClient({ endpoint: emulator.endpoint, region: "eu-west-2", credentials, maxAttempts: 1 });
  aws = createAwsClients("eu-west-2", "eu-west-2_AnyPool1", { endpoint: emulator.endpoint, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  cognito.destroy();
  logs.destroy();
  aws.destroy();
  await emulator.stop();
});
beforeEach(() => emulator.faults.clear());

/** A pool like the trainees' (email required and auto-verified, tisId 1–20 characters), MFA off to keep it short. */
async function newPool(): Promise<string> {
  const out = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: POOL_NAME,
      AutoVerifiedAttributes: ["email"],
      UsernameConfiguration: { CaseSensitive: false },
      Schema: [
        { Name: "email", AttributeDataType: "String", Required: true, Mutable: true },
        { Name: "tisId", AttributeDataType: "String", Mutable: true, StringAttributeConstraints: { MinLength: "1", MaxLength: "20" } },
      ],
    }),
  );
  return out.UserPool?.Id as string;
}

function email(n: number): string {
  return `trainee.${String(n).padStart(4, "0")}@example.nhs.uk`;
}

function trainee(n: number, tisId = String(700000 + n)): DeclaredUser {
  return {
    username: email(n),
    mfaEnabled: false,
    enabled: true,
    attributes: { email: email(n), email_verified: true, given_name: "Testname", "custom:tisId": tisId },
    source: { file: "users/london/a.yaml", line: 4 + 5 * n, col: 5 },
  };
}

/** Runs one real import job of `users` and returns it finished. */
async function runJob(poolId: string, users: DeclaredUser[]): Promise<ImportJob> {
  const header = await getCsvHeader(cognito, poolId);
  const created = await createImportJob(cognito, poolId, `cognito-roster-test-${Date.now()}`, ROLE);
  await uploadCsv(created.preSignedUrl as string, renderImportCsv(users, header));
  await startImportJob(cognito, poolId, created.jobId);
  for (;;) {
    const job = await describeImportJob(cognito, poolId, created.jobId);
    if (FINISHED_STATUSES.includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 5));
  }
}

function request(users: DeclaredUser[], job: ImportJob, extra: Partial<ConfirmRequest> = {}): ConfirmRequest {
  return { poolName: POOL_NAME, caseSensitive: false, users, job, clock, ...extra };
}

async function logLine(poolId: string, job: ImportJob, line: number): Promise<string> {
  const out = await logs.send(
    new GetLogEventsCommand({
      logGroupName: `/aws/cognito/userpools/${poolId}/${POOL_NAME}`,
      logStreamName: `${job.jobId}/${job.jobName}`,
      startFromHead: true,
    }),
  );
  const message = (out.events ?? []).map((e) => e.message ?? "").find((m) => m.includes(`Line Number ${line} -`)) ?? "";
  return message.replace(/^.* - /, "");
}

const names = (list: { user: DeclaredUser }[]) => list.map((e) => e.user.username).sort();

test("a job whose counters show every row imported is confirmed with no further AWS call", async () => {
  const poolId = await newPool();
  const users = [1, 2, 3, 4].map((n) => trainee(n));
  const job = await runJob(poolId, users);
  emulator.resetCallCounts();
  const confirmed = await confirmImport(poolPorts(aws, poolId), request(users, job));
  expect(emulator.callCounts()).toEqual({});
  expect(confirmed.calls).toBe(0);
  expect(names(confirmed.present)).toEqual(users.map((u) => u.username));
  expect(confirmed.present[0].pool).toMatchObject({
    status: "RESET_REQUIRED",
    enabled: true,
    attributes: { email: email(1), email_verified: "true", "custom:tisId": "700001" },
  });
  expect(confirmed.failed).toEqual([]);
});

test("under ListUsers lag, a Failed job's imported users are confirmed from its log, the rejected row is named with Cognito's reason, and the skipped one is read with AdminGetUser", async () => {
  const poolId = await newPool();
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: email(2),
      MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: email(2) }],
    }),
  );
  emulator.faults.setListUsersLag(24 * 3600_000); // ListUsers shows none of this pool's users
  const users = [trainee(1), trainee(2), trainee(3), trainee(4, "X".repeat(25)), trainee(5), trainee(6)];
  const job = await runJob(poolId, users);
  expect(job).toMatchObject({ status: "Failed", imported: 4, skipped: 1, failed: 1 });
  emulator.resetCallCounts();
  const confirmed = await confirmImport(poolPorts(aws, poolId), request(users, job));
  const calls = emulator.callCounts();
  expect(calls.ListUsers).toBeUndefined();
  expect(calls.AdminGetUser).toBe(1);
  expect(names(confirmed.present)).toEqual([1, 2, 3, 5, 6].map(email));
  expect(confirmed.present.find((p) => p.user.username === email(2))?.pool.status).toBe("FORCE_CHANGE_PASSWORD");
  expect(confirmed.failed).toEqual([{ user: users[3], reason: await logLine(poolId, job, 4) }]);
  expect(confirmed.failed[0].reason.length).toBeGreaterThan(0);
});

test("a job that fails midway: rows it never reached are failed without reads, because its counters account for every user it imported", async () => {
  const poolId = await newPool();
  emulator.faults.failJobAfterRows(3);
  const users = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => trainee(n));
  const job = await runJob(poolId, users);
  expect(job).toMatchObject({ status: "Failed", imported: 3 });
  emulator.resetCallCounts();
  const confirmed = await confirmImport(poolPorts(aws, poolId), request(users, job));
  expect(emulator.callCounts().AdminGetUser).toBeUndefined();
  expect(emulator.callCounts().ListUsers).toBeUndefined();
  expect(names(confirmed.present)).toEqual([1, 2, 3].map(email));
  expect(names(confirmed.failed)).toEqual([4, 5, 6, 7, 8].map(email));
  expect(confirmed.failed[0].reason).toMatch(new RegExp(`job ${job.jobId} ended Failed after processing 3 of 8 rows`));
});

test("log lines not ingested within the wait leave rows in doubt: they are settled by AdminGetUser, never ListUsers", async () => {
  const poolId = await newPool();
  emulator.faults.setListUsersLag(24 * 3600_000);
  emulator.faults.setLogIngestionDelay(3600_000);
  const users = [trainee(1), trainee(2), trainee(3, "X".repeat(25)), trainee(4), trainee(5)];
  const job = await runJob(poolId, users);
  emulator.resetCallCounts();
  const progress: string[] = [];
  const confirmed = await confirmImport(
    poolPorts(aws, poolId),
    request(users, job, { logWait: { ingestionWaitMs: 30_000 }, progress: (m) => progress.push(m) }),
  );
  const calls = emulator.callCounts();
  expect(calls.ListUsers).toBeUndefined();
  expect(calls.AdminGetUser).toBe(5);
  expect(calls.GetLogEvents).toBeLessThanOrEqual(8);
  expect(names(confirmed.present)).toEqual([1, 2, 4, 5].map(email));
  expect(names(confirmed.failed)).toEqual([email(3)]);
  expect(confirmed.failed[0].reason).toMatch(/not in the pool after job .* ended Failed/);
  expect(progress.some((m) => /no readable log line after waiting 30 s/.test(m))).toBe(true);
});

test("a row in doubt whose user an EARLIER job created (RESET_REQUIRED too) is not taken as created by this job: the creation time decides", async () => {
  const poolId = await newPool();
  await runJob(poolId, [trainee(1), trainee(2)]); // an earlier apply's job: its trainees await their first password
  now.ms += 60_000;
  emulator.faults.setLogIngestionDelay(3600_000); // this job's log is never read: every row is in doubt
  const users = [trainee(1), trainee(2), trainee(3)];
  const job = await runJob(poolId, users);
  expect(job).toMatchObject({ imported: 1, skipped: 2 });
  const confirmed = await confirmImport(poolPorts(aws, poolId), request(users, job, { logWait: { ingestionWaitMs: 1_000 } }));
  const byThisJob = Object.fromEntries(confirmed.present.map((p) => [p.user.username, p.byThisJob]));
  expect(byThisJob).toEqual({ [email(1)]: false, [email(2)]: false, [email(3)]: true });
  expect(confirmed.present.map((p) => p.pool.status)).toEqual(["RESET_REQUIRED", "RESET_REQUIRED", "RESET_REQUIRED"]);
});

test("log lines ingested after a delay are waited for on the clock, then the log decides (no point reads)", async () => {
  const poolId = await newPool();
  emulator.faults.setLogIngestionDelay(5_000);
  const users = [trainee(1), trainee(2, "X".repeat(25)), trainee(3)];
  const job = await runJob(poolId, users);
  emulator.resetCallCounts();
  const before = now.ms;
  const confirmed = await confirmImport(poolPorts(aws, poolId), request(users, job));
  expect(now.ms - before).toBeGreaterThanOrEqual(5_000);
  expect(emulator.callCounts().AdminGetUser).toBeUndefined();
  expect(names(confirmed.present)).toEqual([1, 3].map(email));
  emulator.faults.setLogIngestionDelay(0);
  expect(confirmed.failed).toEqual([{ user: users[1], reason: await logLine(poolId, job, 2) }]);
});

test("many rows in doubt (past the 120 that once chose a scan): one AdminGetUser per row in doubt, the same count however large the pool", async () => {
  // The bound (engine/confirm-import.ts): AdminGetUser ≤ rows in doubt + rows SKIPPED in the log; no DescribeUserPool,
  // no ListUsers. Measured twice: in a pool holding only the job's users, then with 1,000 more users in it.
  const poolId = await newPool();
  emulator.faults.setLogIngestionDelay(3600_000); // no log line is ever readable: all 150 rows are in doubt
  const users = Array.from({ length: 150 }, (_, i) => trainee(i + 1, i === 149 ? "X".repeat(25) : undefined));
  const job = await runJob(poolId, users);
  const confirmCounted = async () => {
    emulator.resetCallCounts();
    const confirmed = await confirmImport(poolPorts(aws, poolId), request(users, job, { logWait: { ingestionWaitMs: 5_000 } }));
    const { GetLogEvents: _log, ...calls } = emulator.callCounts();
    return { confirmed, calls };
  };
  const small = await confirmCounted();
  expect(small.calls).toEqual({ AdminGetUser: 150 });
  expect(small.confirmed.present).toHaveLength(149);
  expect(names(small.confirmed.failed)).toEqual([email(150)]);
  expect(small.confirmed.decidedBy).toEqual({ counters: 0, log: 0, reads: 150 });

  emulator.faults.setLogIngestionDelay(0);
  await runJob(
    poolId,
    Array.from({ length: 1_000 }, (_, i) => trainee(1_000 + i)),
  );
  emulator.faults.setLogIngestionDelay(3600_000);
  const large = await confirmCounted();
  expect(large.calls).toEqual({ AdminGetUser: 150 });
  expect(names(large.confirmed.present)).toEqual(names(small.confirmed.present));
  expect(names(large.confirmed.failed)).toEqual([email(150)]);
});

test("partial and empty log pages mid-stream: every row is still decided from the log", async () => {
  const poolId = await newPool();
  const users = Array.from({ length: 30 }, (_, i) => trainee(i + 1, i === 29 ? "X".repeat(25) : undefined));
  const job = await runJob(poolId, users);
  emulator.faults.partialLogPages(0);
  emulator.resetCallCounts();
  const confirmed = await confirmImport(poolPorts(aws, poolId), request(users, job));
  expect(emulator.callCounts().AdminGetUser).toBeUndefined();
  expect(confirmed.present).toHaveLength(29);
  expect(names(confirmed.failed)).toEqual([email(30)]);
  expect(confirmed.decidedBy).toEqual({ counters: 0, log: 30, reads: 0 });
});
