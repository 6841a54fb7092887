/** §1 of the reference: the wire protocol, shapes, limits and messages, through the real SDK v3 clients. */
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  CreateUserImportJobCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  GetCSVHeaderCommand,
  ListUserImportJobsCommand,
  ListUsersCommand,
  StartUserImportJobCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { ROLE_ARN, credentials, errorOf, rawHeaders, startHarness, stopHarness, testProfile, type Harness } from "./helpers";

const POOL = testProfile().userPoolId;
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => stopHarness(h));

async function raw(target: string, body: unknown): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const res = await fetch(`${h.emulator.endpoint}/`, {
    method: "POST",
    headers: rawHeaders(target),
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

describe("wire protocol", () => {
  test('"POST / … AWS JSON 1.1 … X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>" — an unmodified SDK v3 client works with an endpoint override', async () => {
    const out = await h.cognito.send(new DescribeUserPoolCommand({ UserPoolId: POOL }));
    expect(out.UserPool?.Id).toBe(POOL);
  });

  test("the standard AWS_ENDPOINT_URL environment variable is honoured by an unmodified client", async () => {
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = h.emulator.endpoint;
    try {
      const client = new CognitoIdentityProviderClient({ region: "eu-west-2", credentials, maxAttempts: 1 });
      const out = await client.send(new GetCSVHeaderCommand({ UserPoolId: POOL }));
      expect(out.UserPoolId).toBe(POOL);
      client.destroy();
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
  });

  test('"Success: HTTP 200, JSON body, header x-amzn-requestid. Operations with empty output return {}"', async () => {
    await h.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: POOL,
        Username: "empty.output@example.com",
        UserAttributes: [{ Name: "email", Value: "empty.output@example.com" }],
      }),
    );
    const r = await raw("AWSCognitoIdentityProviderService.AdminDisableUser", { UserPoolId: POOL, Username: "empty.output@example.com" });
    expect(r.status).toBe(200);
    expect(r.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.json).toEqual({});
  });

  test('"Timestamps are epoch seconds as JSON numbers (e.g. 1470957431.965)"', async () => {
    const r = await raw("AWSCognitoIdentityProviderService.CreateUserImportJob", {
      UserPoolId: POOL,
      JobName: "ts",
      CloudWatchLogsRoleArn: ROLE_ARN,
    });
    const job = r.json.UserImportJob as Record<string, unknown>;
    expect(typeof job.CreationDate).toBe("number");
    expect(job.CreationDate).toBe(h.now.ms / 1000);
  });

  test('"Errors: HTTP 400 … body {"__type":"<Code>","message":"..."}; real responses also send header x-amzn-errortype: <Code>:"', async () => {
    const r = await raw("AWSCognitoIdentityProviderService.DescribeUserPool", { UserPoolId: "us-east-1_AAAAAAAAA" });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ __type: "ResourceNotFoundException", message: "User pool us-east-1_AAAAAAAAA does not exist." });
    expect(r.headers.get("x-amzn-errortype")).toBe("ResourceNotFoundException:");
  });

  test('"ResourceNotFoundException — User pool us-east-1_AAAAAAAAA does not exist."', async () => {
    const e = await errorOf(h.cognito.send(new DescribeUserPoolCommand({ UserPoolId: "us-east-1_AAAAAAAAA" })));
    expect(e).toMatchObject({ name: "ResourceNotFoundException", message: "User pool us-east-1_AAAAAAAAA does not exist.", status: 400 });
  });

  test('"UserNotFoundException — User does not exist."', async () => {
    const e = await errorOf(h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "nobody@example.com" })));
    expect(e).toMatchObject({ name: "UserNotFoundException", message: "User does not exist." });
  });

  test("\"model validation — 1 validation error detected: Value '100' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60\"", async () => {
    const e = await errorOf(h.cognito.send(new ListUsersCommand({ UserPoolId: POOL, Limit: 100 })));
    expect(e).toMatchObject({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value '100' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    });
  });

  test("several violations are reported together, joined by '; '", async () => {
    const e = await errorOf(
      h.cognito.send(new CreateUserImportJobCommand({ UserPoolId: "bad pool", JobName: "", CloudWatchLogsRoleArn: ROLE_ARN })),
    );
    expect(e.name).toBe("InvalidParameterException");
    expect(e.message).toBe(
      "3 validation errors detected: Value '' at 'jobName' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'jobName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+; Value 'bad pool' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
    );
  });

  test("a missing required member: Value null … Member must not be null", async () => {
    const r = await raw("AWSCognitoIdentityProviderService.ListUserImportJobs", { UserPoolId: POOL });
    expect(r.json).toEqual({
      __type: "InvalidParameterException",
      message: "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null",
    });
  });

  test("unknown operations get the error AWS gives (UnknownOperationException)", async () => {
    const r = await raw("AWSCognitoIdentityProviderService.NoSuchOperation", {});
    expect(r.status).toBe(400);
    expect(String(r.json.__type)).toMatch(/UnknownOperationException$/);
    expect(r.headers.get("x-amzn-errortype")).toBe("UnknownOperationException:");
  });

  test('"UserPoolId [\\w-]+_[0-9a-zA-Z]+ (1–55)"', async () => {
    const e = await errorOf(h.cognito.send(new DescribeUserPoolCommand({ UserPoolId: `eu-west-2_${"a".repeat(60)}` })));
    expect(e.message).toContain("Member must have length less than or equal to 55");
  });

  test('"JobId import-[0-9a-zA-Z-]+ (real ids: import- + 10 alphanumerics)"', async () => {
    const job = (
      await h.cognito.send(new CreateUserImportJobCommand({ UserPoolId: POOL, JobName: "id-shape", CloudWatchLogsRoleArn: ROLE_ARN }))
    ).UserImportJob;
    expect(job?.JobId).toMatch(/^import-[0-9a-zA-Z]{10}$/);
    const e = await errorOf(h.cognito.send(new StartUserImportJobCommand({ UserPoolId: POOL, JobId: "job-1" })));
    expect(e.message).toBe(
      "1 validation error detected: Value 'job-1' at 'jobId' failed to satisfy constraint: Member must satisfy regular expression pattern: import-[0-9a-zA-Z-]+",
    );
  });

  test('"JobName [\\w\\s+=,.@-]+ (1–128)"', async () => {
    const e = await errorOf(
      h.cognito.send(new CreateUserImportJobCommand({ UserPoolId: POOL, JobName: "x".repeat(129), CloudWatchLogsRoleArn: ROLE_ARN })),
    );
    expect(e.message).toContain("Member must have length less than or equal to 128");
    const ok = await h.cognito.send(
      new CreateUserImportJobCommand({ UserPoolId: POOL, JobName: "Intake 2026+A=b,c.d@e-f", CloudWatchLogsRoleArn: ROLE_ARN }),
    );
    expect(ok.UserImportJob?.Status).toBe("Created");
  });

  test('"Username [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+ (1–128 …) — so no whitespace of any kind"', async () => {
    const e = await errorOf(h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "has space" })));
    expect(e.message).toBe(
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    );
  });

  test('"GetCSVHeader {UserPoolId} → {UserPoolId, CSVHeader: string[]}" including custom attributes', async () => {
    const out = await h.cognito.send(new GetCSVHeaderCommand({ UserPoolId: POOL }));
    expect(out.CSVHeader).toContain("custom:tisId");
    expect(out.CSVHeader?.slice(-2)).toEqual(["cognito:mfa_enabled", "cognito:username"]);
  });

  test('"ListUserImportJobs {UserPoolId, MaxResults (1–60, required), PaginationToken} → {UserImportJobs, PaginationToken}, newest first"', async () => {
    const e = await errorOf(h.cognito.send(new ListUserImportJobsCommand({ UserPoolId: POOL, MaxResults: 61 })));
    expect(e.message).toContain("Member must have value less than or equal to 60");
    const all: string[] = [];
    let token: string | undefined;
    do {
      const page = await h.cognito.send(new ListUserImportJobsCommand({ UserPoolId: POOL, MaxResults: 1, PaginationToken: token }));
      all.push(...(page.UserImportJobs ?? []).map((j) => j.JobId as string));
      token = page.PaginationToken;
    } while (token);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const full = await h.cognito.send(new ListUserImportJobsCommand({ UserPoolId: POOL, MaxResults: 60 }));
    const dates = (full.UserImportJobs ?? []).map((j) => j.JobId);
    expect(dates).toEqual(all);
  });

  test('"ListUsers {… Limit (0–60) …}" and "Filter (≤256)"', async () => {
    const e = await errorOf(h.cognito.send(new ListUsersCommand({ UserPoolId: POOL, Filter: `email = "${"a".repeat(260)}"` })));
    expect(e.message).toContain("at 'filter' failed to satisfy constraint: Member must have length less than or equal to 256");
  });

  test("Admin operations: create, get, update attributes, disable, enable, delete", async () => {
    const u = "admin.ops@example.com";
    const created = await h.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: POOL,
        Username: u,
        UserAttributes: [
          { Name: "email", Value: u },
          { Name: "phone_number", Value: "+447700900001" },
        ],
        MessageAction: "SUPPRESS",
      }),
    );
    expect(created.User?.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
    expect(created.User?.Attributes?.find((a) => a.Name === "sub")?.Value).toMatch(/^[0-9a-f-]{36}$/);
    const dup = await errorOf(
      h.cognito.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: u, UserAttributes: [{ Name: "email", Value: u }] })),
    );
    expect(dup).toMatchObject({ name: "UsernameExistsException", message: "User account already exists." });
    await h.cognito.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: POOL, Username: u, UserAttributes: [{ Name: "given_name", Value: "Ada" }] }),
    );
    await h.cognito.send(new AdminDisableUserCommand({ UserPoolId: POOL, Username: u }));
    let got = await h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: u }));
    expect(got.Enabled).toBe(false);
    expect(got.UserAttributes?.find((a) => a.Name === "given_name")?.Value).toBe("Ada");
    await h.cognito.send(new AdminEnableUserCommand({ UserPoolId: POOL, Username: u }));
    got = await h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: u }));
    expect(got.Enabled).toBe(true);
    await h.cognito.send(new AdminDeleteUserCommand({ UserPoolId: POOL, Username: u }));
    expect((await errorOf(h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: u })))).name).toBe("UserNotFoundException");
  });

  test("AdminCreateUser checks phone numbers and the schema", async () => {
    const e = await errorOf(
      h.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: POOL,
          Username: "bad.phone@example.com",
          UserAttributes: [
            { Name: "email", Value: "bad.phone@example.com" },
            { Name: "phone_number", Value: "07700900001" },
          ],
        }),
      ),
    );
    expect(e).toMatchObject({ name: "InvalidParameterException", message: "Invalid phone number format." });
    const missing = await errorOf(h.cognito.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: "noemail" })));
    expect(missing.message).toContain("email: The attribute is required");
  });

  test('"DescribeUserPool (SchemaAttributes, AutoVerifiedAttributes, … MfaConfiguration OFF|ON|OPTIONAL, UsernameConfiguration.CaseSensitive, Name, EstimatedNumberOfUsers)"', async () => {
    const p = (await h.cognito.send(new DescribeUserPoolCommand({ UserPoolId: POOL }))).UserPool;
    expect(p?.Name).toBe("trainee-pool");
    expect(p?.AutoVerifiedAttributes).toEqual(["email"]);
    expect(p?.MfaConfiguration).toBe("ON");
    expect(p?.UsernameConfiguration?.CaseSensitive).toBe(false);
    expect(typeof p?.EstimatedNumberOfUsers).toBe("number");
    const tis = p?.SchemaAttributes?.find((a) => a.Name === "custom:tisId");
    expect(tis?.StringAttributeConstraints).toEqual({ MinLength: "1", MaxLength: "20" });
    expect(p?.SchemaAttributes?.find((a) => a.Name === "email")?.Required).toBe(true);
  });

  test("CreateUserPool / DeleteUserPool", async () => {
    const created = await h.cognito.send(
      new CreateUserPoolCommand({
        PoolName: "scratch",
        AutoVerifiedAttributes: ["email"],
        MfaConfiguration: "OFF",
        Schema: [{ Name: "org", AttributeDataType: "String" }],
        UsernameConfiguration: { CaseSensitive: false },
      }),
    );
    const id = created.UserPool?.Id as string;
    expect(id).toMatch(/^eu-west-2_[0-9a-zA-Z]+$/);
    expect((await h.cognito.send(new GetCSVHeaderCommand({ UserPoolId: id }))).CSVHeader).toContain("custom:org");
    await h.cognito.send(new DeleteUserPoolCommand({ UserPoolId: id }));
    expect((await errorOf(h.cognito.send(new DescribeUserPoolCommand({ UserPoolId: id })))).name).toBe("ResourceNotFoundException");
  });
});
