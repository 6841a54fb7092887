import type { PoolProfile } from "../../core/profile";
import { pollsForDuration } from "../support/poll-count";
import { applyRoster, planRoster, type RosterRun } from "../../engine/reconcile";
import { createPool, useEngineWorld } from "../support/emulator-pool";
import { range, traineeProfile } from "../support/roster-fixture";

const USER_READS = ["ListUsers", "AdminGetUser"];

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

test("onboarding into an empty pool reads no user and confirms the job from its counters", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 40));
  world.emulator.faults.setListUsersLag(24 * 3600_000); // would hide every user from a ListUsers confirmation
  world.emulator.resetCallCounts();
  const result = await applyRoster(runOf(profile));
  const calls = world.emulator.callCounts();
  expect(result).toMatchObject({ imported: 40, failed: [] });
  expect(result.readStrategy).toBe("none");
  for (const op of [...USER_READS, "GetLogEvents"]) expect(calls[op]).toBeUndefined();
  expect(calls.DescribeUserPool).toBe(1);
  // DescribeUserPool, GetCSVHeader, ListUserImportJobs, CreateUserImportJob, the upload, StartUserImportJob, polls.
  expect(total(calls)).toBeLessThanOrEqual(15);
});

test("a pull request adding k trainees to a pool costs at most k + 10 AWS calls to plan and to apply", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 300));
  const first = await applyRoster(runOf(profile));
  expect(first.imported).toBe(300);

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
  expect(applyCalls.AdminGetUser).toBe(k); // the plan's point reads; the import is confirmed by its counters
  expect(total(applyCalls)).toBeLessThanOrEqual(k + 10);
});

test("the polling schedule keeps a long job's polls few: ≤ 30 for 42 minutes, ≤ 50 for four hours", () => {
  expect(pollsForDuration(5_000)).toBeLessThanOrEqual(3);
  expect(pollsForDuration(42 * 60_000)).toBeLessThanOrEqual(30);
  expect(pollsForDuration(4 * 3600_000)).toBeLessThanOrEqual(50);
});
