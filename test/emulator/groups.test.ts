/**
 * User pool groups in the emulator (emulator/groups.ts), through unmodified SDK v3 clients. Each test quotes or names
 * the statement it checks: the Cognito API reference (CreateGroup … ListUsersInGroup), the botocore model's shapes,
 * the developer guide's "Quotas" page, and moto's answers where the reference gives no message.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { errorOf, startHarness, stopHarness, testProfile, type Harness } from "./helpers";

const POOL = testProfile().userPoolId;
let h: Harness | undefined;
afterEach(async () => {
  await stopHarness(h);
  h = undefined;
});

async function user(name: string): Promise<void> {
  // The test pool requires email.
  await h!.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: POOL,
      Username: name,
      MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: name }],
    }),
  );
}
const add = (Username: string, GroupName: string) =>
  h!.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: POOL, Username, GroupName }));
const remove = (Username: string, GroupName: string) =>
  h!.cognito.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: POOL, Username, GroupName }));

async function members(GroupName: string, Limit?: number): Promise<{ names: string[]; calls: number }> {
  const names: string[] = [];
  let NextToken: string | undefined;
  let calls = 0;
  do {
    const out = await h!.cognito.send(new ListUsersInGroupCommand({ UserPoolId: POOL, GroupName, Limit, NextToken }));
    calls++;
    names.push(...(out.Users ?? []).map((u) => u.Username ?? ""));
    NextToken = out.NextToken;
  } while (NextToken);
  return { names, calls };
}

async function groupsOf(Username: string): Promise<string[]> {
  const out = await h!.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: POOL, Username }));
  return (out.Groups ?? []).map((g) => g.GroupName ?? "");
}

test("CreateGroup / GetGroup / UpdateGroup / DeleteGroup: the GroupType shape, and only the given members change", async () => {
  h = await startHarness();
  const created = await h.cognito.send(
    new CreateGroupCommand({ UserPoolId: POOL, GroupName: "trainees", Description: "Every trainee", Precedence: 10 }),
  );
  expect(created.Group).toMatchObject({ GroupName: "trainees", UserPoolId: POOL, Description: "Every trainee", Precedence: 10 });
  expect(created.Group?.CreationDate).toBeInstanceOf(Date);
  expect(created.Group?.RoleArn).toBeUndefined();

  const roleArn = "arn:aws:iam::000000000000:role/trainees";
  h.now.ms += 1000;
  const updated = await h.cognito.send(new UpdateGroupCommand({ UserPoolId: POOL, GroupName: "trainees", RoleArn: roleArn }));
  expect(updated.Group).toMatchObject({ Description: "Every trainee", Precedence: 10, RoleArn: roleArn });
  expect(updated.Group!.LastModifiedDate!.getTime()).toBeGreaterThan(updated.Group!.CreationDate!.getTime());
  expect((await h.cognito.send(new GetGroupCommand({ UserPoolId: POOL, GroupName: "trainees" }))).Group).toEqual(updated.Group);

  await h.cognito.send(new DeleteGroupCommand({ UserPoolId: POOL, GroupName: "trainees" }));
  expect(await errorOf(h.cognito.send(new GetGroupCommand({ UserPoolId: POOL, GroupName: "trainees" })))).toMatchObject({
    name: "ResourceNotFoundException",
    message: "Group not found.",
  });
});

test("documented errors: an existing name, an unknown group, an unknown user, an unknown pool, model constraints", async () => {
  h = await startHarness();
  await h.cognito.send(new CreateGroupCommand({ UserPoolId: POOL, GroupName: "g" }));
  expect(await errorOf(h.cognito.send(new CreateGroupCommand({ UserPoolId: POOL, GroupName: "g" })))).toMatchObject({
    name: "GroupExistsException",
  });
  for (const call of [
    h.cognito.send(new UpdateGroupCommand({ UserPoolId: POOL, GroupName: "nope" })),
    h.cognito.send(new DeleteGroupCommand({ UserPoolId: POOL, GroupName: "nope" })),
    h.cognito.send(new ListUsersInGroupCommand({ UserPoolId: POOL, GroupName: "nope" })),
    add("anyone", "nope"),
  ]) {
    expect(await errorOf(call)).toMatchObject({ name: "ResourceNotFoundException", message: "Group not found." });
  }
  expect(await errorOf(add("nobody", "g"))).toMatchObject({ name: "UserNotFoundException", message: "User does not exist." });
  expect(await errorOf(h.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: POOL, Username: "nobody" })))).toMatchObject({
    name: "UserNotFoundException",
  });
  expect(await errorOf(h.cognito.send(new ListGroupsCommand({ UserPoolId: "eu-west-2_nope" })))).toMatchObject({
    name: "ResourceNotFoundException",
    message: "User pool eu-west-2_nope does not exist.",
  });
  // GroupNameType: 1-128 of [\p{L}\p{M}\p{S}\p{N}\p{P}]+ (no spaces); PrecedenceType min 0; QueryLimitType 0-60.
  expect(await errorOf(h.cognito.send(new CreateGroupCommand({ UserPoolId: POOL, GroupName: "two words" })))).toMatchObject({
    name: "InvalidParameterException",
  });
  expect(await errorOf(h.cognito.send(new CreateGroupCommand({ UserPoolId: POOL, GroupName: "x".repeat(129) })))).toMatchObject({
    name: "InvalidParameterException",
  });
  expect(await errorOf(h.cognito.send(new CreateGroupCommand({ UserPoolId: POOL, GroupName: "neg", Precedence: -1 })))).toMatchObject({
    name: "InvalidParameterException",
  });
  expect(await errorOf(h.cognito.send(new ListGroupsCommand({ UserPoolId: POOL, Limit: 61 })))).toMatchObject({
    name: "InvalidParameterException",
  });
  expect(await errorOf(h.cognito.send(new ListGroupsCommand({ UserPoolId: POOL, NextToken: "garbage" })))).toMatchObject({
    name: "InvalidParameterException",
  });
});

test("adding a member twice and removing a non-member succeed and change nothing; the username is case-folded in a case-insensitive pool", async () => {
  h = await startHarness();
  await h.cognito.send(new CreateGroupCommand({ UserPoolId: POOL, GroupName: "g" }));
  await user("ada@example.com");
  await add("ada@example.com", "g");
  await add("ADA@example.com", "g"); // the test pool is case-insensitive
  expect((await members("g")).names).toEqual(["ada@example.com"]);
  await remove("ada@example.com", "g");
  await remove("ada@example.com", "g");
  expect((await members("g")).names).toEqual([]);
});

test("pagination: ListGroups, ListUsersInGroup and AdminListGroupsForUser pages of at most Limit (60 by default), with NextToken", async () => {
  h = await startHarness();
  for (let i = 0; i < 65; i++)
    await h.cognito.send(new CreateGroupCommand({ UserPoolId: POOL, GroupName: `g${String(i).padStart(2, "0")}` }));
  const first = await h.cognito.send(new ListGroupsCommand({ UserPoolId: POOL }));
  expect(first.Groups).toHaveLength(60);
  const second = await h.cognito.send(new ListGroupsCommand({ UserPoolId: POOL, NextToken: first.NextToken }));
  expect(second.Groups).toHaveLength(5);
  expect(second.NextToken).toBeUndefined();

  for (let i = 0; i < 7; i++) {
    await user(`user${i}@example.com`);
    await add(`user${i}@example.com`, "g00");
  }
  const paged = await members("g00", 3);
  expect(paged.names).toEqual(Array.from({ length: 7 }, (_, i) => `user${i}@example.com`));
  expect(paged.calls).toBe(3);

  // Removing a member between pages neither repeats nor skips the others.
  const page1 = await h.cognito.send(new ListUsersInGroupCommand({ UserPoolId: POOL, GroupName: "g00", Limit: 3 }));
  await remove("user1@example.com", "g00");
  await remove("user4@example.com", "g00");
  const page2 = await h.cognito.send(
    new ListUsersInGroupCommand({ UserPoolId: POOL, GroupName: "g00", Limit: 3, NextToken: page1.NextToken }),
  );
  expect((page2.Users ?? []).map((u) => u.Username)).toEqual(["user3@example.com", "user5@example.com", "user6@example.com"]);

  for (let i = 1; i <= 3; i++) await add("user0@example.com", `g${String(i).padStart(2, "0")}`);
  const forUser = await h.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: POOL, Username: "user0@example.com", Limit: 2 }));
  expect(forUser.Groups?.map((g) => g.GroupName)).toEqual(["g00", "g01"]);
  const rest = await h.cognito.send(
    new AdminListGroupsForUserCommand({ UserPoolId: POOL, Username: "user0@example.com", Limit: 2, NextToken: forUser.NextToken }),
  );
  expect(rest.Groups?.map((g) => g.GroupName)).toEqual(["g02", "g03"]);
  expect(rest.NextToken).toBeUndefined();
});

test("ListUsersInGroup returns UserType (attributes, status, enabled)", async () => {
  h = await startHarness();
  await h.cognito.send(new CreateGroupCommand({ UserPoolId: POOL, GroupName: "g" }));
  await user("ada@example.com");
  await add("ada@example.com", "g");
  const out = await h.cognito.send(new ListUsersInGroupCommand({ UserPoolId: POOL, GroupName: "g" }));
  expect(out.Users?.[0]).toMatchObject({ Username: "ada@example.com", Enabled: true, UserStatus: "FORCE_CHANGE_PASSWORD" });
  expect(out.Users?.[0].Attributes?.some((a) => a.Name === "sub")).toBe(true);
});

test("memberships belong to the account: a deleted user leaves every group, and a new user with the same name starts in none", async () => {
  h = await startHarness();
  await h.cognito.send(new CreateGroupCommand({ UserPoolId: POOL, GroupName: "g" }));
  await user("ada@example.com");
  await add("ada@example.com", "g");
  await h.cognito.send(new AdminDeleteUserCommand({ UserPoolId: POOL, Username: "ada@example.com" }));
  expect((await members("g")).names).toEqual([]);
  await user("ada@example.com");
  expect(await groupsOf("ada@example.com")).toEqual([]);
});

test("quotas page: a user belongs to at most 100 groups", async () => {
  h = await startHarness();
  await user("ada@example.com");
  for (let i = 0; i < 101; i++) await h.cognito.send(new CreateGroupCommand({ UserPoolId: POOL, GroupName: `g${i}` }));
  for (let i = 0; i < 100; i++) await add("ada@example.com", `g${i}`);
  expect(await errorOf(add("ada@example.com", "g100"))).toMatchObject({ name: "InvalidParameterException" });
  // Adding again a group the user is already in is still fine at the limit.
  await add("ada@example.com", "g5");
});

test("quota categories (with quotas: aws): AdminAddUserToGroup is UserResourceUpdate, 25 requests/s", async () => {
  h = await startHarness({ quotas: "aws" });
  await h.cognito.send(new CreateGroupCommand({ UserPoolId: POOL, GroupName: "g" }));
  for (let i = 0; i < 30; i++) await user(`u${i}@example.com`);
  h.now.ms += 1000;
  for (let i = 0; i < 25; i++) await add(`u${i}@example.com`, "g");
  expect(await errorOf(add("u25@example.com", "g"))).toMatchObject({ name: "TooManyRequestsException" });
  // Another category is not affected: AdminListGroupsForUser is UserResourceRead.
  expect(await groupsOf("u0@example.com")).toEqual(["g"]);
  h.now.ms += 1000;
  await add("u25@example.com", "g");
});

test("groups and memberships survive a restart (state file)", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "groups-state-"));
  try {
    const stateFile = path.join(dir, "state.ndjson");
    h = await startHarness({ stateFile });
    await h.cognito.send(new CreateGroupCommand({ UserPoolId: POOL, GroupName: "g", Description: "d", Precedence: 3 }));
    await user("ada@example.com");
    await user("bo@example.com");
    await add("ada@example.com", "g");
    await add("bo@example.com", "g");
    await h.cognito.send(new AdminDeleteUserCommand({ UserPoolId: POOL, Username: "bo@example.com" }));
    await stopHarness(h);
    h = await startHarness({ stateFile }, []);
    expect((await h.cognito.send(new GetGroupCommand({ UserPoolId: POOL, GroupName: "g" }))).Group).toMatchObject({
      Description: "d",
      Precedence: 3,
    });
    expect((await members("g")).names).toEqual(["ada@example.com"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
