/**
 * The documented inconsistencies, as opt-in faults/settings (off by default): ListUsers lag and short pages
 * [API ListUsers], GetLogEvents partial/empty pages and ingestion delay [LOGS GetLogEvents].
 */
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  ListUsersCommand,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { FaultRegistry } from "../../emulator/faults";
import { csvOf, runImport, startHarness, stopHarness, testProfile, userValues, type Harness } from "./helpers";

const POOL = testProfile().userPoolId;
const GROUP = `/aws/cognito/userpools/${POOL}/${testProfile().userPoolName}`;
let h: Harness | undefined;
afterEach(async () => {
  await stopHarness(h);
  h = undefined;
});

async function listAll(hh: Harness, limit = 60): Promise<{ users: UserType[]; pages: { size: number; token?: string }[] }> {
  const users: UserType[] = [];
  const pages: { size: number; token?: string }[] = [];
  let token: string | undefined;
  do {
    const page = await hh.cognito.send(new ListUsersCommand({ UserPoolId: POOL, Limit: limit, PaginationToken: token }));
    users.push(...(page.Users ?? []));
    token = page.PaginationToken;
    pages.push({ size: page.Users?.length ?? 0, token });
  } while (token);
  return { users, pages };
}

const create = (hh: Harness, name: string) =>
  hh.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: POOL,
      Username: name,
      MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: name }],
    }),
  );
const usernames = async (hh: Harness) => (await listAll(hh)).users.map((u) => u.Username).sort();

describe('ListUsers: "You might experience a delay before results are up-to-date. To validate the existence or configuration of an individual user, use AdminGetUser."', () => {
  test("with a lag, new users appear in ListUsers only after it; AdminGetUser sees them at once", async () => {
    h = await startHarness({ listUsersLagMs: 5000 });
    await create(h, "new@example.com");
    expect((await h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "new@example.com" }))).Username).toBe(
      "new@example.com",
    );
    expect(await usernames(h)).toEqual([]);
    h.now.ms += 5000;
    expect(await usernames(h)).toEqual(["new@example.com"]);
  });

  test("changes, disables and deletes reach ListUsers only after the lag", async () => {
    h = await startHarness();
    await create(h, "a@example.com");
    await create(h, "b@example.com");
    h.emulator.faults.setListUsersLag(2000);
    h.now.ms += 5000; // both users are old enough to be listed
    await h.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: POOL,
        Username: "a@example.com",
        UserAttributes: [{ Name: "given_name", Value: "Late" }],
      }),
    );
    await h.cognito.send(new AdminDisableUserCommand({ UserPoolId: POOL, Username: "a@example.com" }));
    await h.cognito.send(new AdminDeleteUserCommand({ UserPoolId: POOL, Username: "b@example.com" }));
    let listed = (await listAll(h)).users;
    expect(listed.map((u) => u.Username).sort()).toEqual(["a@example.com", "b@example.com"]);
    const a = listed.find((u) => u.Username === "a@example.com");
    expect(a?.Enabled).toBe(true);
    expect(a?.Attributes?.map((x) => x.Name).sort()).toEqual(["email", "sub"]);
    expect((await h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "a@example.com" }))).Enabled).toBe(false);
    h.now.ms += 2000;
    listed = (await listAll(h)).users;
    expect(listed.map((u) => u.Username)).toEqual(["a@example.com"]);
    expect(listed[0]).toMatchObject({ Enabled: false });
    expect(listed[0].Attributes?.find((x) => x.Name === "given_name")?.Value).toBe("Late");
  });

  test("users an import job created are late in ListUsers too", async () => {
    h = await startHarness({ listUsersLagMs: 1000 });
    const { job } = await runImport(h, await csvOf(h, [userValues(1), userValues(2)]));
    expect(job.ImportedUsers).toBe(2);
    expect(await usernames(h)).toEqual([]);
    h.now.ms += 1000;
    expect(await usernames(h)).toEqual(["user1@example.nhs.uk", "user2@example.nhs.uk"]);
  });

  test("off by default: ListUsers is current", async () => {
    h = await startHarness();
    await create(h, "now@example.com");
    expect(await usernames(h)).toEqual(["now@example.com"]);
  });
});

