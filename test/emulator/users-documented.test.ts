/**
 * Documented user behaviours a stand-in is tempted to simplify (reference §7), each checked through unmodified SDK
 * clients: verification on attribute change, lookups by alias and `sub`, filter case rules, AttributesToGet errors,
 * and the per-user request quota.
 */
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  ListUsersCommand,
  type AttributeType,
} from "@aws-sdk/client-cognito-identity-provider";
import { errorOf, startHarness, stopHarness, testProfile, type Harness, type TestPool } from "./helpers";

let h: Harness | undefined;
afterEach(async () => {
  await stopHarness(h);
  h = undefined;
});

async function harness(
  pool: Partial<TestPool> = {},
  options: Parameters<typeof startHarness>[0] = {},
): Promise<{ h: Harness; poolId: string }> {
  const p = testProfile({ mfaConfiguration: "OFF", ...pool });
  h = await startHarness(options, [p]);
  return { h, poolId: p.userPoolId };
}

async function create(hh: Harness, poolId: string, username: string, attrs: Record<string, string>): Promise<string> {
  const out = await hh.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: "SUPPRESS",
      UserAttributes: Object.entries(attrs).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  return out.User?.Username as string;
}

async function attributesOf(hh: Harness, poolId: string, username: string): Promise<Record<string, string>> {
  const out = await hh.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return Object.fromEntries((out.UserAttributes ?? []).map((a: AttributeType) => [a.Name, a.Value]));
}

const update = (hh: Harness, poolId: string, username: string, attrs: Record<string, string>) =>
  hh.cognito.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: poolId,
      Username: username,
      UserAttributes: Object.entries(attrs).map(([Name, Value]) => ({ Name, Value })),
    }),
  );

describe("AdminUpdateUserAttributes and verification", () => {
  const start = { email: "old@example.com", email_verified: "true", phone_number: "+447700900001", phone_number_verified: "true" };

  test('changing email or phone_number stores it unverified — "To skip the verification message and update the value … include the email_verified or phone_number_verified attribute, with a value of true"', async () => {
    const { h, poolId } = await harness({ autoVerifiedAttributes: ["email", "phone_number"] });
    await create(h, poolId, "ver@example.com", start);
    await update(h, poolId, "ver@example.com", { email: "new@example.com", phone_number: "+447700900002" });
    expect(await attributesOf(h, poolId, "ver@example.com")).toMatchObject({
      email: "new@example.com",
      email_verified: "false",
      phone_number: "+447700900002",
      phone_number_verified: "false",
    });
    await update(h, poolId, "ver@example.com", { email: "newer@example.com", email_verified: "true" });
    expect(await attributesOf(h, poolId, "ver@example.com")).toMatchObject({ email: "newer@example.com", email_verified: "true" });
  });

  test("writing the same value again is not a change: it stays verified", async () => {
    const { h, poolId } = await harness();
    await create(h, poolId, "same@example.com", start);
    await update(h, poolId, "same@example.com", { email: "old@example.com", given_name: "Ada" });
    expect(await attributesOf(h, poolId, "same@example.com")).toMatchObject({
      email: "old@example.com",
      email_verified: "true",
      given_name: "Ada",
    });
  });

  test('AttributesRequireVerificationBeforeUpdate: "Amazon Cognito doesn\'t change the value of the attribute until your user responds to the verification message" — unless the call sets it verified', async () => {
    const { h, poolId } = await harness({ autoVerifiedAttributes: ["email"], verifyBeforeUpdate: ["email"] });
    await create(h, poolId, "held@example.com", start);
    await update(h, poolId, "held@example.com", { email: "pending@example.com", given_name: "Ada" });
    expect(await attributesOf(h, poolId, "held@example.com")).toMatchObject({
      email: "old@example.com",
      email_verified: "true",
      given_name: "Ada",
    });
    await update(h, poolId, "held@example.com", { email: "pending@example.com", email_verified: "true" });
    expect(await attributesOf(h, poolId, "held@example.com")).toMatchObject({ email: "pending@example.com", email_verified: "true" });
    // phone_number is not in the setting: it changes at once, unverified.
    await update(h, poolId, "held@example.com", { phone_number: "+447700900003" });
    expect(await attributesOf(h, poolId, "held@example.com")).toMatchObject({
      phone_number: "+447700900003",
      phone_number_verified: "false",
    });
  });
});

describe('Username: "it can be any of their alias attributes. If username isn\'t an alias attribute in your user pool, this value must be the sub of a local user"', () => {
  test("every Admin* call accepts the sub", async () => {
    const { h, poolId } = await harness();
    await create(h, poolId, "by.sub@example.com", { email: "by.sub@example.com" });
    const sub = (await attributesOf(h, poolId, "by.sub@example.com")).sub;
    expect((await h.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: sub }))).Username).toBe("by.sub@example.com");
    await update(h, poolId, sub, { given_name: "Sub" });
    expect((await attributesOf(h, poolId, "by.sub@example.com")).given_name).toBe("Sub");
    await h.cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: sub }));
    expect((await errorOf(h.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "by.sub@example.com" })))).name).toBe(
      "UserNotFoundException",
    );
  });

  test("AliasAttributes: a verified email (any case in a case-insensitive pool) names the user; an unverified one does not", async () => {
    const { h, poolId } = await harness({ aliasAttributes: ["email"], usernameCaseSensitive: false });
    await create(h, poolId, "ada", { email: "Ada.Lovelace@example.com", email_verified: "true" });
    await create(h, poolId, "bob", { email: "bob@example.com" });
    expect((await h.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "ada.lovelace@example.com" }))).Username).toBe(
      "ada",
    );
    expect((await errorOf(h.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "bob@example.com" })))).name).toBe(
      "UserNotFoundException",
    );
  });

  test("no alias attributes: an email is not a username", async () => {
    const { h, poolId } = await harness();
    await create(h, poolId, "carol", { email: "carol@example.com", email_verified: "true" });
    expect((await errorOf(h.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "carol@example.com" })))).name).toBe(
      "UserNotFoundException",
    );
  });

  test("UsernameAttributes [email]: AdminCreateUser takes the email as Username, the user's username is a UUID, and the email names the user", async () => {
    const { h, poolId } = await harness({ usernameAttributes: ["email"] });
    const username = await create(h, poolId, "dora@example.com", {});
    expect(username).toMatch(/^[0-9a-f-]{36}$/);
    expect((await h.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "dora@example.com" }))).Username).toBe(username);
    expect((await errorOf(create(h, poolId, "not-an-email", {}))).message).toBe("Username should be an email.");
    expect((await errorOf(create(h, poolId, "dora@example.com", {}))).name).toBe("UsernameExistsException");
  });
});

