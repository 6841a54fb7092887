/**
 * core/apply-report.ts, the apply summary: every count agrees with the lines printed, job lines never say "0 failed"
 * beside failures, plurals are right. It is given the engine's own ApplyResult, so the compiler checks that the
 * engine's result has every field the report reads.
 */
import { describeApply, describeJob } from "../../core/apply-report";
import type { ApplyResult } from "../../engine/reconcile";

function result(overrides: Partial<ApplyResult>): ApplyResult {
  return {
    plan: { userPoolId: "eu-west-2_Example1", import: [], update: [], disable: [], enable: [], remove: [], unchanged: 0 },
    users: [],
    poolName: "p",
    readStrategy: "none",
    awsCalls: 1,
    imported: 0,
    alreadyPresent: 0,
    updated: 0,
    disabled: 0,
    enabled: 0,
    removed: 0,
    failed: [],
    jobs: [],
    applied: {},
    awsCallsByOperation: {},
    ...overrides,
  } as ApplyResult;
}

test("a job that stopped part-way: the rows it never reached are counted, not called 0 failed", () => {
  const failed = Array.from({ length: 9 }, (_, i) => ({
    username: `u${i}`,
    file: "users/a.yaml",
    line: 5 + i,
    reason: "not in the pool after job import-1 ended Failed",
  }));
  const text = describeApply(
    result({
      imported: 1,
      failed,
      awsCalls: 2,
      jobs: [{ jobId: "import-1", jobName: "n", status: "Failed", users: 10, imported: 1, skipped: 0, failed: 0 }],
    }),
  );
  const lines = text.trimEnd().split("\n");
  expect(lines[0]).toMatch(/1 imported, .*, 9 failed,/);
  expect(lines[1]).toBe("  import job import-1 (10 users): Failed, 1 imported, 9 not processed");
  expect(lines.filter((l) => l.startsWith("  failed "))).toHaveLength(9);
  expect(lines[lines.length - 1]).toBe("2 AWS calls");
  expect(text).not.toMatch(/\b0 failed\b(?=.*\n {2}failed)/);
});

test("plurals and the counts Cognito reported", () => {
  expect(describeJob({ jobId: "j", status: "Succeeded", users: 1, imported: 1, skipped: 0, failed: 0 })).toBe(
    "  import job j (1 user): Succeeded, 1 imported",
  );
  expect(describeJob({ jobId: "j", status: "Failed", users: 4, imported: 1, skipped: 1, failed: 2 })).toBe(
    "  import job j (4 users): Failed, 1 imported, 1 skipped, 2 failed",
  );
  expect(
    describeApply(result({ awsCalls: 1 }))
      .trimEnd()
      .split("\n")
      .pop(),
  ).toBe("1 AWS call");
});
