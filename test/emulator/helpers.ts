/**
 * Shared set-up for the emulator conformance suite: an in-process emulator, real SDK v3 clients pointed at it,
 * test pools created with CreateUserPool (through the SDK, with the emulator's fixed-id tag), and a helper that
 * runs a whole import job (create → PUT → start → poll). Like the emulator, it uses nothing of the product.
 */
import {
  CognitoIdentityProviderClient,
  CreateUserImportJobCommand,
  CreateUserPoolCommand,
  DescribeUserImportJobCommand,
  GetCSVHeaderCommand,
  SetUserPoolMfaConfigCommand,
  StartUserImportJobCommand,
  type CreateUserPoolCommandInput,
  type SchemaAttributeType,
  type UserImportJobType,
} from "@aws-sdk/client-cognito-identity-provider";
import { CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import { POOL_ID_TAG } from "../../emulator/user-pools";

/** What a test pool is made of (the suite's own description, turned into CreateUserPool by `createTestPool`). */
export interface TestPool {
  region: string;
  userPoolId: string;
  userPoolName: string;
  autoVerifiedAttributes: ("email" | "phone_number")[];
  mfaConfiguration: "ON" | "OFF" | "OPTIONAL";
  requiredAttributes: string[];
  customAttributes: Record<
    string,
    { type: "String" | "Number"; minLength?: number; maxLength?: number; minValue?: number; maxValue?: number }
  >;
  usernameCaseSensitive: boolean;
  aliasAttributes?: ("email" | "phone_number" | "preferred_username")[];
  usernameAttributes?: ("email" | "phone_number")[];
  verifyBeforeUpdate?: ("email" | "phone_number")[];
}

export const ROLE_ARN = "arn:aws:iam::000000000000:role/CognitoImportLogs";
export const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

export function testProfile(overrides: Partial<TestPool> = {}): TestPool {
  return {
    region: "eu-west-2",
    userPoolId: "eu-west-2_Test00001",
    userPoolName: "trainee-pool",
    autoVerifiedAttributes: ["email"],
    mfaConfiguration: "ON",
    requiredAttributes: ["email"],
    customAttributes: { tisId: { type: "String", minLength: 1, maxLength: 20 }, grade: { type: "Number", minValue: 1, maxValue: 10 } },
    usernameCaseSensitive: false,
    ...overrides,
  };
}

/** CreateUserPool for a test pool: schema, auto-verified attributes, case sensitivity, the fixed id as a tag. */
function createUserPoolInput(pool: TestPool): CreateUserPoolCommandInput {
  const schema: SchemaAttributeType[] = pool.requiredAttributes.map((Name) => ({ Name, Required: true, Mutable: true }));
  for (const [Name, c] of Object.entries(pool.customAttributes)) {
    const text = (n: number | undefined) => (n === undefined ? undefined : String(n));
    schema.push(
      c.type === "String"
        ? { Name, AttributeDataType: "String", StringAttributeConstraints: { MinLength: text(c.minLength), MaxLength: text(c.maxLength) } }
        : { Name, AttributeDataType: "Number", NumberAttributeConstraints: { MinValue: text(c.minValue), MaxValue: text(c.maxValue) } },
    );
  }
  return {
    PoolName: pool.userPoolName,
    AutoVerifiedAttributes: pool.autoVerifiedAttributes,
    UsernameConfiguration: { CaseSensitive: pool.usernameCaseSensitive },
    ...(schema.length ? { Schema: schema } : {}),
    ...(pool.aliasAttributes ? { AliasAttributes: pool.aliasAttributes } : {}),
    ...(pool.usernameAttributes ? { UsernameAttributes: pool.usernameAttributes } : {}),
    ...(pool.verifyBeforeUpdate
      ? { UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: pool.verifyBeforeUpdate } }
      : {}),
    UserPoolTags: { [POOL_ID_TAG]: pool.userPoolId },
  };
}

/** Creates a test pool in the emulator as any client would: CreateUserPool, then SetUserPoolMfaConfig for MFA. */
export async function createTestPool(endpoint: string, pool: TestPool): Promise<void> {
  const client = new CognitoIdentityProviderClient({ endpoint, region: pool.region, credentials, maxAttempts: 1 });
  try {
    await client.send(new CreateUserPoolCommand(createUserPoolInput(pool)));
    if (pool.mfaConfiguration !== "OFF") {
      await client.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: pool.userPoolId,
          SoftwareTokenMfaConfiguration: { Enabled: true },
          MfaConfiguration: pool.mfaConfiguration,
        }),
      );
    }
  } finally {
    client.destroy();
  }
}

export interface Harness {
  emulator: RunningEmulator;
  cognito: CognitoIdentityProviderClient;
  logs: CloudWatchLogsClient;
  now: { ms: number };
}

