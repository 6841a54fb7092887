/**
 * CreateUserPool as the API reference and the botocore model describe it, the emulator's fixed-id extension, MFA
 * through SetUserPoolMfaConfig, and Region scoping ("Everything is regional": reference §7).
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DescribeUserImportJobCommand,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  ListUserImportJobsCommand,
  ListUsersCommand,
  SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CloudWatchLogsClient, DescribeLogStreamsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { POOL_ID_TAG } from "../../emulator/user-pools";
import { credentials, csvOf, errorOf, runImport, startHarness, stopHarness, testProfile, userValues, type Harness } from "./helpers";

const POOL = testProfile().userPoolId;
let h: Harness;
let clients: { destroy(): void }[] = [];
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  for (const c of clients) c.destroy();
  clients = [];
  await stopHarness(h);
});

function cognitoIn(region: string): CognitoIdentityProviderClient {
  const c = new CognitoIdentityProviderClient({ endpoint: h.emulator.endpoint, region, credentials, maxAttempts: 1 });
  clients.push(c);
  return c;
}

describe("CreateUserPool", () => {
  test('ids are "<region>_" + 9 alphanumerics; the pool has an Arn "arn:aws:cognito-idp:<region>:<account>:userpool/<id>", CreationDate, LastModifiedDate and EstimatedNumberOfUsers', async () => {
    const created = (await h.cognito.send(new CreateUserPoolCommand({ PoolName: "fresh" }))).UserPool;
    expect(created?.Id).toMatch(/^eu-west-2_[0-9A-Za-z]{9}$/);
    expect(created?.Arn).toBe(`arn:aws:cognito-idp:eu-west-2:000000000000:userpool/${created?.Id}`);
    expect(created?.CreationDate).toEqual(new Date(h.now.ms));
    const described = (await h.cognito.send(new DescribeUserPoolCommand({ UserPoolId: created?.Id }))).UserPool;
    expect(described).toMatchObject({
      Name: "fresh",
      EstimatedNumberOfUsers: 0,
      MfaConfiguration: "OFF",
      UsernameConfiguration: { CaseSensitive: true },
    });
    expect(described?.LastModifiedDate).toEqual(new Date(h.now.ms));
  });

  test(`extension: a UserPoolTags entry "${POOL_ID_TAG}" = "<region>_<id>" uses that id; another Region's id or a clash is an error`, async () => {
    const tagged = await h.cognito.send(
      new CreateUserPoolCommand({ PoolName: "fixed", UserPoolTags: { [POOL_ID_TAG]: "eu-west-2_Fixed0001" } }),
    );
    expect(tagged.UserPool?.Id).toBe("eu-west-2_Fixed0001");
    expect(tagged.UserPool?.UserPoolTags).toEqual({ [POOL_ID_TAG]: "eu-west-2_Fixed0001" });
    const clash = await errorOf(
      h.cognito.send(new CreateUserPoolCommand({ PoolName: "again", UserPoolTags: { [POOL_ID_TAG]: "eu-west-2_Fixed0001" } })),
    );
    expect(clash).toMatchObject({ name: "InvalidParameterException", message: "User pool eu-west-2_Fixed0001 already exists." });
    const foreign = await errorOf(
      h.cognito.send(new CreateUserPoolCommand({ PoolName: "elsewhere", UserPoolTags: { [POOL_ID_TAG]: "us-east-1_Fixed0002" } })),
    );
    expect(foreign.name).toBe("InvalidParameterException");
  });

  test('Schema: custom attributes are named without "custom:" (1–20 characters), need AttributeDataType, cannot be Required; standard attributes take Required', async () => {
    const created = await h.cognito.send(
      new CreateUserPoolCommand({
        PoolName: "schema",
        Schema: [
          { Name: "email", Required: true, Mutable: true },
          { Name: "tisId", AttributeDataType: "String", StringAttributeConstraints: { MinLength: "1", MaxLength: "20" } },
          { Name: "grade", AttributeDataType: "Number", NumberAttributeConstraints: { MinValue: "1", MaxValue: "10" } },
        ],
      }),
    );
    const schema = created.UserPool?.SchemaAttributes ?? [];
    expect(schema.find((a) => a.Name === "email")?.Required).toBe(true);
    expect(schema.find((a) => a.Name === "custom:tisId")).toMatchObject({
      AttributeDataType: "String",
      StringAttributeConstraints: { MinLength: "1", MaxLength: "20" },
      Required: false,
    });
    expect(schema.find((a) => a.Name === "custom:grade")?.NumberAttributeConstraints).toEqual({ MinValue: "1", MaxValue: "10" });
    const noType = await errorOf(h.cognito.send(new CreateUserPoolCommand({ PoolName: "x", Schema: [{ Name: "org" }] })));
    expect(noType.name).toBe("InvalidParameterException");
    const required = await errorOf(
      h.cognito.send(new CreateUserPoolCommand({ PoolName: "x", Schema: [{ Name: "org", AttributeDataType: "String", Required: true }] })),
    );
    expect(required).toMatchObject({
      name: "InvalidParameterException",
      message: "Required custom attributes are not supported currently.",
    });
    const long = await errorOf(
      h.cognito.send(new CreateUserPoolCommand({ PoolName: "x", Schema: [{ Name: "a".repeat(21), AttributeDataType: "String" }] })),
    );
    expect(long.message).toContain("Member must have length less than or equal to 20");
  });

  test('"The CreateUserPool operation supports only SMS MFA configuration … If you omit SmsConfiguration, the operation returns an InvalidParameterException. To configure TOTP … use the SetUserPoolMfaConfig operation."', async () => {
    const e = await errorOf(h.cognito.send(new CreateUserPoolCommand({ PoolName: "mfa", MfaConfiguration: "ON" })));
    expect(e.name).toBe("InvalidParameterException");
    const id = (await h.cognito.send(new CreateUserPoolCommand({ PoolName: "mfa" }))).UserPool?.Id;
    const noFactor = await errorOf(h.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: id, MfaConfiguration: "ON" })));
    expect(noFactor.name).toBe("InvalidParameterException");
    const set = await h.cognito.send(
      new SetUserPoolMfaConfigCommand({ UserPoolId: id, MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } }),
    );
    expect(set).toMatchObject({ MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } });
    expect((await h.cognito.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool?.MfaConfiguration).toBe("ON");
    expect((await h.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: id }))).MfaConfiguration).toBe("ON");
  });

  test("UsernameAttributes and AliasAttributes exclude each other; AttributesRequireVerificationBeforeUpdate must name auto-verified attributes and is echoed", async () => {
    const both = await errorOf(
      h.cognito.send(new CreateUserPoolCommand({ PoolName: "x", UsernameAttributes: ["email"], AliasAttributes: ["preferred_username"] })),
    );
    expect(both.name).toBe("InvalidParameterException");
    const notAuto = await errorOf(
      h.cognito.send(
        new CreateUserPoolCommand({ PoolName: "x", UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] } }),
      ),
    );
    expect(notAuto.name).toBe("InvalidParameterException");
    const ok = await h.cognito.send(
      new CreateUserPoolCommand({
        PoolName: "x",
        AutoVerifiedAttributes: ["email"],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] },
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: "verified_email", Priority: 1 }] },
      }),
    );
    expect(ok.UserPool?.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate).toEqual(["email"]);
    expect(ok.UserPool?.AccountRecoverySetting?.RecoveryMechanisms).toEqual([{ Name: "verified_email", Priority: 1 }]);
  });

  test("EstimatedNumberOfUsers counts the pool's users", async () => {
    await h.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: POOL,
        Username: "count@example.com",
        UserAttributes: [{ Name: "email", Value: "count@example.com" }],
      }),
    );
    expect((await h.cognito.send(new DescribeUserPoolCommand({ UserPoolId: POOL }))).UserPool?.EstimatedNumberOfUsers).toBe(1);
  });
});

describe('Regions: "Pools, their users, import jobs and log groups live in one Region; a client signed for another Region is told ResourceNotFoundException: User pool <id> does not exist."', () => {
  test("a client signed for another Region sees neither the pool, its users nor its jobs", async () => {
    const { job } = await runImport(h, await csvOf(h, [userValues(1)]));
    const other = cognitoIn("us-east-1");
    const expected = { name: "ResourceNotFoundException", message: `User pool ${POOL} does not exist.` };
    expect(await errorOf(other.send(new DescribeUserPoolCommand({ UserPoolId: POOL })))).toMatchObject(expected);
    expect(await errorOf(other.send(new ListUsersCommand({ UserPoolId: POOL })))).toMatchObject(expected);
    expect(await errorOf(other.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "user1@example.nhs.uk" })))).toMatchObject(
      expected,
    );
    expect(await errorOf(other.send(new ListUserImportJobsCommand({ UserPoolId: POOL, MaxResults: 10 })))).toMatchObject(expected);
    expect(await errorOf(other.send(new DescribeUserImportJobCommand({ UserPoolId: POOL, JobId: job.JobId })))).toMatchObject(expected);
    // The same calls signed for the pool's own Region work.
    expect((await h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "user1@example.nhs.uk" }))).Username).toBe(
      "user1@example.nhs.uk",
    );
  });

  test("a pool id whose prefix is not the signing Region does not exist", async () => {
    const created = (await cognitoIn("us-east-1").send(new CreateUserPoolCommand({ PoolName: "east" }))).UserPool;
    expect(created?.Id).toMatch(/^us-east-1_/);
    expect(created?.Arn).toMatch(/^arn:aws:cognito-idp:us-east-1:000000000000:userpool\/us-east-1_/);
    expect(await errorOf(h.cognito.send(new DescribeUserPoolCommand({ UserPoolId: created?.Id })))).toMatchObject({
      name: "ResourceNotFoundException",
      message: `User pool ${created?.Id} does not exist.`,
    });
  });

  test("the import log group exists only in the pool's Region", async () => {
    const { job } = await runImport(h, await csvOf(h, [userValues(1)]));
    const group = `/aws/cognito/userpools/${POOL}/${testProfile().userPoolName}`;
    const logs = new CloudWatchLogsClient({ endpoint: h.emulator.endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
    clients.push(logs);
    const e = await errorOf(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: `${job.JobId}/test-job` })));
    expect(e).toMatchObject({ name: "ResourceNotFoundException", message: "The specified log group does not exist." });
    expect((await errorOf(logs.send(new DescribeLogStreamsCommand({ logGroupName: group })))).name).toBe("ResourceNotFoundException");
    expect((await h.logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams).toHaveLength(1);
  });

  test('"Quotas are per account per Region"', async () => {
    await stopHarness(h);
    h = await startHarness({ quotas: "aws" });
    for (let i = 0; i < 30; i++) await h.cognito.send(new ListUsersCommand({ UserPoolId: POOL, Limit: 1 }));
    expect((await errorOf(h.cognito.send(new ListUsersCommand({ UserPoolId: POOL })))).name).toBe("TooManyRequestsException");
    // Another Region has its own budget: the call gets through (and finds no such pool there).
    expect((await errorOf(cognitoIn("us-east-1").send(new ListUsersCommand({ UserPoolId: POOL })))).name).toBe("ResourceNotFoundException");
  });
});
