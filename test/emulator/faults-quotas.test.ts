/** §5 quotas and every programmable fault, plus call counts. */
import {
  CreateUserImportJobCommand,
  DescribeUserPoolCommand,
  GetCSVHeaderCommand,
  ListUsersCommand,
  StartUserImportJobCommand,
  type UserImportJobType,
} from "@aws-sdk/client-cognito-identity-provider";
import { FaultRegistry } from "../../emulator/faults";
import {
  ROLE_ARN,
  csvOf,
  errorOf,
  rawHeaders,
  runImport,
  startHarness,
  stopHarness,
  testProfile,
  upload,
  userValues,
  type Harness,
} from "./helpers";

const POOL = testProfile().userPoolId;

describe("quotas", () => {
  let h: Harness;
  afterEach(async () => stopHarness(h));

  test('"ListUsers | UserList | 30" — the 31st call in one second → TooManyRequestsException "Rate exceeded"', async () => {
    h = await startHarness({ quotas: "aws" });
    for (let i = 0; i < 30; i++) await h.cognito.send(new ListUsersCommand({ UserPoolId: POOL, Limit: 1 }));
    const e = await errorOf(h.cognito.send(new ListUsersCommand({ UserPoolId: POOL })));
    expect(e).toMatchObject({ name: "TooManyRequestsException", message: "Rate exceeded", status: 400 });
    h.now.ms += 1000;
    await h.cognito.send(new ListUsersCommand({ UserPoolId: POOL, Limit: 1 }));
  });

  test('"DescribeUserPool | UserPoolRead | 15"', async () => {
    h = await startHarness({ quotas: "aws" });
    for (let i = 0; i < 15; i++) await h.cognito.send(new DescribeUserPoolCommand({ UserPoolId: POOL }));
    expect((await errorOf(h.cognito.send(new DescribeUserPoolCommand({ UserPoolId: POOL })))).name).toBe("TooManyRequestsException");
  });

  test('"Any single operation in the UserPoolResource* categories is also capped at 5 requests/s per pool"', async () => {
    h = await startHarness({ quotas: "aws" });
    for (let i = 0; i < 5; i++) await h.cognito.send(new GetCSVHeaderCommand({ UserPoolId: POOL }));
    expect((await errorOf(h.cognito.send(new GetCSVHeaderCommand({ UserPoolId: POOL })))).message).toBe("Rate exceeded");
  });

  test.each([
    ["AdminCreateUser", "UserCreation", 50],
    ["AdminGetUser", "UserRead", 120],
    ["AdminUpdateUserAttributes", "UserUpdate", 25],
    ["AdminDisableUser", "UserUpdate", 25],
    ["AdminEnableUser", "UserUpdate", 25],
    ["AdminDeleteUser", "UserUpdate", 25],
    ["CreateUserImportJob", "UserPoolResourceUpdate (5/s per pool)", 5],
    ["DescribeUserImportJob", "UserPoolResourceRead (5/s per pool)", 5],
  ])('"%s | %s | %i" requests/s', async (op, _category, limit) => {
    h = await startHarness({ quotas: "aws" });
    // A different user each call: the per-user quota (10/s) is tested on its own below.
    let n = 0;
    const call = () =>
      fetch(h.emulator.endpoint, {
        method: "POST",
        headers: rawHeaders(`AWSCognitoIdentityProviderService.${op}`),
        body: JSON.stringify({ UserPoolId: POOL, Username: `nobody${n++}@example.com`, UserAttributes: [], JobId: "import-AAAAAAAAAA" }),
      }).then(async (r) => ((await r.json()) as { __type?: string }).__type);
    for (let i = 0; i < limit; i++) expect(await call()).not.toBe("TooManyRequestsException");
    expect(await call()).toBe("TooManyRequestsException");
  });

  test("UserUpdate operations share one category budget", async () => {
    h = await startHarness({ quotas: "aws" });
    for (let i = 0; i < 25; i++) await errorOf(h.cognito.send(new ListUsersCommand({ UserPoolId: `eu-west-2_None${i % 2}` })));
    h.now.ms += 1000;
    let n = 0;
    const call = (op: string) =>
      fetch(h.emulator.endpoint, {
        method: "POST",
        headers: rawHeaders(`AWSCognitoIdentityProviderService.${op}`),
        body: JSON.stringify({ UserPoolId: POOL, Username: `nobody${n++}@example.com` }),
      }).then(async (r) => ((await r.json()) as { __type?: string }).__type);
    for (let i = 0; i < 25; i++) await call(i % 2 ? "AdminDisableUser" : "AdminEnableUser");
    expect(await call("AdminDeleteUser")).toBe("TooManyRequestsException");
  });

  test("quotas are off by default", async () => {
    h = await startHarness();
    const statuses: (number | undefined)[] = [];
    for (let i = 0; i < 40; i++)
      statuses.push((await h.cognito.send(new ListUsersCommand({ UserPoolId: POOL, Limit: 1 }))).$metadata.httpStatusCode);
    expect(statuses).toEqual(Array(40).fill(200));
  });

  test("call counts per operation, since start or last reset", async () => {
    h = await startHarness();
    await h.cognito.send(new ListUsersCommand({ UserPoolId: POOL }));
    await h.cognito.send(new ListUsersCommand({ UserPoolId: POOL }));
    await h.cognito.send(new GetCSVHeaderCommand({ UserPoolId: POOL }));
    expect(h.emulator.callCounts()).toMatchObject({ ListUsers: 2, GetCSVHeader: 1 });
    h.emulator.resetCallCounts();
    expect(h.emulator.callCounts()).toEqual({});
  });
});

