/**
 * Import jobs are a budget (Cognito's quotas page: 1,000 user import jobs per user pool, not adjustable; no API
 * deletes a job): the plan shows the count when fewer than 100 remain, and the apply refuses at the limit before it
 * creates anything. The emulator enforces the limit as CreateUserImportJob's LimitExceededException.
 */
import { CreateUserImportJobCommand } from "@aws-sdk/client-cognito-identity-provider";
import { applyRoster, planRoster, type RosterRun } from "../../engine/reconcile";
import { renderPlan } from "../../core/plan-report";
import { budgetRefusal, budgetToShow } from "../../core/import-job-budget";
import type { PoolProfile } from "../../core/profile";
import { createPool, useEngineWorld } from "../support/emulator-pool";
import { LOGS_ROLE, range, traineeProfile } from "../support/roster-fixture";

const world = useEngineWorld();

/** Spends `count` of the pool's import jobs, as earlier applies (or the console) would have. */
async function spendJobs(userPoolId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await world.cognito.send(
      new CreateUserImportJobCommand({ UserPoolId: userPoolId, JobName: `earlier-${i}`, CloudWatchLogsRoleArn: LOGS_ROLE }),
    );
  }
}

const runOf = (profile: PoolProfile): RosterRun => world.runOf(profile);

test("the budget rules: shown under 100 left, refused when the jobs needed do not fit", () => {
  expect(budgetToShow(900)).toBeUndefined();
  expect(budgetToShow(901)).toEqual({ used: 901, limit: 1000 });
  expect(budgetRefusal("eu-west-2_A1", 999, 1)).toBeUndefined();
  expect(budgetRefusal("eu-west-2_A1", 999, 0)).toBeUndefined();
  expect(budgetRefusal("eu-west-2_A1", 999, 2)).toMatch(
    /^pool eu-west-2_A1 has used 999 of the 1,000 import jobs .* needs 2 \(1 left\): nothing was created/,
  );
});

test("a pool at 999 jobs plans with the count and imports with its last job; at 1,000 the apply refuses before creating anything", async () => {
  const profile = traineeProfile();
  await createPool(world.emulator, profile);
  await spendJobs(profile.userPoolId, 999);
  world.checkout.write("london/a.yaml", range(1, 2));

  const planned = await planRoster(runOf(profile));
  expect(planned.plan.importJobs).toEqual({ used: 999, limit: 1000 });
  const text = renderPlan(planned.plan, "text", { awsCalls: planned.awsCalls });
  expect(text).toContain("this pool has used 999 of its 1,000 import jobs (1 left; no API deletes a job)");
  expect(JSON.parse(renderPlan(planned.plan, "json", { awsCalls: planned.awsCalls })).importJobs).toEqual({ used: 999, limit: 1000 });

  const applied = await applyRoster(runOf(profile));
  expect(applied).toMatchObject({ imported: 2, failed: [] });

  world.checkout.write("london/a.yaml", range(1, 3));
  const before = world.emulator.callCounts().CreateUserImportJob ?? 0;
  await expect(applyRoster(runOf(profile))).rejects.toMatchObject({
    name: "ImportBudgetError",
    message: expect.stringMatching(/has used 1000 of the 1,000 import jobs .*nothing was created\. See docs\/running-for-real\.md/),
  });
  expect(world.emulator.callCounts().CreateUserImportJob ?? 0).toBe(before);
  // The emulator enforces the quota itself, as AWS does: the 1,001st job is refused.
  await expect(
    world.cognito.send(
      new CreateUserImportJobCommand({ UserPoolId: profile.userPoolId, JobName: "one-more", CloudWatchLogsRoleArn: LOGS_ROLE }),
    ),
  ).rejects.toMatchObject({ name: "LimitExceededException" });
}, 120_000);

test("a plan with nothing to import does not count jobs", async () => {
  const profile = traineeProfile();
  await createPool(world.emulator, profile);
  world.checkout.write("london/a.yaml", range(1, 1));
  const first = await applyRoster(runOf(profile));
  const before = world.emulator.callCounts().ListUserImportJobs ?? 0;
  const planned = await planRoster({ ...runOf(profile), previous: first.applied, binding: first.binding });
  expect(planned.plan.importJobs).toBeUndefined();
  expect(planned.importJobsUsed).toBeUndefined();
  expect(world.emulator.callCounts().ListUserImportJobs ?? 0).toBe(before);
});

test("a re-run after a crash adopts the crashed run's job: at 1,000 jobs it still imports, spending none", async () => {
  const profile = traineeProfile();
  await createPool(world.emulator, profile);
  await spendJobs(profile.userPoolId, 999);
  world.checkout.write("london/a.yaml", range(1, 2));
  const crash = new Error("crash after create");
  await expect(
    applyRoster({
      ...runOf(profile),
      afterStep: (step) => {
        if (step === "create") throw crash;
      },
    }),
  ).rejects.toBe(crash);
  const before = world.emulator.callCounts().CreateUserImportJob ?? 0;
  const rerun = await applyRoster(runOf(profile));
  expect(rerun).toMatchObject({ imported: 2, failed: [] });
  expect(world.emulator.callCounts().CreateUserImportJob ?? 0).toBe(before);
}, 120_000);
