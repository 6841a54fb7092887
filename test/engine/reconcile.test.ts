/**
 * Engine scenarios against the project's own emulator, through the real AWS SDK clients: the import runner's
 * failure handling, crash recovery, waiting for other jobs, throttling, safety rails and cost.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ListUserImportJobsCommand,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startEmulator } from "../../emulator";
import { createPool, useEngineWorld } from "../support/emulator-pool";
import type { PoolProfile } from "../../core/profile";
import { applyRoster, planRoster, type RosterRun } from "../../engine/reconcile";
import { loadRoster } from "../../load/load-roster";
import { range, traineeEmail, traineeProfile } from "../support/roster-fixture";

const world = useEngineWorld();

async function newPool(overrides: Partial<PoolProfile> = {}): Promise<PoolProfile> {
  const profile = traineeProfile(overrides);
  await createPool(world.emulator, profile);
  return profile;
}

const runOf = (profile: PoolProfile, extra: Partial<RosterRun> = {}): RosterRun => world.runOf(profile, undefined, extra);

async function poolUsernames(poolId: string): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const out = await world.cognito.send(new ListUsersCommand({ UserPoolId: poolId, PaginationToken: token }));
    names.push(...(out.Users ?? []).map((u) => u.Username ?? ""));
    token = out.PaginationToken;
  } while (token);
  return names.sort();
}

async function jobCount(poolId: string): Promise<number> {
  return (await world.cognito.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 60 }))).UserImportJobs?.length ?? 0;
}

test("imports declared users with one job, then a second apply has nothing to do", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 5));
  const first = await applyRoster(runOf(profile));
  expect(first).toMatchObject({ imported: 5, failed: [] });
  expect(first.jobs).toHaveLength(1);
  expect(await poolUsernames(profile.userPoolId)).toEqual(range(1, 5).map((t) => traineeEmail(t.n)));

  // The record is passed with the pool it is bound to (an unbound record costs one full observation).
  const second = await applyRoster(runOf(profile, { previous: first.applied, binding: first.binding }));
  expect(second.plan.import).toHaveLength(0);
  expect(second.jobs).toHaveLength(0);
  expect(second.plan.unchanged).toBe(5);
  // No user changed since the last apply: only DescribeUserPool is called, no user is read.
  expect(second.awsCalls).toBeLessThanOrEqual(2);
});

test("a roster over one job's limits is split into several jobs, run one after another", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 5));
  const result = await applyRoster(runOf(profile, { limits: { maxUsers: 2, maxBytes: 100 * 1024 * 1024 } }));
  expect(result.jobs.map((j) => j.users)).toEqual([2, 2, 1]);
  expect(result.jobs.map((j) => j.status)).toEqual(["Succeeded", "Succeeded", "Succeeded"]);
  expect(result.imported).toBe(5);
  expect(await poolUsernames(profile.userPoolId)).toHaveLength(5);
});

test("a row Cognito rejects is reported with its file:line and reason, and left out of the applied state", async () => {
  // The pool allows tisId up to 20 characters; the users were validated against a copy of the profile that allows
  // 30 (a stack that says 30 is refused before any import: test/engine/pool-settings.test.ts), so the row gets to Cognito.
  const profile = await newPool();
  world.checkout.write("kss/a.yaml", [{ n: 1 }, { n: 2, tisId: "X".repeat(25) }, { n: 3 }]);
  const lenient = { ...profile, customAttributes: { tisId: { type: "String" as const, minLength: 1, maxLength: 30 } } };
  const { users } = loadRoster({ usersDir: world.checkout.usersDir, repoRoot: world.checkout.repoRoot, profile: lenient });
  const result = await applyRoster(runOf(profile, { users }));
  expect(result.imported).toBe(2);
  expect(result.failed).toHaveLength(1);
  expect(result.failed[0]).toMatchObject({ username: traineeEmail(2), file: "users/kss/a.yaml", line: 11 });
  expect(result.failed[0].reason.length).toBeGreaterThan(0);
  expect(Object.keys(result.applied)).toHaveLength(2);
});

test("a user created in the pool out of band during the job is not counted as failed", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 3));
  const result = await applyRoster(
    runOf(profile, {
      afterStep: (step) => {
        if (step !== "create") return;
        void world.cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: profile.userPoolId,
            Username: traineeEmail(2),
            MessageAction: "SUPPRESS",
            UserAttributes: [{ Name: "email", Value: traineeEmail(2) }],
          }),
        );
      },
    }),
  );
  expect(result.failed).toEqual([]);
  expect(result.imported + result.alreadyPresent).toBe(3);
  expect(await poolUsernames(profile.userPoolId)).toHaveLength(3);
});

describe.each(["create", "upload", "start"] as const)("a crash right after the job's %s step", (crashStep) => {
  test("then a clean re-run imports everyone exactly once, adopting the unfinished job", async () => {
    const profile = await newPool();
    world.checkout.write("north-west/a.yaml", range(1, 4));
    await expect(
      applyRoster(
        runOf(profile, {
          afterStep: (step) => {
            if (step === crashStep) throw new Error(`simulated crash after ${step}`);
          },
        }),
      ),
    ).rejects.toThrow(/simulated crash/);

    const rerun = await applyRoster(runOf(profile));
    expect(rerun.failed).toEqual([]);
    expect(await poolUsernames(profile.userPoolId)).toEqual(range(1, 4).map((t) => traineeEmail(t.n)));
    // The interrupted job was adopted (or had already run): no second job was created.
    expect(await jobCount(profile.userPoolId)).toBe(1);
  });
});

test("another import job active in the account: the runner waits, then proceeds", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 2));
  world.emulator.faults.setOtherJobActive(true);
  world.emulator.resetCallCounts();
  const started = Date.now();
  const release = setTimeout(() => world.emulator.faults.setOtherJobActive(false), 400);
  const result = await applyRoster(runOf(profile));
  clearTimeout(release);
  expect(result.imported).toBe(2);
  expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  // StartUserImportJob was refused (LimitExceededException) and tried again until the other job was gone.
  expect(world.emulator.callCounts().StartUserImportJob).toBeGreaterThan(1);
});

test("throttling is absorbed by the SDK's retry strategy under the AWS quotas", async () => {
  const throttled = await startEmulator({ quotas: "aws" });
  const profile = traineeProfile();
  await createPool(throttled, profile);
  process.env.AWS_ENDPOINT_URL = throttled.endpoint;
  try {
    world.checkout.write("london/a.yaml", range(1, 3));
    // Onboarding into an empty pool reads no user: throttle the calls it does make.
    throttled.faults.throttle("DescribeUserPool", 2);
    throttled.faults.throttle("DescribeUserImportJob", 2);
    const result = await applyRoster(runOf(profile, { timing: { pollMinMs: 5, pollMaxMs: 20, retryMinMs: 5 } }));
    expect(result).toMatchObject({ imported: 3, failed: [] });
    // The emulator saw more requests than the engine made calls: the SDK retried the throttled ones.
    expect(result.awsCallsByOperation.DescribeUserPool).toBeGreaterThan(0);
    expect(throttled.callCounts().DescribeUserPool).toBe(result.awsCallsByOperation.DescribeUserPool + 2);
    expect(throttled.callCounts().DescribeUserImportJob).toBe(result.awsCallsByOperation.DescribeUserImportJob + 2);
  } finally {
    process.env.AWS_ENDPOINT_URL = world.emulator.endpoint;
    await throttled.stop();
  }
});

test("a removal over the threshold is refused and nothing changes", async () => {
  const profile = await newPool({ removedUsers: "disable" });
  world.checkout.write("london/a.yaml", range(1, 8));
  const first = await applyRoster(runOf(profile));
  world.checkout.write("london/a.yaml", range(1, 5)); // 3 of 8 removed: 37.5% > 25%
  await expect(applyRoster(runOf(profile, { previous: first.applied }))).rejects.toMatchObject({ name: "PlanRefusedError" });
  expect(await poolUsernames(profile.userPoolId)).toHaveLength(8);
});

test("a removal under the threshold disables only the removed user", async () => {
  const profile = await newPool({ removedUsers: "disable" });
  world.checkout.write("london/a.yaml", range(1, 8));
  const first = await applyRoster(runOf(profile));
  world.checkout.write("london/a.yaml", range(2, 8));
  const second = await applyRoster(runOf(profile, { previous: first.applied }));
  expect(second.removed).toBe(1);
  const gone = await world.cognito.send(new AdminGetUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(1) }));
  expect(gone.Enabled).toBe(false);
  expect(Object.keys(second.applied)).toHaveLength(7);
});

test("attribute changes and leavers: updated with AdminUpdateUserAttributes, disabled with AdminDisableUser", async () => {
  const profile = await newPool();
  world.checkout.write("yorkshire/a.yaml", range(1, 3));
  const first = await applyRoster(runOf(profile));
  world.checkout.write("yorkshire/a.yaml", [{ n: 1, givenName: "Renamed" }, { n: 2, enabled: false }, { n: 3 }]);
  const planned = await planRoster(runOf(profile, { previous: first.applied }));
  expect(planned.plan.update.map((u) => [u.username, u.attributes])).toEqual([[traineeEmail(1), ["given_name"]]]);
  expect(planned.plan.disable.map((u) => u.username)).toEqual([traineeEmail(2)]);
  // Only the two changed users were read, one by one.
  expect(planned.readStrategy).toBe("point");

  const second = await applyRoster(runOf(profile, { previous: first.applied }));
  expect(second).toMatchObject({ updated: 1, disabled: 1, failed: [] });
  const renamed = await world.cognito.send(new AdminGetUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(1) }));
  expect(renamed.UserAttributes?.find((a) => a.Name === "given_name")?.Value).toBe("Renamed");
});

test("a pool whose custom attributes do not match the profile is a configuration error before any job", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 1));
  const mismatched = { ...profile, customAttributes: { ...profile.customAttributes, grade: { type: "Number" as const } } };
  await expect(applyRoster(runOf(mismatched))).rejects.toMatchObject({
    name: "RosterConfigError",
    message: expect.stringContaining("cognito-roster:customAttributes.grade: stack {type: Number, mutable: true}, pool (none)"),
  });
  expect(await jobCount(profile.userPoolId)).toBe(0);
});

test("invalid users files stop the engine with every diagnostic, before any AWS call", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", [{ n: 1 }, { n: 1 }]);
  await expect(planRoster(runOf(profile))).rejects.toMatchObject({ name: "RosterValidationError" });
});