test('ListUsers short pages: "this operation might return fewer items than you specify in the Limit parameter without having reached the end of the full list. If the response contains a PaginationToken, then there are more results."', async () => {
  h = await startHarness();
  for (let i = 0; i < 25; i++) await create(h, `short${i}@example.com`);
  h.emulator.faults.shortListUsersPages();
  const { users, pages } = await listAll(h, 10);
  expect(users).toHaveLength(25);
  expect(new Set(users.map((u) => u.Username)).size).toBe(25);
  const midScan = pages.slice(0, -1);
  expect(midScan.some((p) => p.size === 0)).toBe(true);
  expect(midScan.filter((p) => !(p.size < 10 && p.token !== undefined))).toEqual([]);
  expect(new Set(pages.map((p) => p.token)).size).toBe(pages.length); // no token repeats
  h.emulator.faults.clear();
  expect((await listAll(h, 10)).pages.map((p) => p.size)).toEqual([10, 10, 5]);
});

describe("GetLogEvents", () => {
  async function readStream(hh: Harness, stream: string, limit: number): Promise<{ messages: string[]; pages: number[]; calls: number }> {
    const messages: string[] = [];
    const pages: number[] = [];
    let token: string | undefined;
    for (let calls = 1; calls < 1000; calls++) {
      const out = await hh.logs.send(
        new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, startFromHead: true, limit, nextToken: token }),
      );
      messages.push(...(out.events ?? []).map((e) => e.message ?? ""));
      pages.push(out.events?.length ?? 0);
      // "As long as the nextForwardToken … is NOT equal to the nextToken that you passed, there might be more log events."
      if (token !== undefined && out.nextForwardToken === token) return { messages, pages, calls };
      token = out.nextForwardToken;
    }
    throw new Error("the stream never ended");
  }

  test('"A returned page might only be partially full, or even empty" — the end is only the same nextForwardToken handed back', async () => {
    h = await startHarness({ failureThreshold: 100 });
    const { job } = await runImport(
      h,
      await csvOf(
        h,
        Array.from({ length: 30 }, (_, i) => userValues(i)),
      ),
    );
    h.emulator.faults.partialLogPages();
    const { messages, pages } = await readStream(h, `${job.JobId}/test-job`, 10);
    expect(messages).toEqual(Array.from({ length: 30 }, (_, i) => `[SUCCEEDED] Line Number ${i + 1} - The import succeeded.`));
    expect(pages.slice(0, -1).some((n) => n === 0)).toBe(true);
    expect(pages.slice(0, -1).some((n) => n > 0 && n < 10)).toBe(true);
  });

  test("ingestion is asynchronous: with an ingestion delay, events become readable only that long after they are written", async () => {
    h = await startHarness({ logIngestionDelayMs: 10_000 });
    const { job } = await runImport(h, await csvOf(h, [userValues(1), userValues(2)]));
    expect(job.Status).toBe("Succeeded");
    const early = await readStream(h, `${job.JobId}/test-job`, 100);
    expect(early.messages).toEqual([]);
    h.now.ms += 10_000;
    const late = await readStream(h, `${job.JobId}/test-job`, 100);
    expect(late.messages).toHaveLength(2);
    expect(
      (await h.logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: `${job.JobId}/test-job`, startFromHead: true })))
        .events?.[0].ingestionTime,
    ).toBe(h.now.ms);
  });
});

test("the new faults have --fault specs", () => {
  const f = new FaultRegistry();
  f.apply("list-users-lag:1500");
  f.apply("log-ingestion-delay:2500");
  f.apply("list-users-short-pages");
  f.apply("log-partial-pages:3");
  expect(f.listUsersLagMs).toBe(1500);
  expect(f.logIngestionDelayMs).toBe(2500);
  expect(f.takeShortPage("listUsers", 10)).toBeLessThan(10);
  expect(() => f.apply("list-users-lag")).toThrow(/list-users-lag:MS/);
  expect(() => f.apply("log-ingestion-delay:soon")).toThrow();
  f.clear();
  expect(f.listUsersLagMs).toBe(0);
  expect(f.takeShortPage("logs", 10)).toBe(10);
});
