/**
 * Smoke run of bench/kill-bench.ts (the 20,000-trainee runs are outside the tests, BENCHMARKS.md): a roster process
 * importing 20 trainees with sign-in codes on, killed with SIGKILL while it polls its job, then applied again until
 * the plan has nothing to do. Every trainee ends in the pool with exactly one code. Runs the built CLI (dist/).
 */
import { measureKillDuringPolling } from "../../bench/kill-bench";

test("SIGKILL during polling with codes on, 20 trainees: one code each, none lost or duplicated, converged after one re-run", async () => {
  const r = await measureKillDuringPolling(20, "SIGKILL");
  expect(r).toMatchObject({ codesDelivered: 20, sentTwice: 0, owedNeverSent: 0, lost: 0, duplicated: 0, reruns: 1 });
  expect(r.jobAtKill).toMatch(/^(Pending|InProgress), \d+ imported$/);
}, 120_000);