/** Starts an emulator with an injectable clock (advance `now.ms`), and clients without retries. */
export async function startHarness(options: EmulatorOptions = {}, pools: TestPool[] = [testProfile()]): Promise<Harness> {
  const now = { ms: Date.UTC(2026, 0, 15, 9, 0, 0) };
  const emulator = await startEmulator({ clock: () => now.ms, ...options });
  for (const p of pools) await createTestPool(emulator.endpoint, p);
  const cognito = new CognitoIdentityProviderClient({ endpoint: emulator.endpoint, region: "eu-west-2", credentials, maxAttempts: 1 });
  const logs = new CloudWatchLogsClient({ endpoint: emulator.endpoint, region: "eu-west-2", credentials, maxAttempts: 1 });
  return { emulator, cognito, logs, now };
}

export async function stopHarness(h: Harness | undefined): Promise<void> {
  if (!h) return;
  h.cognito.destroy();
  h.logs.destroy();
  await h.emulator.stop();
}

export async function header(h: Harness, poolId = testProfile().userPoolId): Promise<string[]> {
  return (await h.cognito.send(new GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader ?? [];
}

/** One CSV line in the pool's header order from a map of column → raw value. */
export function row(cols: string[], values: Record<string, string>): string {
  return cols.map((c) => values[c] ?? "").join(",");
}

/** A valid user row for the test profile; `i` picks the synthetic email and phone. */
export function userValues(i: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "cognito:username": `user${i}@example.nhs.uk`,
    email: `user${i}@example.nhs.uk`,
    email_verified: "TRUE",
    "cognito:mfa_enabled": "TRUE",
    given_name: "Test",
    phone_number: `+447700900${String(i % 1000).padStart(3, "0")}`,
    ...extra,
  };
}

export async function upload(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = { "x-amz-server-side-encryption": "aws:kms" },
): Promise<Response> {
  return fetch(url, { method: "PUT", headers, body });
}

const TERMINAL = ["Succeeded", "Failed", "Stopped", "Expired"];

export async function waitForJob(h: Harness, jobId: string, poolId = testProfile().userPoolId): Promise<UserImportJobType> {
  for (let i = 0; i < 2000; i++) {
    const job = (await h.cognito.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: jobId })))
      .UserImportJob as UserImportJobType;
    if (TERMINAL.includes(job.Status ?? "")) return job;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`job ${jobId} did not finish`);
}

/** Runs a whole import of `csv` and returns the final job and its log lines. */
export async function runImport(
  h: Harness,
  csv: string | Buffer,
  poolId = testProfile().userPoolId,
  jobName = "test-job",
): Promise<{ job: UserImportJobType; lines: string[] }> {
  const created = (
    await h.cognito.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: jobName, CloudWatchLogsRoleArn: ROLE_ARN }))
  ).UserImportJob as UserImportJobType;
  const put = await upload(created.PreSignedUrl as string, csv);
  if (put.status !== 200) throw new Error(`upload failed: ${put.status} ${await put.text()}`);
  await h.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: created.JobId }));
  const job = await waitForJob(h, created.JobId as string, poolId);
  return { job, lines: await logLines(h, poolId, created.JobId as string, jobName) };
}

export async function logLines(
  h: Harness,
  poolId: string,
  jobId: string,
  jobName: string,
  poolName = testProfile().userPoolName,
): Promise<string[]> {
  try {
    const out = await h.logs.send(
      new GetLogEventsCommand({
        logGroupName: `/aws/cognito/userpools/${poolId}/${poolName}`,
        logStreamName: `${jobId}/${jobName}`,
        startFromHead: true,
      }),
    );
    return (out.events ?? []).map((e) => e.message ?? "");
  } catch {
    return [];
  }
}

export async function csvOf(h: Harness, rows: Record<string, string>[], poolId?: string): Promise<string> {
  const cols = await header(h, poolId);
  return `${[cols.join(","), ...rows.map((r) => row(cols, r))].join("\n")}\n`;
}

/** The SDK error a call fails with: its name, message and HTTP status. Fails the test if the call succeeds. */
export async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error("expected an error");
}

/**
 * Headers for a hand-made (unsigned) AWS JSON 1.1 request that still names its Region the way SigV4 does, in the
 * credential scope: the emulator accepts any signature but scopes everything by that Region.
 */
export function rawHeaders(target: string, region = "eu-west-2"): Record<string, string> {
  return {
    "Content-Type": "application/x-amz-json-1.1",
    "X-Amz-Target": target,
    Authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/${region}/cognito-idp/aws4_request, SignedHeaders=host, Signature=0`,
  };
}
