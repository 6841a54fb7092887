/**
 * Who gets out (issue 16, item 1 and re-joiners): removal through the engine on the project's emulator, read back
 * with an unmodified SDK client. A user dropped from the files is disabled and taken out of every managed group by
 * default; under `retain` every plan lists them while they still have access; the record keeps them by `sub`, so a
 * later switch to `disable` reaches them without a scan; the mass-removal guard counts them; unmanaged groups are
 * never touched; and a re-joiner keeps their account and `sub`, with their managed groups restored from the files.
 * The record keeps every applied user's `sub`, so a removal costs the same few calls with or without base files; a
 * record written before subs were kept pays one scan, once.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import {
  AdminAddUserToGroupCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CreateGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPool, useEngineWorld } from "../support/emulator-pool";
import type { PoolProfile } from "../../core/profile";
import { declarationsByDigest } from "../../core/base-users";
import { loadRoster } from "../../load/load-roster";
import { type AppliedDigests, declaredPart, recordedSub, removedSubOf, usernameDigest } from "../../core/user-digest";
import { applyRoster, planRoster } from "../../engine/reconcile";
import { traineeEmail, traineeProfile } from "../support/roster-fixture";

const GROUPS = { trainees: { precedence: 10 }, "kss-admins": { precedence: 1 } };

const world = useEngineWorld();

/** Trainees 1..n in users/kss/a.yaml, all in `trainees`, the first also in `kss-admins`; `except` left out. */
function writeKss(n: number, except: readonly number[] = []): void {
  const lines = ["defaults:", "  mfa_enabled: true", "  email_verified: true", "  groups: [trainees]", "users:"];
  for (let i = 1; i <= n; i++) {
    if (except.includes(i)) continue;
    lines.push(
      `  - username: ${traineeEmail(i)}`,
      `    email: ${traineeEmail(i)}`,
      "    given_name: Testname",
      "    family_name: Synthetic",
      `    custom:tisId: "${700000 + i}"`,
    );
    if (i === 1) lines.push("    groups: [kss-admins]");
  }
  const file = path.join(world.checkout.usersDir, "kss/a.yaml");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join("\n")}\n`);
}

async function newPool(overrides: Partial<PoolProfile> = {}): Promise<PoolProfile> {
  const { removedUsers: _fixtureDefault, ...fixture } = traineeProfile({ groups: GROUPS, maxRemovalFraction: 0.5 });
  // The product's default removal policy unless a test names one.
  const profile: PoolProfile = { ...fixture, removedUsers: "disable", ...overrides };
  await createPool(world.emulator, profile);
  return profile;
}

const runOf = world.runOf;

async function account(profile: PoolProfile, n: number): Promise<{ enabled: boolean; sub: string; groups: string[] }> {
  const user = await world.cognito.send(new AdminGetUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(n) }));
  const groups = await world.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(n) }));
  return {
    enabled: user.Enabled ?? true,
    sub: user.UserAttributes?.find((a) => a.Name === "sub")?.Value ?? "",
    groups: (groups.Groups ?? []).map((g) => g.GroupName ?? "").sort(),
  };
}

const digestOf = (profile: PoolProfile, n: number) => usernameDigest(profile.userPoolId, traineeEmail(n), false);

test("by default a removed user is disabled and leaves every managed group; an unmanaged group is never touched", async () => {
  const profile = await newPool();
  writeKss(4);
  const first = await applyRoster(runOf(profile));
  await world.cognito.send(new CreateGroupCommand({ UserPoolId: profile.userPoolId, GroupName: "pilot" }));
  await world.cognito.send(
    new AdminAddUserToGroupCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(1), GroupName: "pilot" }),
  );

  writeKss(4, [1]); // the office administrator leaves
  const planned = await planRoster(runOf(profile, first));
  expect(planned.plan.remove).toMatchObject([{ usernameDigest: digestOf(profile, 1), action: "disable", enabled: true }]);
  expect(planned.plan.memberships?.changes.map((c) => `${c.action} ${c.group}`).sort()).toEqual(["remove kss-admins", "remove trainees"]);

  const second = await applyRoster(runOf(profile, first));
  expect(second).toMatchObject({ removed: 1, membershipsRemoved: 2, failed: [] });
  expect(await account(profile, 1)).toMatchObject({ enabled: false, groups: ["pilot"] });
  // Resolved: forgotten by the record, in no later plan.
  expect(second.applied[digestOf(profile, 1)]).toBeUndefined();
  const third = await planRoster(runOf(profile, second));
  expect(third.plan.remove).toEqual([]);
});

test("retain: every plan lists a removed user with access, found by sub without a scan; switching to disable later reaches them", async () => {
  const retain = await newPool({ removedUsers: "retain" });
  writeKss(4);
  const first = await applyRoster(runOf(retain));
  const { sub } = await account(retain, 2);

  writeKss(4, [2]);
  const second = await applyRoster(runOf(retain, first));
  expect(second.plan.remove).toMatchObject([{ usernameDigest: digestOf(retain, 2), action: "retain", enabled: true }]);
  expect(removedSubOf(second.applied[digestOf(retain, 2)])).toBe(sub);
  expect(await account(retain, 2)).toMatchObject({ enabled: true, groups: ["trainees"] });

  for (let run = 0; run < 2; run++) {
    world.emulator.resetCallCounts();
    const again = await planRoster(runOf(retain, second));
    expect(again.plan.remove).toMatchObject([{ usernameDigest: digestOf(retain, 2), action: "retain" }]);
    expect(world.emulator.callCounts().ListUsers ?? 0).toBe(0);
  }
  const third = await applyRoster(runOf(retain, second));
  expect(third.plan.remove).toHaveLength(1);

  world.emulator.resetCallCounts();
  const disabled = await applyRoster(runOf({ ...retain, removedUsers: "disable" }, third));
  expect(disabled).toMatchObject({ removed: 1, membershipsRemoved: 1, failed: [] });
  expect(world.emulator.callCounts().ListUsers ?? 0).toBe(0);
  expect(await account(retain, 2)).toMatchObject({ enabled: false, groups: [] });
  expect(disabled.applied[digestOf(retain, 2)]).toBeUndefined();
});

test("retain: a removed user disabled but still in a managed group still has access; resolved once out of band they have none", async () => {
  const retain = await newPool({ removedUsers: "retain" });
  writeKss(3);
  const first = await applyRoster(runOf(retain));
  writeKss(3, [1]);
  const second = await applyRoster(runOf(retain, first));
  await world.cognito.send(new AdminDisableUserCommand({ UserPoolId: retain.userPoolId, Username: traineeEmail(1) }));

  const stillInGroups = await planRoster(runOf(retain, second));
  expect(stillInGroups.plan.remove).toMatchObject([{ action: "retain", enabled: false }]);

  for (const group of ["trainees", "kss-admins"])
    await world.cognito.send(
      new AdminRemoveUserFromGroupCommand({ UserPoolId: retain.userPoolId, Username: traineeEmail(1), GroupName: group }),
    );
  const resolved = await applyRoster(runOf(retain, second));
  expect(resolved.plan.remove).toEqual([]);
  expect(resolved.applied[digestOf(retain, 1)]).toBeUndefined();
});

/** The calls of an apply that removes one user, whatever the pool's size: no ListUsers. */
const ONE_REMOVAL = {
  ListUserImportJobs: 1,
  DescribeUserPool: 1,
  ListGroups: 1,
  AdminGetUser: 1,
  AdminListGroupsForUser: 1,
  AdminRemoveUserFromGroup: 1,
  AdminDisableUser: 1,
};

/** A pool holding `others` accounts the roster does not manage, so a scan would cost several ListUsers pages. */
async function crowd(profile: PoolProfile, others: number): Promise<void> {
  for (let i = 0; i < others; i++)
    await world.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: profile.userPoolId,
        Username: `other.${i}@example.com`,
        UserAttributes: [{ Name: "email", Value: `other.${i}@example.com` }],
        MessageAction: "SUPPRESS",
      }),
    );
}

test("named by the base files, a removal costs one read per removed user, never a scan", async () => {
  const profile = await newPool();
  writeKss(6);
  const first = await applyRoster(runOf(profile));
  const base = declarationsByDigest(
    loadRoster({ usersDir: world.checkout.usersDir, repoRoot: world.checkout.repoRoot, profile }).users,
    "users",
    profile,
  );
  writeKss(6, [5]);
  world.emulator.resetCallCounts();
  const second = await applyRoster(runOf(profile, first, { base }));
  expect(second).toMatchObject({ removed: 1, failed: [] });
  expect(world.emulator.callCounts().ListUsers ?? 0).toBe(0);
  // O(changes): the same 7 calls whatever the pool's size.
  expect(second.awsCallsByOperation).toEqual(ONE_REMOVAL);
  expect(await account(profile, 5)).toMatchObject({ enabled: false, groups: [] });
});

test("without base files, a removed user is read by the sub the record kept: the same 7 calls in a pool a scan would page through", async () => {
  const profile = await newPool();
  writeKss(6);
  const first = await applyRoster(runOf(profile));
  for (const n of [1, 6]) expect(recordedSub(first.applied[digestOf(profile, n)])).toBe((await account(profile, n)).sub);
  await crowd(profile, 130); // three ListUsers pages

  writeKss(6, [6]); // a local apply, or the scheduled catch-up after a failed push apply: no base
  const progress: string[] = [];
  world.emulator.resetCallCounts();
  const second = await applyRoster(runOf(profile, first, { progress: (m) => progress.push(m) }));
  expect(second).toMatchObject({ removed: 1, membershipsRemoved: 1, failed: [] });
  expect(second.awsCallsByOperation).toEqual(ONE_REMOVAL);
  expect(world.emulator.callCounts().ListUsers ?? 0).toBe(0);
  expect(progress.join("\n")).not.toMatch(/ListUsers scan/);
  expect(await account(profile, 6)).toMatchObject({ enabled: false, groups: [] });
  expect(second.applied[digestOf(profile, 6)]).toBeUndefined();

  // Two more at once: two reads, still no scan.
  writeKss(6, [4, 5, 6]);
  world.emulator.resetCallCounts();
  const third = await applyRoster(runOf(profile, second));
  expect(third).toMatchObject({ removed: 2, failed: [] });
  expect(third.awsCallsByOperation).toMatchObject({ AdminGetUser: 2, AdminDisableUser: 2 });
  expect(third.awsCallsByOperation.ListUsers).toBeUndefined();
});

/** The record as the previous version wrote it: the same digests, no subs. */
function withoutSubs(applied: AppliedDigests): AppliedDigests {
  return Object.fromEntries(Object.entries(applied).map(([k, v]) => [k, declaredPart(v)]));
}

test("a record written before subs were kept: the first removal nothing names pays one scan, which fills in every sub", async () => {
  const profile = await newPool();
  writeKss(6);
  const first = await applyRoster(runOf(profile));
  const legacy = { ...first, applied: withoutSubs(first.applied) };
  await crowd(profile, 70);

  // Nothing removed: no scan just to fill the subs in, and the record stays as it was.
  world.emulator.resetCallCounts();
  const quiet = await applyRoster(runOf(profile, legacy));
  expect(quiet.awsCallsByOperation.ListUsers).toBeUndefined();
  expect(recordedSub(quiet.applied[digestOf(profile, 3)])).toBeUndefined();

  writeKss(6, [6]);
  const progress: string[] = [];
  const scanned = await applyRoster(runOf(profile, quiet, { progress: (m) => progress.push(m) }));
  expect(scanned).toMatchObject({ removed: 1, failed: [] });
  expect(scanned.awsCallsByOperation.ListUsers).toBe(2); // 76 users, 60 a page
  expect(progress).toContain("1 user no longer declared, not named by base files or a recorded sub: finding them with one ListUsers scan");
  for (const n of [1, 2, 3, 4, 5]) expect(recordedSub(scanned.applied[digestOf(profile, n)])).toBe((await account(profile, n)).sub);

  writeKss(6, [5, 6]);
  const after = await applyRoster(runOf(profile, scanned));
  expect(after).toMatchObject({ removed: 1, failed: [] });
  expect(after.awsCallsByOperation).toEqual(ONE_REMOVAL);
});

test("an account re-created by hand under a removed user's username loses access: the missed sub costs one scan, once", async () => {
  const profile = await newPool();
  writeKss(3);
  const first = await applyRoster(runOf(profile));
  await world.cognito.send(new AdminDeleteUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(3) }));
  await world.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: profile.userPoolId,
      Username: traineeEmail(3),
      UserAttributes: [{ Name: "email", Value: traineeEmail(3) }],
      MessageAction: "SUPPRESS",
    }),
  );

  // The files no longer give the username access: whoever re-created the account, it is disabled, as the base files
  // (which name the username) would have had it.
  writeKss(3, [3]);
  const progress: string[] = [];
  world.emulator.resetCallCounts();
  const second = await applyRoster(runOf(profile, first, { progress: (m) => progress.push(m) }));
  expect(progress).toContain("1 user no longer declared, not named by base files or a recorded sub: finding them with one ListUsers scan");
  expect(second.awsCallsByOperation.ListUsers).toBe(1);
  expect(second).toMatchObject({ removed: 1, failed: [] });
  expect(await account(profile, 3)).toMatchObject({ enabled: false });

  // A user whose account is simply gone: the missed sub's scan finds nothing, and the record lets them go.
  await world.cognito.send(new AdminDeleteUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(2) }));
  writeKss(3, [2, 3]);
  const third = await applyRoster(runOf(profile, second));
  expect(third).toMatchObject({ removed: 0, failed: [] });
  expect(third.applied[digestOf(profile, 2)]).toBeUndefined();
  const fourth = await applyRoster(runOf(profile, third));
  expect(fourth.awsCallsByOperation.ListUsers).toBeUndefined();
});

test("a record bound to another pool: its subs are not used, the removed user is found by the scan", async () => {
  const profile = await newPool();
  writeKss(3);
  const first = await applyRoster(runOf(profile));
  writeKss(3, [2]);
  const unbound = { ...first, binding: { ...first.binding, createdAt: first.binding.createdAt - 1 } };
  world.emulator.resetCallCounts();
  const second = await applyRoster(runOf(profile, unbound));
  expect(second).toMatchObject({ removed: 1, failed: [] });
  expect(second.awsCallsByOperation.ListUsers).toBeGreaterThan(0);
});

test("the mass-removal guard counts removed users still holding access from earlier applies", async () => {
  const retain = await newPool({ removedUsers: "retain", maxRemovalFraction: 0.25 });
  writeKss(8);
  const first = await applyRoster(runOf(retain));
  writeKss(8, [7, 8]);
  const second = await applyRoster(runOf(retain, first));
  writeKss(8, [6, 7, 8]);
  const refused = await planRoster(runOf({ ...retain, removedUsers: "disable" }, second));
  expect(refused.plan.refused).toMatch(/^refusing to disable 3 of 8 managed users/);
});

test("a re-joiner keeps their account and sub; their managed groups come back from the files, without an import", async () => {
  const profile = await newPool();
  writeKss(3);
  const first = await applyRoster(runOf(profile));
  const before = await account(profile, 1);
  writeKss(3, [1]);
  const removed = await applyRoster(runOf(profile, first));
  expect(await account(profile, 1)).toMatchObject({ enabled: false, groups: [] });

  writeKss(3);
  const back = await applyRoster(runOf(profile, removed));
  expect(back).toMatchObject({ imported: 0, enabled: 1, membershipsAdded: 2, failed: [] });
  expect(back.jobs).toEqual([]);
  expect(await account(profile, 1)).toEqual({ enabled: true, sub: before.sub, groups: ["kss-admins", "trainees"] });
  expect((await planRoster(runOf(profile, back))).plan.enable).toEqual([]);
});

/** The calendar the engine reads the day from, moved by the test: no real waiting for midnight. */
function clockAt(iso: string) {
  let now = Date.parse(iso);
  return {
    now: () => now,
    set(next: string) {
      now = Date.parse(next);
    },
  };
}

/** users/kss/dated.yaml: trainee 31 starts on 4 August 2027, trainee 32 ends that day (both in `trainees`), trainee 33 has no dates. */
function writeDated(): void {
  const lines = ["defaults:", "  mfa_enabled: true", "  email_verified: true", "  groups: [trainees]", "users:"];
  for (const [n, date] of [
    [31, "    startDate: 2027-08-04"],
    [32, "    endDate: 2027-08-04"],
    [33, ""],
  ] as const) {
    lines.push(`  - username: ${traineeEmail(n)}`, `    email: ${traineeEmail(n)}`, "    given_name: Testname", `    custom:tisId: "${n}"`);
    if (date) lines.push(date);
  }
  const file = path.join(world.checkout.usersDir, "kss/dated.yaml");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join("\n")}\n`);
}

