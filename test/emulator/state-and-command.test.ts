/** The state file (atomic saves, restart with nothing lost, a half-finished job resumes) and `cognito-roster emulator`. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserImportJobCommand,
  CreateUserPoolClientCommand,
  DescribeUserImportJobCommand,
  DescribeUserPoolCommand,
  GetCSVHeaderCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  StartUserImportJobCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { runEmulatorCommand } from "../../emulator/command";
import {
  ROLE_ARN,
  createTestPool,
  credentials,
  csvOf,
  errorOf,
  logLines,
  runImport,
  startHarness,
  stopHarness,
  testProfile,
  upload,
  userValues,
  waitForJob,
  type Harness,
} from "./helpers";

const POOL = testProfile().userPoolId;
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-state-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("state file", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await stopHarness(h);
    h = undefined;
  });

  test("saved atomically as it changes and at stop; a restarted emulator has lost nothing", async () => {
    const stateFile = path.join(dir, "state.ndjson");
    h = await startHarness({ stateFile });
    await h.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: POOL,
        Username: "kept@example.com",
        UserAttributes: [{ Name: "email", Value: "kept@example.com" }],
      }),
    );
    const { job } = await runImport(h, await csvOf(h, [userValues(1), userValues(2)]));
    expect(fs.existsSync(stateFile)).toBe(true);
    expect(fs.existsSync(`${stateFile}.tmp`)).toBe(false);
    await stopHarness(h);
    h = await startHarness({ stateFile }, []);
    const users = await h.cognito.send(new ListUsersCommand({ UserPoolId: POOL }));
    expect(users.Users?.map((u) => u.Username).sort()).toEqual(["kept@example.com", "user1@example.nhs.uk", "user2@example.nhs.uk"]);
    const again = await h.cognito.send(new DescribeUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId }));
    expect(again.UserImportJob).toMatchObject({ Status: "Succeeded", ImportedUsers: 2 });
    expect((await h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "user1@example.nhs.uk" }))).UserStatus).toBe(
      "RESET_REQUIRED",
    );
  });

  test("pools (with their tags and MFA factors), app clients and passwords survive a restart", async () => {
    const stateFile = path.join(dir, "state.ndjson");
    h = await startHarness({ stateFile });
    const clientId = (
      await h.cognito.send(
        new CreateUserPoolClientCommand({ UserPoolId: POOL, ClientName: "web", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] }),
      )
    ).UserPoolClient?.ClientId;
    await h.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: POOL,
        Username: "temp@example.com",
        TemporaryPassword: "Temp-Passw0rd!",
        UserAttributes: [{ Name: "email", Value: "temp@example.com" }],
      }),
    );
    await stopHarness(h);
    h = await startHarness({ stateFile }, []);
    const pool = (await h.cognito.send(new DescribeUserPoolCommand({ UserPoolId: POOL }))).UserPool;
    expect(pool?.UserPoolTags).toEqual({ "cognito-roster-emulator:user-pool-id": POOL });
    expect((await h.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: POOL }))).SoftwareTokenMfaConfiguration?.Enabled).toBe(true);
    const auth = await h.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: clientId,
        AuthParameters: { USERNAME: "temp@example.com", PASSWORD: "Temp-Passw0rd!" },
      }),
    );
    expect(auth.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
  });

  test("a job that was InProgress when the emulator died runs again from its saved upload after restart", async () => {
    const stateFile = path.join(dir, "state.ndjson");
    h = await startHarness({ stateFile, importSpeed: { rowsPerSecond: 10, startDelayMs: 0 } });
    const job = (
      await h.cognito.send(new CreateUserImportJobCommand({ UserPoolId: POOL, JobName: "resume", CloudWatchLogsRoleArn: ROLE_ARN }))
    ).UserImportJob;
    await upload(
      job?.PreSignedUrl as string,
      await csvOf(
        h,
        Array.from({ length: 30 }, (_, i) => userValues(i)),
      ),
    );
    await h.cognito.send(new StartUserImportJobCommand({ UserPoolId: POOL, JobId: job?.JobId }));
    await new Promise((r) => setTimeout(r, 150));
    await stopHarness(h); // stop saves the job as it is, mid-run
    h = await startHarness({ stateFile }, []);
    const done = await waitForJob(h, job?.JobId as string);
    expect(done).toMatchObject({ Status: "Succeeded", ImportedUsers: 30, SkippedUsers: 0 });
  });
});

test("a save taken mid-job is a consistent checkpoint: after a kill the job resumes there, counting every row once", async () => {
  const stateFile = path.join(dir, "state.ndjson");
  let h: Harness | undefined = await startHarness({ stateFile, importSpeed: { rowsPerSecond: 100, startDelayMs: 0 } });
  try {
    const job = (
      await h.cognito.send(new CreateUserImportJobCommand({ UserPoolId: POOL, JobName: "mid", CloudWatchLogsRoleArn: ROLE_ARN }))
    ).UserImportJob;
    await upload(
      job?.PreSignedUrl as string,
      await csvOf(
        h,
        Array.from({ length: 100 }, (_, i) => userValues(i)),
      ),
    );
    await h.cognito.send(new StartUserImportJobCommand({ UserPoolId: POOL, JobId: job?.JobId }));
    await new Promise((r) => setTimeout(r, 250));
    // Any change saves the whole state, mid-job.
    await h.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: POOL,
        Username: "other@example.com",
        UserAttributes: [{ Name: "email", Value: "other@example.com" }],
      }),
    );
    const before = (await h.cognito.send(new DescribeUserImportJobCommand({ UserPoolId: POOL, JobId: job?.JobId }))).UserImportJob;
    expect(before?.ImportedUsers).toBeGreaterThan(0);
    expect(before?.ImportedUsers).toBeLessThan(100);
    await stopHarness(h);
    h = await startHarness({ stateFile }, []);
    const done = await waitForJob(h, job?.JobId as string);
    expect(done).toMatchObject({ Status: "Succeeded", ImportedUsers: 100, SkippedUsers: 0, FailedUsers: 0 });
    const lines = await logLines(h, POOL, job?.JobId as string, "mid");
    expect(lines).toEqual(Array.from({ length: 100 }, (_, i) => `[SUCCEEDED] Line Number ${i + 1} - The import succeeded.`));
  } finally {
    await stopHarness(h);
    h = undefined;
  }
});

describe("cognito-roster emulator command", () => {
  test("prints its endpoint after its onStarted hook (which creates a pool with CreateUserPool), applies --fault, and stops cleanly on SIGTERM with exit code 0", async () => {
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const pool = testProfile({ userPoolId: "eu-west-2_Cmd000001", userPoolName: "command-pool" });
      const running = runEmulatorCommand(["--port", "0", "--fault", "throttle:GetCSVHeader:1", "--state", path.join(dir, "s.ndjson")], {
        onStarted: (e) => createTestPool(e.endpoint, pool),
      });
      let endpoint: string | undefined;
      for (let i = 0; i < 200 && !endpoint; i++) {
        endpoint = out.map((s) => s.trim()).find((s) => s.startsWith("http://127.0.0.1:"));
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(endpoint).toBeDefined();
      const client = new CognitoIdentityProviderClient({ endpoint, region: "eu-west-2", credentials, maxAttempts: 1 });
      const described = await client.send(new DescribeUserPoolCommand({ UserPoolId: pool.userPoolId }));
      expect(described.UserPool).toMatchObject({ Name: "command-pool", MfaConfiguration: "ON" });
      expect((await errorOf(client.send(new GetCSVHeaderCommand({ UserPoolId: pool.userPoolId })))).name).toBe("TooManyRequestsException");
      client.destroy();
      process.emit("SIGTERM");
      expect(await running).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });

  test("rejects unknown options with exit code 2", async () => {
    const spy = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await runEmulatorCommand(["--bogus"])).toBe(2);
      expect(await runEmulatorCommand(["--fault", "nonsense"])).toBe(2);
      expect(await runEmulatorCommand(["--port", "x"])).toBe(2);
      expect(await runEmulatorCommand(["--stack", "dev"])).toBe(2); // the emulator reads no product configuration
      expect(await runEmulatorCommand(["--list-users-lag", "-5"])).toBe(2);
    } finally {
      spy.mockRestore();
    }
  });
});
