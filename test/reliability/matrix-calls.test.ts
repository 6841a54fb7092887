/**
 * Fault matrix, family "calls" (matrix-suite.ts): fault-free baselines of each roster kind, which also find the
 * operations the roster sends, then one fault on every one of them — throttling, a 5xx, a reset connection.
 */
import { matrixSuite, expectRowPasses } from "./matrix-suite";
import { runScenario, spawnedApply, type RosterKind, type Scenario } from "./matrix-scenario";
import { CODES, failAfterFive, inPool, UPLOAD } from "./matrix-faults";

/**
 * Operations the roster sent in the faulted run of each recipe: a fault-free run of each roster kind, a job that
 * fails midway (the roster then reads the job's log and confirms users one by one), and a change without the applied
 * record (a fresh checkout: every declared user is looked up).
 */
type Recipe = RosterKind | "failed job" | "full check";
const RECIPES: readonly Recipe[] = ["onboard", "change", "failed job", "full check"];
const sent: Record<Recipe, string[]> = { onboard: [], change: [], "failed job": [], "full check": [] };
/** Roster processes run at once for the throttling rows: each mostly waits on the SDK's rate limiter (~100 MB each). */
const THROTTLE_PARALLELISM = 6;

/** Every operation any recipe sent, except the upload (which has rows of its own). */
function allOperations(): string[] {
  return [...new Set(RECIPES.flatMap((r) => sent[r]))].filter((op) => op !== UPLOAD);
}

matrixSuite("calls", (suite) => {
  for (const kind of ["onboard", "change"] as const) {
    suite.expectRows(1);
    test(`no fault (${kind}): the baseline, and the operations the roster sends`, async () => {
      const r = await suite.row({
        fault: `no fault (${kind})`,
        how: kind === "onboard" ? "10 new trainees, empty pool" : "rename, disable, enable, import one",
        kind,
      });
      sent[kind] = [...new Set(r.operations)];
      expectRowPasses(r);
      expect(r.reruns).toBe(0);
    });
  }

  suite.matrixRow("sign-in codes on, no fault", () => ({
    fault: "sign-in codes on (no fault)",
    how: "10 new trainees, `sendSignInCode: afterImport`",
    kind: "onboard",
    world: CODES,
  }));

  suite.expectRows(1);
  test("a job that fails midway", async () => {
    const r = await suite.row({
      fault: "job fails midway",
      how: "emulator: the job ends Failed after 5 of 10 rows",
      kind: "onboard",
      arm: failAfterFive,
    });
    sent["failed job"] = [...new Set(r.operations)];
    expectRowPasses(r);
  });

  suite.expectRows(1);
  test("no fault, no applied record (a fresh checkout)", async () => {
    const r = await suite.row({
      fault: "no fault (change, no applied record)",
      how: "the change roster from a checkout without .roster/ (as in CI): every user is looked up",
      kind: "change",
      arm: (w) => w.removeAppliedRecord(),
    });
    sent["full check"] = [...new Set(r.operations)];
    expectRowPasses(r);
  });

  // One row per operation the roster sends (found by the runs above). Once is enough: the SDK's adaptive retry then
  // slows its client down for the rest of the run, in real time — so these rows run as roster processes, a few at once.
  test("throttling on each operation the roster sends", async () => {
    const operations = allOperations();
    expect(operations.length).toBeGreaterThan(0);
    const scenarios = operations.map((op): Scenario => {
      const recipe = RECIPES.find((r) => sent[r].includes(op)) ?? "onboard";
      const why = {
        onboard: "",
        change: " (change roster)",
        "failed job": " (the job fails after 5 of 10 rows, so the roster sends it)",
        "full check": " (change roster, no applied record)",
      }[recipe];
      return {
        fault: `throttling on ${op}`,
        how: `emulator: the next ${op} call answers TooManyRequestsException${why}`,
        kind: recipe === "onboard" || recipe === "failed job" ? "onboard" : "change",
        path: "CLI process",
        arm: (w) => {
          w.emulator.faults.throttle(op, 1);
          if (recipe === "failed job") failAfterFive(w);
          if (recipe === "full check") w.removeAppliedRecord();
        },
        faulted: async (w, notes) => [await spawnedApply(w, notes)],
      };
    });
    const results = await inPool(scenarios, THROTTLE_PARALLELISM, (scenario) => runScenario(scenario, { clock: suite.clock }));
    suite.record(results);
    suite.expectRows(operations.length);
    for (const r of results) expectRowPasses(r);
  }, 180_000);

  suite.matrixRow("5xx: one InternalErrorException on every operation", () => ({
    fault: "5xx on every operation",
    how: "emulator: the first call of each operation answers HTTP 500 InternalErrorException (change roster)",
    kind: "change",
    arm: (w) => {
      for (const op of allOperations()) w.emulator.faults.internalError(op, 1);
    },
  }));

  suite.matrixRow("connection reset on every operation", () => ({
    fault: "connection reset on every operation",
    how: "emulator: the first call of each operation has its connection destroyed without an answer (change roster)",
    kind: "change",
    arm: (w) => {
      for (const op of allOperations()) w.emulator.faults.dropConnection(op, 1);
    },
  }));
});
