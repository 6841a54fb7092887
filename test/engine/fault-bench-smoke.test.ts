/**
 * Smoke run of bench/fault-bench.ts (the full size runs outside the tests, BENCHMARKS.md): a small onboarding with
 * one trainee already in the pool, under ListUsers lag and short log pages. The one pre-existing trainee costs a
 * bounded handful of reads, not a read per trainee.
 */
import { measureLaggedOnboarding } from "../../bench/fault-bench";

test("one pre-existing trainee among 300, under lag and short log pages: imported once, found present, a bounded number of reads", async () => {
  const r = await measureLaggedOnboarding(300);
  expect(r).toMatchObject({ imported: 299, alreadyPresent: 1, failed: 0 });
  expect(r.calls.AdminGetUser ?? 0).toBeLessThanOrEqual(2);
  expect(r.calls.CreateUserImportJob).toBe(1);
  expect(r.totalCalls).toBeLessThan(60);
  expect(r.peakMiB).toBeGreaterThan(0);
}, 120_000);
