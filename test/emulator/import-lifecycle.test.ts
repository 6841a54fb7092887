/** §2 of the reference: the import job lifecycle, uploads, statuses, messages, logs and concurrency. */
import {
  AddCustomAttributesCommand,
  AdminGetUserCommand,
  CreateUserPoolCommand,
  GetCSVHeaderCommand,
  UpdateUserPoolCommand,
  CreateUserImportJobCommand,
  DeleteUserPoolCommand,
  DescribeUserImportJobCommand,
  ListUsersCommand,
  StartUserImportJobCommand,
  StopUserImportJobCommand,
  type UserImportJobType,
} from "@aws-sdk/client-cognito-identity-provider";
import { DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  ROLE_ARN,
  csvOf,
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

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error("expected an error");
}

async function createJob(h: Harness, name = "job", poolId = POOL): Promise<UserImportJobType> {
  return (await h.cognito.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: name, CloudWatchLogsRoleArn: ROLE_ARN })))
    .UserImportJob as UserImportJobType;
}

describe("import job lifecycle", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => stopHarness(h));

  test('"CreateUserImportJob — returns Status: "Created" and a PreSignedUrl"', async () => {
    const job = await createJob(h);
    expect(job).toMatchObject({
      Status: "Created",
      ImportedUsers: 0,
      SkippedUsers: 0,
      FailedUsers: 0,
      UserPoolId: POOL,
      JobName: "job",
      CloudWatchLogsRoleArn: ROLE_ARN,
    });
    expect(job.PreSignedUrl).toContain("X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption");
    expect(job.PreSignedUrl).toContain("X-Amz-Expires=900");
    expect(job.StartDate).toBeUndefined();
  });

  test('"HTTP PUT of the CSV bytes to the pre-signed URL with header x-amz-server-side-encryption: aws:kms"', async () => {
    const job = await createJob(h);
    const res = await upload(job.PreSignedUrl as string, await csvOf(h, [userValues(1)]));
    expect(res.status).toBe(200);
  });

  test('"without it the upload fails with 403 SignatureDoesNotMatch"', async () => {
    const job = await createJob(h);
    const res = await upload(job.PreSignedUrl as string, "x", {});
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
  });

  test('"Content-Type is not signed" — any Content-Type is accepted', async () => {
    const job = await createJob(h);
    const res = await upload(job.PreSignedUrl as string, "x", { "x-amz-server-side-encryption": "aws:kms", "Content-Type": "text/csv" });
    expect(res.status).toBe(200);
  });

  test("the method is signed: a GET or POST to the pre-signed URL → 403 SignatureDoesNotMatch", async () => {
    const job = await createJob(h);
    for (const method of ["GET", "POST"]) {
      const res = await fetch(job.PreSignedUrl as string, {
        method,
        headers: { "x-amz-server-side-encryption": "aws:kms" },
        body: method === "GET" ? undefined : "x",
      });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
    }
  });

  test("a tampered signature → 403 SignatureDoesNotMatch", async () => {
    const job = await createJob(h);
    const url = (job.PreSignedUrl as string).replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_m, c: string) => `X-Amz-Signature=${c === "0" ? "1" : "0"}`,
    );
    const res = await upload(url, "x");
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("SignatureDoesNotMatch");
  });

  test('"a PreSignedUrl, valid 15 minutes; after that a new job is needed"', async () => {
    const job = await createJob(h);
    h.now.ms += 15 * 60 * 1000 - 1;
    expect((await upload(job.PreSignedUrl as string, "x")).status).toBe(200);
    const job2 = await createJob(h, "late");
    h.now.ms += 15 * 60 * 1000 + 1;
    const res = await upload(job2.PreSignedUrl as string, "x");
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toContain("<Code>AccessDenied</Code>");
    expect(body).toContain("<Message>Request has expired</Message>");
  });

  test("a file over 100 MB → 400 EntityTooLarge (declared length refused without reading the body)", async () => {
    const job = await createJob(h);
    const url = new URL(job.PreSignedUrl as string);
    const http = await import("node:http");
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: "PUT",
          headers: { "x-amz-server-side-encryption": "aws:kms", "Content-Length": String(100 * 1024 * 1024 + 1) },
        },
        (res) => {
          let body = "";
          res.on("data", (c: Buffer) => (body += c.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
      req.write("a".repeat(1024));
    });
    expect(status.status).toBe(400);
    expect(status.body).toContain("<Code>EntityTooLarge</Code>");
  });

  test("a streamed (chunked) body over 100 MB is cut off with EntityTooLarge", async () => {
    const job = await createJob(h);
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 101) controller.close();
        else {
          sent++;
          controller.enqueue(chunk);
        }
      },
    });
    const res = await fetch(
      job.PreSignedUrl as string,
      { method: "PUT", headers: { "x-amz-server-side-encryption": "aws:kms" }, body: stream, duplex: "half" } as RequestInit,
    ).catch(() => undefined);
    if (res) {
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("EntityTooLarge");
    }
    const described = await h.cognito.send(new DescribeUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId }));
    expect(described.UserImportJob?.Status).toBe("Created");
    const e = await errorOf(h.cognito.send(new StartUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId })));
    expect(e.name).toBe("PreconditionNotMetException");
  });

  test('"Starting before the upload is visible gives PreconditionNotMetException: No csv file was uploaded for import-…"', async () => {
    const job = await createJob(h);
    const e = await errorOf(h.cognito.send(new StartUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId })));
    expect(e).toEqual({ name: "PreconditionNotMetException", message: `No csv file was uploaded for ${job.JobId}` });
  });

  test('"StartUserImportJob → Status: "Pending" + StartDate", then InProgress, then Succeeded with "Import Job Completed Successfully."', async () => {
    const job = await createJob(h);
    await upload(job.PreSignedUrl as string, await csvOf(h, [userValues(1), userValues(2)]));
    const started = await h.cognito.send(new StartUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId }));
    expect(started.UserImportJob?.Status).toBe("Pending");
    expect(started.UserImportJob?.StartDate?.getTime()).toBe(h.now.ms);
    const done = await waitForJob(h, job.JobId as string);
    expect(done).toMatchObject({
      Status: "Succeeded",
      ImportedUsers: 2,
      SkippedUsers: 0,
      FailedUsers: 0,
      CompletionMessage: "Import Job Completed Successfully.",
    });
    expect(done.CompletionDate).toBeInstanceOf(Date);
  });

  test("InProgress is observable with a slow import speed", async () => {
    await stopHarness(h);
    h = await startHarness({ importSpeed: { rowsPerSecond: 20, startDelayMs: 50 } });
    const job = await createJob(h);
    await upload(
      job.PreSignedUrl as string,
      await csvOf(
        h,
        Array.from({ length: 20 }, (_, i) => userValues(i)),
      ),
    );
    await h.cognito.send(new StartUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId }));
    let seen = "";
    for (let i = 0; i < 100 && seen !== "InProgress"; i++) {
      seen = (await h.cognito.send(new DescribeUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId }))).UserImportJob?.Status ?? "";
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen).toBe("InProgress");
  });

  test('"A stopped job cannot be restarted" and stop gives "The Import Job was stopped by the developer." (Stopping → Stopped)', async () => {
    await stopHarness(h);
    h = await startHarness({ importSpeed: { rowsPerSecond: 10, startDelayMs: 0 } });
    const job = await createJob(h);
    await upload(
      job.PreSignedUrl as string,
      await csvOf(
        h,
        Array.from({ length: 50 }, (_, i) => userValues(i)),
      ),
    );
    await h.cognito.send(new StartUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId }));
    await new Promise((r) => setTimeout(r, 30));
    const stopping = await h.cognito.send(new StopUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId }));
    expect(stopping.UserImportJob?.Status).toBe("Stopping");
    const done = await waitForJob(h, job.JobId as string);
    expect(done).toMatchObject({ Status: "Stopped", CompletionMessage: "The Import Job was stopped by the developer." });
    expect(done.ImportedUsers).toBeLessThan(50);
    const e = await errorOf(h.cognito.send(new StartUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId })));
    expect(e.name).toBe("PreconditionNotMetException");
  });

  test('"Expired: created but not started within 24–48 hours; the job can no longer be started" — "The user import job has expired."', async () => {
    const job = await createJob(h);
    h.now.ms += 24 * 60 * 60 * 1000;
    const d = await h.cognito.send(new DescribeUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId }));
    expect(d.UserImportJob).toMatchObject({ Status: "Expired", CompletionMessage: "The user import job has expired." });
    const e = await errorOf(h.cognito.send(new StartUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId })));
    expect(e.name).toBe("PreconditionNotMetException");
  });

  test("the expiry time is configurable (jobExpiryMs)", async () => {
    await stopHarness(h);
    h = await startHarness({ jobExpiryMs: 60_000 });
    const job = await createJob(h);
    h.now.ms += 60_000;
    expect((await h.cognito.send(new DescribeUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId }))).UserImportJob?.Status).toBe(
      "Expired",
    );
  });

  test('"Too many users have failed or been skipped during the import." — "A job can therefore end Failed while having imported some users"', async () => {
    const { job } = await runImport(h, await csvOf(h, [userValues(1), userValues(2, { email_verified: "FALSE" })]));
    expect(job).toMatchObject({
      Status: "Failed",
      ImportedUsers: 1,
      FailedUsers: 1,
      CompletionMessage: "Too many users have failed or been skipped during the import.",
    });
    expect((await h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "user1@example.nhs.uk" }))).UserStatus).toBe(
      "RESET_REQUIRED",
    );
  });

  test("the failure threshold is configurable (failureThreshold)", async () => {
    await stopHarness(h);
    h = await startHarness({ failureThreshold: 1 });
    const { job } = await runImport(h, await csvOf(h, [userValues(1), userValues(2, { email_verified: "FALSE" })]));
    expect(job).toMatchObject({ Status: "Succeeded", ImportedUsers: 1, FailedUsers: 1 });
  });

  test('"group /aws/cognito/userpools/USER_POOL_ID/USER_POOL_NAME, stream JOB_ID/JOB_NAME. One line per CSV row"', async () => {
    const { job, lines } = await runImport(h, await csvOf(h, [userValues(1), userValues(2), userValues(3)]), POOL, "intake-1");
    expect(lines).toHaveLength(3);
    const streams = await h.logs.send(new DescribeLogStreamsCommand({ logGroupName: `/aws/cognito/userpools/${POOL}/trainee-pool` }));
    expect(streams.logStreams?.map((s) => s.logStreamName)).toContain(`${job.JobId}/intake-1`);
  });

  test('"[SUCCEEDED] Line Number 5956 - The import succeeded." (first data row is line 1)', async () => {
    const { lines } = await runImport(h, await csvOf(h, [userValues(1), userValues(2)]));
    expect(lines).toEqual(["[SUCCEEDED] Line Number 1 - The import succeeded.", "[SUCCEEDED] Line Number 2 - The import succeeded."]);
  });

  test('"[SKIPPED] Line Number 5956 - The user already exists." and "Users duplicated within one file: the first imports, the second is skipped"', async () => {
    await runImport(h, await csvOf(h, [userValues(1)]), POOL, "first");
    const { job, lines } = await runImport(h, await csvOf(h, [userValues(1), userValues(2), userValues(2)]), POOL, "second");
    expect(lines).toEqual([
      "[SKIPPED] Line Number 1 - The user already exists.",
      "[SUCCEEDED] Line Number 2 - The import succeeded.",
      "[SKIPPED] Line Number 3 - The user already exists.",
    ]);
    expect(job).toMatchObject({ ImportedUsers: 1, SkippedUsers: 2, Status: "Failed" });
  });

  test('"[FAILED] Line Number 5956 - The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true)."', async () => {
    const { lines } = await runImport(h, await csvOf(h, [userValues(1, { email_verified: "false" })]));
    expect(lines).toEqual([
      "[FAILED] Line Number 1 - The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).",
    ]);
  });

  test('"no user data is logged"', async () => {
    const { lines } = await runImport(
      h,
      await csvOf(h, [
        userValues(1),
        userValues(2, { phone_number: "07700900123" }),
        userValues(3, { "custom:tisId": "x".repeat(30) }),
        userValues(4, { birthdate: "31/12/1990" }),
        userValues(1),
      ]),
    );
    for (const line of lines) {
      expect(line).not.toMatch(/example\.nhs\.uk|07700900123|xxxxx|31\/12/);
      expect(line).toMatch(/^\[(SUCCEEDED|SKIPPED|FAILED)\] Line Number \d+ - /);
    }
  });

  test("FilterLogEvents finds the lines of a job by term", async () => {
    const { job } = await runImport(h, await csvOf(h, [userValues(1), userValues(2, { email_verified: "false" })]), POOL, "filter-job");
    const out = await h.logs.send(
      new FilterLogEventsCommand({
        logGroupName: `/aws/cognito/userpools/${POOL}/trainee-pool`,
        logStreamNames: [`${job.JobId}/filter-job`],
        filterPattern: '"[FAILED]"',
      }),
    );
    expect(out.events?.map((e) => e.message)).toEqual([
      "[FAILED] Line Number 2 - The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).",
    ]);
  });

  test("GetLogEvents paging: the forward token repeats when there is nothing more", async () => {
    const { job } = await runImport(h, await csvOf(h, [userValues(1), userValues(2), userValues(3)]), POOL, "paging");
    const group = `/aws/cognito/userpools/${POOL}/trainee-pool`;
    const stream = `${job.JobId}/paging`;
    const seen: string[] = [];
    let token: string | undefined;
    for (;;) {
      const out = await h.logs.send(
        new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, limit: 2, nextToken: token }),
      );
      seen.push(...(out.events ?? []).map((e) => e.message as string));
      if (out.nextForwardToken === token) break;
      token = out.nextForwardToken;
    }
    expect(seen).toHaveLength(3);
    const missing = await errorOf(h.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: "nope" })));
    expect(missing).toEqual({ name: "ResourceNotFoundException", message: "The specified log stream does not exist." });
  });

  test('"Imported users have status RESET_REQUIRED", a sub, dates, Enabled, values as strings, birthdate as yyyy-mm-dd', async () => {
    await runImport(h, await csvOf(h, [userValues(1, { birthdate: "02/01/1985", "custom:grade": "3", updated_at: "1700000000" })]));
    const u = await h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "user1@example.nhs.uk" }));
    expect(u.UserStatus).toBe("RESET_REQUIRED");
    expect(u.Enabled).toBe(true);
    expect(u.UserCreateDate).toBeInstanceOf(Date);
    const attrs = Object.fromEntries((u.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
    expect(attrs.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(attrs).toMatchObject({
      email_verified: "true",
      birthdate: "1985-02-01",
      "custom:grade": "3",
      updated_at: "1700000000",
      email: "user1@example.nhs.uk",
    });
    expect(attrs["cognito:mfa_enabled"]).toBeUndefined();
  });

  test('"Only one import job can be active at a time per account" → LimitExceededException (CreateUserImportJob itself succeeds)', async () => {
    await stopHarness(h);
    const other = testProfile({ userPoolId: "eu-west-2_Other0001", userPoolName: "other" });
    h = await startHarness({ importSpeed: { rowsPerSecond: 5, startDelayMs: 0 } }, [testProfile(), other]);
    const a = await createJob(h, "a");
    await upload(
      a.PreSignedUrl as string,
      await csvOf(
        h,
        Array.from({ length: 20 }, (_, i) => userValues(i)),
      ),
    );
    await h.cognito.send(new StartUserImportJobCommand({ UserPoolId: POOL, JobId: a.JobId }));
    const b = await createJob(h, "b", other.userPoolId);
    expect(b.Status).toBe("Created");
    await upload(b.PreSignedUrl as string, await csvOf(h, [userValues(1)], other.userPoolId));
    const e = await errorOf(h.cognito.send(new StartUserImportJobCommand({ UserPoolId: other.userPoolId, JobId: b.JobId })));
    expect(e).toEqual({ name: "LimitExceededException", message: "Only one import job can be active at a time per account." });
  });

  test('"UserImportInProgressException is thrown by AddCustomAttributes, DeleteUserPool, UpdateUserPool during an import"', async () => {
    await stopHarness(h);
    h = await startHarness({ importSpeed: { rowsPerSecond: 5, startDelayMs: 0 } });
    const a = await createJob(h, "a");
    await upload(
      a.PreSignedUrl as string,
      await csvOf(
        h,
        Array.from({ length: 20 }, (_, i) => userValues(i)),
      ),
    );
    await h.cognito.send(new StartUserImportJobCommand({ UserPoolId: POOL, JobId: a.JobId }));
    expect((await errorOf(h.cognito.send(new DeleteUserPoolCommand({ UserPoolId: POOL })))).name).toBe("UserImportInProgressException");
    expect(
      (
        await errorOf(
          h.cognito.send(new UpdateUserPoolCommand({ UserPoolId: POOL, MfaConfiguration: "ON", AutoVerifiedAttributes: ["email"] })),
        )
      ).name,
    ).toBe("UserImportInProgressException");
    expect(
      (
        await errorOf(
          h.cognito.send(
            new AddCustomAttributesCommand({ UserPoolId: POOL, CustomAttributes: [{ Name: "late", AttributeDataType: "String" }] }),
          ),
        )
      ).name,
    ).toBe("UserImportInProgressException");
    await h.cognito.send(new StopUserImportJobCommand({ UserPoolId: POOL, JobId: a.JobId }));
    await waitForJob(h, a.JobId as string);
    await h.cognito.send(
      new AddCustomAttributesCommand({ UserPoolId: POOL, CustomAttributes: [{ Name: "late", AttributeDataType: "String" }] }),
    );
    expect((await h.cognito.send(new GetCSVHeaderCommand({ UserPoolId: POOL }))).CSVHeader).toContain("custom:late");
    const dup = await errorOf(
      h.cognito.send(
        new AddCustomAttributesCommand({ UserPoolId: POOL, CustomAttributes: [{ Name: "late", AttributeDataType: "String" }] }),
      ),
    );
    expect(dup).toEqual({ name: "InvalidParameterException", message: "Existing attribute already has name custom:late." });
  });

  test('"The whole job fails when: the logs role cannot be assumed"', async () => {
    h.emulator.faults.setLogsRoleUnassumable(true, ROLE_ARN);
    const { job, lines } = await runImport(h, await csvOf(h, [userValues(1)]));
    expect(job).toMatchObject({ Status: "Failed", ImportedUsers: 0 });
    expect(lines).toEqual([]);
    const users = await h.cognito.send(new ListUsersCommand({ UserPoolId: POOL }));
    expect(users.Users).toHaveLength(0);
  });

  test("a role ARN that is not a well-formed IAM role ARN fails validation", async () => {
    const e = await errorOf(
      h.cognito.send(
        new CreateUserImportJobCommand({ UserPoolId: POOL, JobName: "j", CloudWatchLogsRoleArn: "arn:aws:s3:::000000000000:bucket/x" }),
      ),
    );
    expect(e.name).toBe("InvalidParameterException");
    const e2 = await errorOf(
      h.cognito.send(new CreateUserImportJobCommand({ UserPoolId: POOL, JobName: "j", CloudWatchLogsRoleArn: "not-an-arn" })),
    );
    expect(e2.message).toContain("at 'cloudWatchLogsRoleArn' failed to satisfy constraint");
  });

  test('"The whole job fails when … the CSV cannot be parsed"', async () => {
    const { job } = await runImport(h, "email,cognito:username\nuser1@example.com,user1\n");
    expect(job).toMatchObject({ Status: "Failed", ImportedUsers: 0, FailedUsers: 0 });
    expect(job.CompletionMessage).toBeDefined();
  });

  test('"1,000 import jobs per pool" — the 1,001st CreateUserImportJob → LimitExceededException', async () => {
    for (let i = 0; i < 1000; i++) await createJob(h, `j${i}`);
    expect((await errorOf(createJob(h, "one-too-many"))).name).toBe("LimitExceededException");
  });

  test('"If the user pool has no auto-verified attributes, the import job will not start" — StartUserImportJob is refused', async () => {
    const pool = (await h.cognito.send(new CreateUserPoolCommand({ PoolName: "no-verified", MfaConfiguration: "OFF" }))).UserPool;
    const id = pool?.Id as string;
    const job = await createJob(h, "nv", id);
    await upload(job.PreSignedUrl as string, await csvOf(h, [userValues(1, { "cognito:mfa_enabled": "false" })], id));
    expect((await errorOf(h.cognito.send(new StartUserImportJobCommand({ UserPoolId: id, JobId: job.JobId })))).name).toBe(
      "InvalidParameterException",
    );
    const after = (await h.cognito.send(new DescribeUserImportJobCommand({ UserPoolId: id, JobId: job.JobId }))).UserImportJob;
    expect(after?.Status).toBe("Created");
  });

  test("log lines are readable after the job through logLines helper", async () => {
    const { job } = await runImport(h, await csvOf(h, [userValues(7)]), POOL, "x");
    expect(await logLines(h, POOL, job.JobId as string, "x")).toHaveLength(1);
  });
});