describe("faults", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => stopHarness(h));

  test("throttle the next K calls of an operation", async () => {
    h.emulator.faults.throttle("ListUsers", 2);
    expect((await errorOf(h.cognito.send(new ListUsersCommand({ UserPoolId: POOL })))).name).toBe("TooManyRequestsException");
    expect((await errorOf(h.cognito.send(new ListUsersCommand({ UserPoolId: POOL })))).name).toBe("TooManyRequestsException");
    await h.cognito.send(new ListUsersCommand({ UserPoolId: POOL }));
    await h.cognito.send(new GetCSVHeaderCommand({ UserPoolId: POOL }));
  });

  test("500 InternalErrorException for the next K calls", async () => {
    h.emulator.faults.internalError("DescribeUserPool", 1);
    const e = await errorOf(h.cognito.send(new DescribeUserPoolCommand({ UserPoolId: POOL })));
    expect(e).toMatchObject({ name: "InternalErrorException", status: 500 });
    await h.cognito.send(new DescribeUserPoolCommand({ UserPoolId: POOL }));
  });

  test("drop the connection for the next K calls", async () => {
    h.emulator.faults.dropConnection("GetCSVHeader", 1);
    const e = await errorOf(h.cognito.send(new GetCSVHeaderCommand({ UserPoolId: POOL })));
    expect(e.name).not.toBe("GetCSVHeader");
    await h.cognito.send(new GetCSVHeaderCommand({ UserPoolId: POOL }));
  });

  test("'*' applies to any operation", async () => {
    h.emulator.faults.apply("error:*:1");
    expect((await errorOf(h.cognito.send(new GetCSVHeaderCommand({ UserPoolId: POOL })))).name).toBe("InternalErrorException");
  });

  async function created(): Promise<UserImportJobType> {
    return (await h.cognito.send(new CreateUserImportJobCommand({ UserPoolId: POOL, JobName: "f", CloudWatchLogsRoleArn: ROLE_ARN })))
      .UserImportJob as UserImportJobType;
  }

  test("fail an upload (500 S3 InternalError); the next upload succeeds", async () => {
    h.emulator.faults.failUpload(1);
    const job = await created();
    const csv = await csvOf(h, [userValues(1)]);
    const res = await upload(job.PreSignedUrl as string, csv);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("<Code>InternalError</Code>");
    expect((await upload(job.PreSignedUrl as string, csv)).status).toBe(200);
  });

  test("stall an upload: no response until the client gives up", async () => {
    h.emulator.faults.stallUpload(1);
    const job = await created();
    const put = () =>
      fetch(job.PreSignedUrl as string, {
        method: "PUT",
        headers: { "x-amz-server-side-encryption": "aws:kms" },
        body: "x",
        signal: AbortSignal.timeout(300),
      }).then(
        (r) => `status ${r.status}`,
        () => "timed out",
      );
    expect(await put()).toBe("timed out");
    const outcome = await put();
    expect(outcome).toBe("status 200");
  }, 10000);

  test("end a job Failed after N rows", async () => {
    h.emulator.faults.failJobAfterRows(2);
    const { job, lines } = await runImport(h, await csvOf(h, [userValues(1), userValues(2), userValues(3), userValues(4)]));
    expect(job).toMatchObject({ Status: "Failed", ImportedUsers: 2 });
    expect(lines).toHaveLength(2);
  });

  test("pretend another job is already active in the account (until cleared)", async () => {
    h.emulator.faults.setOtherJobActive(true);
    const job = await created();
    await upload(job.PreSignedUrl as string, await csvOf(h, [userValues(1)]));
    expect((await errorOf(h.cognito.send(new StartUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId })))).name).toBe(
      "LimitExceededException",
    );
    h.emulator.faults.setOtherJobActive(false);
    expect((await h.cognito.send(new StartUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId }))).UserImportJob?.Status).toBe(
      "Pending",
    );
  });

  test("make the logs role un-assumable (any role)", async () => {
    h.emulator.faults.setLogsRoleUnassumable(true);
    const { job } = await runImport(h, await csvOf(h, [userValues(1)]));
    expect(job).toMatchObject({ Status: "Failed", ImportedUsers: 0 });
  });

  test("clear() removes every fault", async () => {
    h.emulator.faults.throttle("ListUsers", 0);
    h.emulator.faults.clear();
    const answer = await h.cognito.send(new ListUsersCommand({ UserPoolId: POOL }));
    expect(answer.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1 });
  });
});

describe("--fault SPEC syntax", () => {
  test.each([
    "throttle:ListUsers:3",
    "error:*",
    "drop:StartUserImportJob:1",
    "upload-fail",
    "upload-stall:2",
    "job-fail-after:10",
    "active-job",
    "logs-role-unassumable",
    "logs-role-unassumable:arn:aws:iam::000000000000:role/x",
  ])("accepts %s", (spec) => {
    expect(() => new FaultRegistry().apply(spec)).not.toThrow();
  });
  test.each(["throttle", "bogus:1", "throttle:ListUsers:x", "job-fail-after"])("rejects %s", (spec) => {
    expect(() => new FaultRegistry().apply(spec)).toThrow();
  });
});
