/**
 * What onboarding and a pull request cost in AWS calls, counted by the emulator (from outside the product):
 * onboarding into an empty pool reads no user to plan and confirms the import from the job's counters, then reads
 * each new trainee once (AdminGetUser, consistent) for the `sub` the applied record keeps, so that their later
 * removal costs one read and no scan (engine/subs-of-applied-users.ts) — up to 120 of them: a larger onboarding
 * stays a handful of calls, its subs filled in by the next scan (`--full`, `pulumi refresh`); a pull request adding
 * k trainees stays within k + 10 calls to plan and 2k + 10 to apply. Also the polling schedule's bound.
 */
import type { PoolProfile } from "../../core/profile";
import { pollsForDuration } from "../support/poll-count";
import { recordedSub } from "../../core/user-digest";
import { applyRoster, planRoster, type RosterRun } from "../../engine/reconcile";
import { createPool, useEngineWorld } from "../support/emulator-pool";
import { range, traineeProfile } from "../support/roster-fixture";

const world = useEngineWorld();

async function newPool(): Promise<PoolProfile> {
  const profile = traineeProfile();
  await createPool(world.emulator, profile);
  return profile;
}

const runOf = (profile: PoolProfile, extra: Partial<RosterRun> = {}): RosterRun => world.runOf(profile, undefined, extra);

/** AWS API calls as the emulator counted them; the S3 PUT to the pre-signed URL is not an API call (awsCalls agrees). */
function total(counts: Record<string, number>): number {
  return Object.entries(counts).reduce((sum, [op, n]) => (op === "PreSignedUpload" ? sum : sum + n), 0);
}

test("onboarding into an empty pool plans without reading a user, confirms the job from its counters, then reads each sub once", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 40));
  world.emulator.faults.setListUsersLag(24 * 3600_000); // would hide every user from a ListUsers confirmation
  world.emulator.resetCallCounts();
  const result = await applyRoster(runOf(profile));
  const calls = world.emulator.callCounts();
  expect(result).toMatchObject({ imported: 40, failed: [] });
  expect(result.readStrategy).toBe("none");
  for (const op of ["ListUsers", "GetLogEvents"]) expect(calls[op]).toBeUndefined();
  expect(calls.AdminGetUser).toBe(40); // after the import, for the record's subs: none before
  expect(Object.values(result.applied).filter((v) => /~[\w-]{22}$/.test(v))).toHaveLength(40);
  expect(calls.DescribeUserPool).toBe(1);
  // DescribeUserPool, GetCSVHeader, ListUserImportJobs, CreateUserImportJob, the upload, StartUserImportJob, polls; the subs.
  expect(total(calls)).toBeLessThanOrEqual(15 + 40);
});

test("a pull request adding k trainees to a pool costs at most k + 10 AWS calls to plan and 2k + 10 to apply", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 300));
  world.emulator.resetCallCounts();
  const first = await applyRoster(runOf(profile));
  expect(first.imported).toBe(300);
  // Above 120 new users no sub is read one by one: onboarding stays a handful of calls.
  expect(world.emulator.callCounts().AdminGetUser).toBeUndefined();
  expect(Object.values(first.applied).some((v) => recordedSub(v) !== undefined)).toBe(false);

  const k = 5;
  world.checkout.write("leeds/new.yaml", range(1001, 1000 + k));
  world.emulator.resetCallCounts();
  const plan = await planRoster(runOf(profile, { previous: first.applied, binding: first.binding }));
  const planCalls = world.emulator.callCounts();
  expect(plan.plan.import).toHaveLength(k);
  expect(planCalls.ListUsers).toBeUndefined();
  expect(total(planCalls)).toBeLessThanOrEqual(k + 10);

  world.emulator.faults.setListUsersLag(24 * 3600_000);
  world.emulator.resetCallCounts();
  const second = await applyRoster(runOf(profile, { previous: first.applied, binding: first.binding }));
  const applyCalls = world.emulator.callCounts();
  expect(second).toMatchObject({ imported: k, failed: [] });
  expect(applyCalls.ListUsers).toBeUndefined();
  expect(applyCalls.GetLogEvents).toBeUndefined();
  // The plan's point reads, and one read of each new trainee's sub; the import is confirmed by its counters.
  expect(applyCalls.AdminGetUser).toBe(2 * k);
  expect(total(applyCalls)).toBeLessThanOrEqual(2 * k + 10);
  expect(Object.values(second.applied).filter((v) => recordedSub(v) !== undefined)).toHaveLength(k);

  // The next full read (`--full`, as `pulumi refresh`) fills in every sub, at the scan it makes anyway.
  const full = await applyRoster(runOf(profile, { previous: second.applied, binding: second.binding, full: true }));
  expect(full.readStrategy).toBe("scan");
  expect(Object.values(full.applied).filter((v) => recordedSub(v) !== undefined)).toHaveLength(300 + k);
});

test("the polling schedule keeps a long job's polls few: ≤ 30 for 42 minutes, ≤ 50 for four hours", () => {
  expect(pollsForDuration(5_000)).toBeLessThanOrEqual(3);
  expect(pollsForDuration(42 * 60_000)).toBeLessThanOrEqual(30);
  expect(pollsForDuration(4 * 3600_000)).toBeLessThanOrEqual(50);
});
