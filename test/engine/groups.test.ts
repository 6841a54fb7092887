/**
 * Group memberships end to end (issue 12): users files with `groups:` applied to the project's emulator through the
 * engine, memberships read back with an unmodified SDK client. Checks what the issue names: memberships added after
 * import, changed and removed by the files, a membership in a group the stack does not manage surviving every
 * apply, the cost of a membership-only pull request (≤ k + 10 calls), the removal policy, a missing group, and a
 * re-run after failures redoing exactly what is missing.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import * as path from "node:path";
import {
  AdminAddUserToGroupCommand,
  AdminGetUserCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  ListUsersInGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPool, useEngineWorld } from "../support/emulator-pool";
import type { PoolProfile } from "../../core/profile";
import { renderPlan } from "../../core/plan-report";
import { createAwsClients } from "../../aws/clients";
import { poolPorts } from "../../aws/ports";
import { applyRoster, planRoster, type ApplyResult } from "../../engine/reconcile";
import { traineeEmail, traineeProfile } from "../support/roster-fixture";

const GROUPS = { trainees: { description: "Every trainee", precedence: 10 }, "kss-admins": { precedence: 1 }, cohort: {} };

const world = useEngineWorld();

interface Member {
  n: number;
  groups?: string[];
}

/** A users file: `defaultGroups` under defaults, each trainee's own groups on the entry. */
function writeFile(relative: string, members: readonly Member[], defaultGroups: readonly string[] = ["trainees"]): void {
  const lines = ["defaults:", "  mfa_enabled: true", "  email_verified: true"];
  if (defaultGroups.length > 0) lines.push(`  groups: [${defaultGroups.join(", ")}]`);
  lines.push("users:");
  for (const m of members) {
    lines.push(
      `  - username: ${traineeEmail(m.n)}`,
      `    email: ${traineeEmail(m.n)}`,
      "    given_name: Testname",
      "    family_name: Synthetic",
      `    custom:tisId: "${700000 + m.n}"`,
    );
    if (m.groups) lines.push(`    groups: [${m.groups.join(", ")}]`);
  }
  const file = path.join(world.checkout.usersDir, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join("\n")}\n`);
}

const many = (from: number, to: number, groups?: string[]): Member[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ n: from + i, ...(groups ? { groups } : {}) }));

async function newPool(overrides: Partial<PoolProfile> = {}): Promise<PoolProfile> {
  const profile = traineeProfile({ groups: GROUPS, ...overrides });
  await createPool(world.emulator, profile); // creates the stack's groups too (cli/emulator-pool.ts)
  return profile;
}

const runOf = world.runOf;

async function membersOf(poolId: string, group: string): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const out = await world.cognito.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: group, NextToken }));
    names.push(...(out.Users ?? []).map((u) => u.Username ?? ""));
    NextToken = out.NextToken;
  } while (NextToken);
  return names.sort();
}

const emails = (...ns: number[]) => ns.map(traineeEmail).sort();

test("new users are added to their groups right after the import; a membership in an unmanaged group survives every apply", async () => {
  const profile = await newPool();
  writeFile("kss/intake.yaml", [{ n: 1, groups: ["kss-admins"] }, { n: 2 }, { n: 3 }]);
  writeFile("london/intake.yaml", many(4, 5));
  const first = await applyRoster(runOf(profile));
  expect(first).toMatchObject({ imported: 5, failed: [], membershipsAdded: 6 });
  expect(await membersOf(profile.userPoolId, "trainees")).toEqual(emails(1, 2, 3, 4, 5));
  expect(await membersOf(profile.userPoolId, "kss-admins")).toEqual(emails(1));

  // Someone puts a trainee in a group the stack does not list.
  await world.cognito.send(new CreateGroupCommand({ UserPoolId: profile.userPoolId, GroupName: "pilot" }));
  await world.cognito.send(
    new AdminAddUserToGroupCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(2), GroupName: "pilot" }),
  );

  // A second run has nothing to do, and a full check finds the unmanaged membership no business of the roster's.
  const second = await applyRoster(runOf(profile, first));
  expect(second.plan.memberships?.changes).toEqual([]);
  const full = await applyRoster(runOf(profile, second, { full: true }));
  expect(full.plan.memberships?.changes).toEqual([]);
  expect(full.plan.memberships?.checked).toBe(5);

  // The trainee's own groups change: the managed ones follow the files, the unmanaged one stays.
  writeFile("kss/intake.yaml", [{ n: 1 }, { n: 2, groups: ["cohort"] }, { n: 3 }]);
  const third = await applyRoster(runOf(profile, full));
  expect(third.failed).toEqual([]);
  expect(await membersOf(profile.userPoolId, "kss-admins")).toEqual([]);
  expect(await membersOf(profile.userPoolId, "cohort")).toEqual(emails(2));
  expect(await membersOf(profile.userPoolId, "pilot")).toEqual(emails(2));
});

test("a pull request that only changes groups plans in at most k + 10 AWS calls, and says what changes per office", async () => {
  const profile = await newPool();
  writeFile("kss/intake.yaml", many(1, 40));
  writeFile("london/intake.yaml", many(41, 80));
  const first = await applyRoster(runOf(profile));
  expect(first.failed).toEqual([]);

  // k = 3 users change groups: two in kss join the cohort, one in london leaves the trainees group (london's
  // other users now list trainees themselves: the same memberships, so they are not looked at).
  writeFile("kss/intake.yaml", [...many(1, 2, ["cohort"]), ...many(3, 40)]);
  writeFile("london/intake.yaml", [...many(41, 79, ["trainees"]), { n: 80 }], []);
  const planned = await planRoster(runOf(profile, first));
  const k = 3;
  expect(planned.plan.import).toHaveLength(0);
  expect(planned.plan.update).toHaveLength(0);
  expect(planned.awsCalls).toBeLessThanOrEqual(k + 10);
  const json = JSON.parse(renderPlan(planned.plan, "json", { awsCalls: planned.awsCalls })) as {
    memberships: Record<string, { add: { username: string; group: string }[]; remove: { username: string; group: string }[] }>;
  };
  expect(json.memberships.kss.add.map((c) => [c.username, c.group])).toEqual([
    [traineeEmail(1), "cohort"],
    [traineeEmail(2), "cohort"],
  ]);
  expect(json.memberships.london.remove.map((c) => [c.username, c.group])).toEqual([[traineeEmail(80), "trainees"]]);
  expect(renderPlan(planned.plan, "markdown", { awsCalls: planned.awsCalls })).toContain(
    "Group memberships, office `kss` (2 to add, 0 to remove)",
  );

  const applied = await applyRoster(runOf(profile, first));
  expect(applied).toMatchObject({ membershipsAdded: 2, membershipsRemoved: 1, failed: [] });
  expect(await membersOf(profile.userPoolId, "cohort")).toEqual(emails(1, 2));
  expect((await membersOf(profile.userPoolId, "trainees")).length).toBe(79);
});

test("removing a user from the files leaves their memberships alone; with removedUsers: disable they leave the managed groups", async () => {
  const profile = await newPool({ maxRemovalFraction: 1 });
  writeFile("kss/intake.yaml", [{ n: 1, groups: ["cohort"] }, { n: 2, groups: ["cohort"] }, { n: 3 }]);
  const first = await applyRoster(runOf(profile));
  await world.cognito.send(new CreateGroupCommand({ UserPoolId: profile.userPoolId, GroupName: "pilot" }));
  await world.cognito.send(
    new AdminAddUserToGroupCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(2), GroupName: "pilot" }),
  );

  writeFile("kss/intake.yaml", [{ n: 1, groups: ["cohort"] }, { n: 3 }]);
  const retained = await applyRoster(runOf(profile, first));
  expect(retained.plan.memberships?.changes).toEqual([]);
  expect(await membersOf(profile.userPoolId, "cohort")).toEqual(emails(1, 2));

  // (A `retain` apply forgets the user; the same change applied under `disable` instead:)
  const disabling = { ...profile, removedUsers: "disable" as const };
  const disabled = await applyRoster(runOf(disabling, first));
  expect(disabled).toMatchObject({ removed: 1, failed: [] });
  expect(await membersOf(profile.userPoolId, "cohort")).toEqual(emails(1));
  expect(await membersOf(profile.userPoolId, "trainees")).toEqual(emails(1, 3));
  expect(await membersOf(profile.userPoolId, "pilot")).toEqual(emails(2));
  expect((await world.cognito.send(new AdminGetUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(2) }))).Enabled).toBe(
    false,
  );
});

test("plan and apply stop with one clear configuration error when a managed group is missing from the pool", async () => {
  const profile = await newPool();
  writeFile("kss/intake.yaml", many(1, 2));
  await world.cognito.send(new DeleteGroupCommand({ UserPoolId: profile.userPoolId, GroupName: "cohort" }));
  const err = (await planRoster(runOf(profile)).catch((e: unknown) => e)) as Error;
  expect(err.name).toBe("RosterConfigError");
  expect(err.message).toMatch(new RegExp(`^pool ${profile.userPoolId} has no group cohort, which cognito-roster:groups manages`));
  expect(err.message).not.toContain("\n");
  world.emulator.resetCallCounts();
  await expect(applyRoster(runOf(profile))).rejects.toMatchObject({ name: "RosterConfigError" });
  expect(world.emulator.callCounts().CreateUserImportJob ?? 0).toBe(0);
});

test("failed membership changes are reported by file:line, kept out of the record, and a re-run redoes exactly those", async () => {
  const profile = await newPool();
  writeFile("kss/intake.yaml", many(1, 4));
  const first = await applyRoster(runOf(profile));
  writeFile("kss/intake.yaml", many(1, 4, ["cohort"]));

  // Two AdminAddUserToGroup calls fail (clients without retries, so the fault is not absorbed).
  world.emulator.faults.internalError("AdminAddUserToGroup", 2);
  const clients = createAwsClients(profile.region, profile.userPoolId, { maxAttempts: 1 });
  let broken: ApplyResult;
  try {
    broken = await applyRoster(runOf(profile, first), poolPorts(clients, profile.userPoolId));
  } finally {
    clients.destroy();
  }
  expect(broken.failed).toHaveLength(2);
  expect(broken.failed[0]).toMatchObject({
    file: "users/kss/intake.yaml",
    reason: expect.stringMatching(/^AdminAddUserToGroup cohort failed: InternalErrorException/),
  });
  expect((await membersOf(profile.userPoolId, "cohort")).length).toBe(2);

  world.emulator.resetCallCounts();
  const rerun = await applyRoster(runOf(profile, broken));
  expect(rerun.failed).toEqual([]);
  expect(rerun.plan.memberships?.changes.map((c) => c.username).sort()).toEqual(broken.failed.map((f) => f.username).sort());
  expect(world.emulator.callCounts().AdminAddUserToGroup).toBe(2);
  expect(await membersOf(profile.userPoolId, "cohort")).toEqual(emails(1, 2, 3, 4));
  // And then nothing is left to do.
  const settled = await planRoster(runOf(profile, rerun));
  expect(settled.plan.memberships?.changes).toEqual([]);
});

test("a stack that manages no groups makes no group call at all", async () => {
  const profile = await newPool({ groups: undefined });
  const text = [
    "defaults:",
    "  mfa_enabled: true",
    "  email_verified: true",
    "users:",
    `  - username: ${traineeEmail(1)}`,
    `    email: ${traineeEmail(1)}`,
    `    custom:tisId: "1"`,
  ].join("\n");
  mkdirSync(path.join(world.checkout.usersDir, "kss"), { recursive: true });
  writeFileSync(path.join(world.checkout.usersDir, "kss", "a.yaml"), `${text}\n`);
  const result = await applyRoster(runOf(profile));
  expect(result.plan.memberships).toBeUndefined();
  expect(Object.keys(result.awsCallsByOperation).filter((op) => /Group/.test(op))).toEqual([]);
});

test("adds and removes are planned from observed membership: a change already made out of band costs no call", async () => {
  const profile = await newPool();
  writeFile("kss/a.yaml", [{ n: 1 }, { n: 2 }]);
  const first = await applyRoster(runOf(profile));
  expect(first.membershipsAdded).toBe(2);
  // Out of band: user 1 is put in cohort, user 2 taken out of trainees — what the next pull request then declares.
  const { AdminRemoveUserFromGroupCommand } = await import("@aws-sdk/client-cognito-identity-provider");
  await world.cognito.send(
    new AdminAddUserToGroupCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(1), GroupName: "cohort" }),
  );
  await world.cognito.send(
    new AdminRemoveUserFromGroupCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(2), GroupName: "trainees" }),
  );
  writeFile("kss/a.yaml", [{ n: 1, groups: ["trainees", "cohort"] }, { n: 2 }], []);
  const planned = await planRoster(runOf(profile, first));
  expect(planned.plan.memberships?.changes).toEqual([]);
  const before = world.emulator.callCounts();
  const second = await applyRoster(runOf(profile, first));
  const after = world.emulator.callCounts();
  expect(second).toMatchObject({ membershipsAdded: 0, membershipsRemoved: 0, failed: [] });
  expect((after.AdminAddUserToGroup ?? 0) - (before.AdminAddUserToGroup ?? 0)).toBe(0);
  expect((after.AdminRemoveUserFromGroup ?? 0) - (before.AdminRemoveUserFromGroup ?? 0)).toBe(0);
});
