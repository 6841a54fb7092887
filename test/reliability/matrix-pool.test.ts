/**
 * Fault matrix, family "pool" (matrix-suite.ts): what the roster reads and keeps — ListUsers lag, short and late log
 * pages, a Region mismatch, applied records that no longer describe the pool, a pool re-created, users created or
 * deleted by hand between plan and apply, and the local clock off the service's.
 */
import { AdminCreateUserCommand, AdminDeleteUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { expectRowPasses, matrixSuite } from "./matrix-suite";
import { CODES, skewEngineClock } from "./matrix-faults";
import { MAIN_CLIENT, traineeEmail, type MatrixWorld } from "./matrix-world";

/** Just before the run's first `operation` call, another client acts on the pool (once). */
function beforeFirst(w: MatrixWorld, operation: string, act: () => Promise<unknown>): void {
  let done = false;
  w.proxy.hooks.beforeForward = async (call) => {
    if (done || call.operation !== operation || call.client !== MAIN_CLIENT) return undefined;
    done = true;
    await act();
    return undefined;
  };
}

matrixSuite("pool", (suite) => {
  const { clock } = suite;

  suite.matrixRow("ListUsers lag", () => ({
    fault: "ListUsers lag",
    how: "emulator: ListUsers sees writes only 10 s (emulator clock) after they happen",
    kind: "onboard",
    arm: (w) => w.emulator.faults.setListUsersLag(10_000),
  }));

  suite.matrixRow("ListUsers lag right after an apply", () => ({
    fault: "ListUsers lag after a recent apply",
    how: "emulator: ListUsers sees writes only 10 s (emulator clock) after they happen, on a pool the roster has just changed (change roster)",
    kind: "change",
    arm: (w) => w.emulator.faults.setListUsersLag(10_000),
  }));

  suite.matrixRow("ListUsers lag on a full check", () => ({
    fault: "ListUsers lag, no applied record",
    how: "emulator: ListUsers sees writes only 10 s after they happen; the pool was just changed and .roster/ is gone (a fresh checkout, as in CI), so every user is looked up (change roster)",
    kind: "change",
    arm: (w) => {
      w.removeAppliedRecord();
      w.emulator.faults.setListUsersLag(10_000);
    },
  }));

  suite.matrixRow("empty and partial log pages", () => ({
    fault: "empty and partial GetLogEvents pages",
    how: "emulator: every GetLogEvents page before the end is empty or half full; the job fails after 5 of 10 rows, so the log is needed",
    kind: "onboard",
    arm: (w) => {
      w.emulator.faults.partialLogPages(0);
      w.emulator.faults.failJobAfterRows(5);
    },
  }));

  suite.matrixRow("log ingestion delay", () => ({
    fault: "log ingestion delay",
    how: "emulator: log events readable 3 s after written; the job fails after 5 of 10 rows, so the log is needed",
    kind: "onboard",
    arm: (w) => {
      w.emulator.faults.setLogIngestionDelay(3_000);
      w.emulator.faults.failJobAfterRows(5);
    },
  }));

  suite.matrixRow("a Region mismatch", () => ({
    fault: "Region mismatch",
    how: "stack config: aws:region eu-west-1 for an eu-west-2 pool; fixed before the re-runs",
    kind: "onboard",
    arm: (w) => w.writeStack("eu-west-1"),
    disarm: (w) => w.writeStack(),
  }));

  suite.matrixRow("a default Region that is not the pool's", () => ({
    fault: "Region mismatch: default Region elsewhere",
    how: "environment: AWS_REGION and AWS_DEFAULT_REGION us-east-1; the stack says eu-west-2 (the emulator scopes pools by the signing Region)",
    kind: "onboard",
    arm: (w) => {
      w.extraEnv = { AWS_REGION: "us-east-1", AWS_DEFAULT_REGION: "us-east-1" };
    },
    disarm: (w) => {
      w.extraEnv = {};
    },
  }));

  suite.matrixRow("a stale applied record", () => ({
    fault: "stale applied record (pool rebuilt empty, same id)",
    how: "the roster applied; then a fresh emulator with an empty pool of the same id on the same endpoint",
    kind: "onboard",
    appliedBefore: true,
    arm: (w) => w.replaceWithEmptyPool(),
  }));

  suite.matrixRow("a foreign applied record", () => ({
    fault: "foreign applied record",
    how: "the roster applied; the pool rebuilt empty and .roster/applied-matrix.json rewritten to name another pool",
    kind: "onboard",
    appliedBefore: true,
    arm: async (w) => {
      await w.replaceWithEmptyPool();
      w.rewriteAppliedRecord((text) => text.split(w.profile.userPoolId).join("eu-west-2_Foreign000"));
    },
  }));

  suite.matrixRow("a pool re-created under the same id, codes on", () => ({
    fault: "pool deleted and re-created under the same id (codes on)",
    how: "the roster applied and sent its codes; then a fresh emulator with an empty pool of the same id on the same endpoint",
    kind: "onboard",
    appliedBefore: true,
    world: CODES,
    arm: (w) => w.replaceWithEmptyPool(),
  }));

  suite.matrixRow("a user created by hand between plan and apply, codes on", () => ({
    fault: "user created by hand between plan and apply (codes on)",
    how: "AdminCreateUser of trainee 3 (another client) just before the roster's CreateUserImportJob: its row is skipped",
    kind: "onboard",
    world: CODES,
    arm: (w) =>
      beforeFirst(w, "CreateUserImportJob", () =>
        w.client().send(
          new AdminCreateUserCommand({
            UserPoolId: w.profile.userPoolId,
            Username: traineeEmail(3),
            MessageAction: "SUPPRESS",
            UserAttributes: [
              { Name: "email", Value: traineeEmail(3) },
              { Name: "email_verified", Value: "true" },
            ],
          }),
        ),
      ),
  }));

  for (const [operation, n, what] of [
    ["AdminUpdateUserAttributes", 1, "the trainee the plan renames"],
    ["AdminEnableUser", 9, "the trainee the plan enables"],
  ] as const) {
    suite.matrixRow(`a user deleted by hand between plan and apply (before ${operation})`, () => ({
      fault: `user deleted by hand between plan and apply (before ${operation})`,
      how: `AdminDeleteUser of ${what} (trainee ${n}, another client) just before the roster's ${operation} (change roster)`,
      kind: "change",
      removedByFault: 1,
      arm: (w) =>
        beforeFirst(w, operation, () =>
          w.client().send(new AdminDeleteUserCommand({ UserPoolId: w.profile.userPoolId, Username: traineeEmail(n) })),
        ),
    }));
  }

  for (const [direction, skewMs] of [
    ["ahead of", 20 * 60_000],
    ["behind", -20 * 60_000],
  ] as const) {
    suite.expectRows(1);
    test(`the local clock 20 minutes ${direction} the service's, codes on: the faulted run itself succeeds`, async () => {
      const r = await suite.row({
        fault: `local clock 20 min ${direction} the service's (codes on)`,
        how: `the roster's clock ${skewMs > 0 ? "+" : "−"}20 min from the emulator's (the service's) during the faulted run; upload URLs are valid 15 min`,
        kind: "onboard",
        world: CODES,
        arm: () => skewEngineClock(clock, skewMs),
        disarm: () => skewEngineClock(clock, 0),
      });
      expectRowPasses(r);
      // Judged on the service's clock, no upload URL is taken for lapsed: one job, no re-run needed.
      expect({ exit: r.exit, reruns: r.reruns, jobsCreated: r.operations.filter((op) => op === "CreateUserImportJob").length }).toEqual({
        exit: "0",
        reruns: 0,
        jobsCreated: 1,
      });
    });
  }
});