describe("ListUsers filters and AttributesToGet", () => {
  async function seeded(pool: Partial<TestPool>): Promise<{ h: Harness; poolId: string }> {
    const r = await harness(pool);
    await create(r.h, r.poolId, "Mixed.Case@example.com", {
      email: "Mixed.Case@example.com",
      given_name: "Mixed",
      preferred_username: "MixedCase",
    });
    await create(r.h, r.poolId, "plain@example.com", { email: "plain@example.com" });
    return r;
  }
  const names = async (hh: Harness, poolId: string, filter: string, attributesToGet?: string[]) =>
    ((await hh.cognito.send(new ListUsersCommand({ UserPoolId: poolId, Filter: filter, AttributesToGet: attributesToGet }))).Users ?? [])
      .map((u) => u.Username)
      .sort();

  test('"username (case-sensitive)", "cognito:user_status … (case-insensitive)", "status … (case-sensitive)"', async () => {
    const { h, poolId } = await seeded({ usernameCaseSensitive: false });
    expect(await names(h, poolId, 'username = "mixed.case@example.com"')).toEqual([]);
    expect(await names(h, poolId, 'username = "Mixed.Case@example.com"')).toEqual(["Mixed.Case@example.com"]);
    expect(await names(h, poolId, 'cognito:user_status = "force_change_password"')).toHaveLength(2);
    expect(await names(h, poolId, 'status = "enabled"')).toEqual([]);
    expect(await names(h, poolId, 'status = "Enabled"')).toHaveLength(2);
  });

  test('"When usernames in a user pool are case insensitive, the preferred_username and email attributes also are case insensitive"', async () => {
    const insensitive = await seeded({ usernameCaseSensitive: false });
    expect(await names(insensitive.h, insensitive.poolId, 'email = "MIXED.case@EXAMPLE.com"')).toEqual(["Mixed.Case@example.com"]);
    expect(await names(insensitive.h, insensitive.poolId, 'preferred_username ^= "mixed"')).toEqual(["Mixed.Case@example.com"]);
    expect(await names(insensitive.h, insensitive.poolId, 'given_name = "mixed"')).toEqual([]);
    await stopHarness(insensitive.h);
    const sensitive = await seeded({ usernameCaseSensitive: true });
    expect(await names(sensitive.h, sensitive.poolId, 'email = "mixed.case@example.com"')).toEqual([]);
  });

  test('AttributesToGet: "Amazon Cognito returns an error if not all users in the results have set a value for the attribute you request"; unknown attributes too', async () => {
    const { h, poolId } = await seeded({});
    const missing = { name: "InvalidParameterException", message: "One or more requested attributes do not exist." };
    expect(await errorOf(names(h, poolId, "", ["given_name"]))).toMatchObject(missing);
    expect(await names(h, poolId, 'given_name = "Mixed"', ["given_name"])).toEqual(["Mixed.Case@example.com"]);
    expect(await names(h, poolId, "", ["email"])).toHaveLength(2);
    expect(await errorOf(names(h, poolId, "", ["no_such_attribute"]))).toMatchObject(missing);
  });

  test('"Attributes that you can\'t filter on, including custom attributes, must have a value set in every user profile before an AttributesToGet parameter returns results"', async () => {
    const { h, poolId } = await seeded({});
    await update(h, poolId, "Mixed.Case@example.com", { "custom:tisId": "123" });
    // Even a filter that selects only the user who has it does not help: the other user lacks it.
    expect((await errorOf(names(h, poolId, 'given_name = "Mixed"', ["custom:tisId"]))).name).toBe("InvalidParameterException");
    await update(h, poolId, "plain@example.com", { "custom:tisId": "456" });
    expect(await names(h, poolId, 'given_name = "Mixed"', ["custom:tisId"])).toEqual(["Mixed.Case@example.com"]);
  });
});

test('per-user quota (developer guide, "Quotas"): at most 10 requests per second read or write one user\'s profile', async () => {
  const { h, poolId } = await harness({}, { quotas: "aws" });
  await create(h, poolId, "busy@example.com", { email: "busy@example.com" });
  await create(h, poolId, "calm@example.com", { email: "calm@example.com" });
  h.now.ms += 1000;
  for (let i = 0; i < 10; i++) await h.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "busy@example.com" }));
  expect(await errorOf(update(h, poolId, "busy@example.com", { given_name: "X" }))).toMatchObject({
    name: "TooManyRequestsException",
    message: "Rate exceeded",
  });
  await h.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "calm@example.com" }));
  h.now.ms += 1000;
  await h.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "busy@example.com" }));
});
