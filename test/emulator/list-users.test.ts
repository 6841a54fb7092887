/** ListUsers: both documented filter forms, searchable attributes, AttributesToGet, Limit, PaginationToken. */
import { AdminDisableUserCommand, ListUsersCommand, type UserType } from "@aws-sdk/client-cognito-identity-provider";
import { csvOf, runImport, startHarness, stopHarness, testProfile, userValues, type Harness } from "./helpers";

const POOL = testProfile().userPoolId;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ failureThreshold: 100 });
  const rows = Array.from({ length: 130 }, (_, i) => userValues(i, { given_name: i % 2 ? "Odd" : "Even", family_name: `Family${i}` }));
  const { job } = await runImport(h, await csvOf(h, rows));
  if (job.ImportedUsers !== 130) throw new Error("setup import failed");
  await h.cognito.send(new AdminDisableUserCommand({ UserPoolId: POOL, Username: "user5@example.nhs.uk" }));
});
afterAll(async () => stopHarness(h));

async function listAll(filter?: string, limit?: number): Promise<UserType[]> {
  const users: UserType[] = [];
  let token: string | undefined;
  do {
    const page = await h.cognito.send(new ListUsersCommand({ UserPoolId: POOL, Filter: filter, Limit: limit, PaginationToken: token }));
    users.push(...(page.Users ?? []));
    token = page.PaginationToken;
  } while (token);
  return users;
}

describe("ListUsers", () => {
  test('"attribute = "value" (exact)"', async () => {
    const users = await listAll('email = "user7@example.nhs.uk"');
    expect(users.map((u) => u.Username)).toEqual(["user7@example.nhs.uk"]);
  });

  test('"attribute ^= "value" (prefix)" — and the API example form "email"^="testuser"', async () => {
    const a = await listAll('email ^= "user1"');
    const b = await listAll('"email"^="user1"');
    expect(a.length).toBe(1 + 10 + 30);
    expect(b.map((u) => u.Username)).toEqual(a.map((u) => u.Username));
  });

  test('"Searchable: username, … given_name, family_name …, cognito:user_status, status (Enabled/Disabled), sub"', async () => {
    expect((await listAll('given_name = "Odd"')).length).toBe(65);
    expect((await listAll('cognito:user_status = "RESET_REQUIRED"')).length).toBe(130);
    expect((await listAll('status = "Disabled"')).map((u) => u.Username)).toEqual(["user5@example.nhs.uk"]);
    expect((await listAll('username = "user9@example.nhs.uk"')).map((u) => u.Username)).toEqual(["user9@example.nhs.uk"]);
    const sub = (await listAll('username = "user9@example.nhs.uk"'))[0].Attributes?.find((a) => a.Name === "sub")?.Value;
    expect((await listAll(`sub = "${sub}"`)).length).toBe(1);
    expect((await listAll('phone_number ^= "+4477009001"')).length).toBe(10 + 1 * 0 + 20);
  });

  test('"Custom attributes are not searchable" and "Malformed → Error while parsing filter."', async () => {
    for (const f of ['custom:tisId = "x"', "email = user1", 'email == "x"', 'email ~ "x"', 'nonsense = "x"']) {
      await expect(h.cognito.send(new ListUsersCommand({ UserPoolId: POOL, Filter: f }))).rejects.toMatchObject({
        name: "InvalidParameterException",
        message: "Error while parsing filter.",
      });
    }
  });

  test('"A page may hold fewer than Limit users and still carry a token: loop until there is none" — every user exactly once', async () => {
    const users = await listAll(undefined, 7);
    expect(users).toHaveLength(130);
    expect(new Set(users.map((u) => u.Username)).size).toBe(130);
  });

  test("Limit defaults to 60 and caps a page", async () => {
    const page = await h.cognito.send(new ListUsersCommand({ UserPoolId: POOL }));
    expect(page.Users).toHaveLength(60);
    expect(page.PaginationToken).toBeDefined();
  });

  test("AttributesToGet limits the attributes returned", async () => {
    const page = await h.cognito.send(new ListUsersCommand({ UserPoolId: POOL, Limit: 2, AttributesToGet: ["email"] }));
    for (const u of page.Users ?? []) expect(u.Attributes?.map((a) => a.Name)).toEqual(["email"]);
    expect(page.Users?.[0]).toMatchObject({ Enabled: true, UserStatus: "RESET_REQUIRED" });
    expect(page.Users?.[0].UserCreateDate).toBeInstanceOf(Date);
  });

  test("an invalid PaginationToken → InvalidParameterException", async () => {
    await expect(h.cognito.send(new ListUsersCommand({ UserPoolId: POOL, PaginationToken: "garbage" }))).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
  });
});