test("dates cross midnight in the stack's time zone, not in UTC: a start is imported and an end disabled by the first apply of the day", async () => {
  const profile = await newPool({ timeZone: "Europe/London" });
  writeDated();
  // 23:30 in London on 3 August (22:30 UTC): the starter waits, the leaver still has access.
  const clock = clockAt("2027-08-03T22:30:00Z");
  const evening = await applyRoster(runOf(profile, undefined, { calendar: clock }));
  expect(evening.plan.import.map((p) => p.username)).toEqual([traineeEmail(32), traineeEmail(33)]);
  expect(evening.plan.dates).toMatchObject({ today: "2027-08-03", timeZone: "Europe/London" });
  expect(evening.plan.dates?.due.map((d) => `${d.kind} ${d.date} ${d.username}`)).toEqual([
    `start 2027-08-04 ${traineeEmail(31)}`,
    `end 2027-08-04 ${traineeEmail(32)}`,
  ]);
  expect(await account(profile, 32)).toMatchObject({ enabled: true, groups: ["trainees"] });
  const nobody = await world.cognito
    .send(new AdminGetUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(31) }))
    .catch((e) => e);
  expect(nobody.name).toBe("UserNotFoundException");

  // Still the 3rd in London at 22:59 UTC: nothing to do, nothing read.
  clock.set("2027-08-03T22:59:59Z");
  const late = await planRoster(runOf(profile, evening, { calendar: clock }));
  expect([late.plan.import, late.plan.disable, late.plan.memberships?.changes]).toEqual([[], [], []]);

  // Five minutes past midnight in London (23:05 UTC, still the 3rd in UTC): the day has come, without a pull request.
  clock.set("2027-08-03T23:05:00Z");
  world.emulator.resetCallCounts();
  const morning = await applyRoster(runOf(profile, evening, { calendar: clock }));
  expect(morning.plan.import.map((p) => p.username)).toEqual([traineeEmail(31)]);
  expect(morning.plan.disable.map((p) => p.username)).toEqual([traineeEmail(32)]);
  expect(morning).toMatchObject({ imported: 1, disabled: 1, membershipsAdded: 1, membershipsRemoved: 1, failed: [] });
  expect(world.emulator.callCounts().ListUsers ?? 0).toBe(0);
  // O(changes), no scan: one read of each dated user, one more of the starter's new
  // `sub`, one of the leaver's groups; the rest is the import job's and the memberships' own.
  expect(morning.awsCallsByOperation).toMatchObject({
    DescribeUserPool: 1,
    AdminGetUser: 3,
    AdminListGroupsForUser: 1,
    AdminDisableUser: 1,
  });
  expect(await account(profile, 31)).toMatchObject({ enabled: true, groups: ["trainees"] });
  expect(await account(profile, 32)).toMatchObject({ enabled: false, groups: [] });
  expect(await account(profile, 33)).toMatchObject({ enabled: true, groups: ["trainees"] });

  // The next run that day has nothing to do.
  const again = await planRoster(runOf(profile, morning, { calendar: clock }));
  expect([again.plan.import, again.plan.disable, again.plan.enable, again.plan.memberships?.changes]).toEqual([[], [], [], []]);
});
