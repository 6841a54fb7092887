/**
 * The fault matrix (issue 8 item 6): one scenario per fault against the project's emulator, through the `roster`
 * CLI, then re-runs without the fault until the plan has nothing to do, then the pool read back with an unmodified
 * SDK client. Every row must read 0 users lost, 0 duplicated, converged after at most one re-run; with sign-in codes
 * on, 0 codes sent twice, 0 owed and never sent, and the emulator's delivered codes equal to the HTTP-level count.
 * When every row has run, the last test compares the matrix with RELIABILITY.md (tests never write tracked files);
 * the script regenerates it:
 *
 *   npm run reliability
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as backoff from "../../engine/backoff";
import * as importRunner from "../../engine/import-runner";
import { FastClock } from "./fast-clock";
import { renderReliability, stableRows, type MatrixRow } from "./matrix-report";
import { runScenario, spawnedApply, type FaultedRun, type RosterKind, type Scenario } from "./matrix-scenario";
import { MAIN_CLIENT, traineeEmail, type MatrixWorld } from "./matrix-world";
import { AdminCreateUserCommand, StopUserImportJobCommand } from "@aws-sdk/client-cognito-identity-provider";

const ROOT = path.resolve(__dirname, "../..");
const COMMAND = "npm run reliability";
/** Set by `npm run reliability`: write RELIABILITY.md instead of comparing with it. */
const WRITE_REPORT = process.env.ROSTER_WRITE_RELIABILITY === "1";
const clock = new FastClock();
const began = Date.now();
const rows: MatrixRow[] = [];
/**
 * Operations the roster sent in the faulted run of each recipe: a fault-free run of each roster kind, a job that
 * fails midway (the roster then reads the job's log and confirms users one by one), and a change without the applied
 * record (a fresh checkout: every declared user is looked up).
 */
type Recipe = RosterKind | "failed job" | "full check";
const RECIPES: readonly Recipe[] = ["onboard", "change", "failed job", "full check"];
const sent: Record<Recipe, string[]> = { onboard: [], change: [], "failed job": [], "full check": [] };
const failAfterFive = (w: MatrixWorld) => w.emulator.faults.failJobAfterRows(5);
/** A stack with `sendSignInCode: afterImport`: the row then also counts the codes (matrix-scenario.ts). */
const CODES = { profile: { sendSignInCode: "afterImport" as const } };
const EXPIRED_TOKEN = JSON.stringify({ __type: "ExpiredTokenException", message: "The security token included in the request is expired" });
/** How many rows the matrix has once every scenario ran (set by the tests as they are declared). */
let expectedRows = 0;

beforeAll(() => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  clock.install();
});
afterAll(() => {
  clock.uninstall();
  if (WRITE_REPORT && rows.length === expectedRows) {
    const date = new Date().toISOString().slice(0, 10);
    writeFileSync(
      path.join(ROOT, "RELIABILITY.md"),
      renderReliability(rows, { command: COMMAND, date, node: process.versions.node, seconds: Math.round((Date.now() - began) / 1000) }),
    );
  }
});

/** Runs the scenario and records its row. */
async function row(scenario: Scenario): Promise<MatrixRow & { operations: string[] }> {
  const result = await runScenario(scenario, { clock });
  rows.push(withoutOperations(result));
  return result;
}

function withoutOperations(result: MatrixRow & { operations: string[] }): MatrixRow {
  const { operations: _operations, ...matrixRow } = result;
  return matrixRow;
}

function expectRowPasses(r: MatrixRow): void {
  expect({
    fault: r.fault,
    lost: r.lost,
    duplicated: r.duplicated,
    reruns: r.reruns,
    notes: r.notes.filter((n) => n.startsWith("FAIL")),
  }).toEqual({
    fault: r.fault,
    lost: 0,
    duplicated: 0,
    reruns: r.reruns !== undefined && r.reruns <= 1 ? r.reruns : "≤ 1",
    notes: [],
  });
}

/** Declares one matrix row as one test. */
function matrixRow(name: string, scenario: () => Scenario): void {
  expectedRows++;
  test(name, async () => expectRowPasses(await row(scenario())), 120_000);
}

const UPLOAD = "PreSignedUpload";
/** Roster processes run at once for the throttling rows (the machine has few cores; each process is ~100 MB). */
const THROTTLE_PARALLELISM = 4;

/** Runs `work` over `items`, at most `size` at a time, keeping the order of the results. */
async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

describe("fault matrix", () => {
  for (const kind of ["onboard", "change"] as const) {
    expectedRows++;
    test(`no fault (${kind}): the baseline, and the operations the roster sends`, async () => {
      const r = await row({
        fault: `no fault (${kind})`,
        how: kind === "onboard" ? "10 new trainees, empty pool" : "rename, disable, enable, import one",
        kind,
      });
      sent[kind] = [...new Set(r.operations)];
      expectRowPasses(r);
      expect(r.reruns).toBe(0);
    });
  }

  expectedRows++;
  test("a job that fails midway", async () => {
    const r = await row({
      fault: "job fails midway",
      how: "emulator: the job ends Failed after 5 of 10 rows",
      kind: "onboard",
      arm: failAfterFive,
    });
    sent["failed job"] = [...new Set(r.operations)];
    expectRowPasses(r);
  });

  expectedRows++;
  test("no fault, no applied record (a fresh checkout)", async () => {
    const r = await row({
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
    const results = await inBatches(scenarios, THROTTLE_PARALLELISM, (scenario) => runScenario(scenario, { clock }));
    rows.push(...results.map(withoutOperations));
    expectedRows += operations.length;
    for (const r of results) expectRowPasses(r);
  }, 180_000);

  matrixRow("5xx: one InternalErrorException on every operation", () => ({
    fault: "5xx on every operation",
    how: "emulator: the first call of each operation answers HTTP 500 InternalErrorException (change roster)",
    kind: "change",
    arm: (w) => {
      for (const op of allOperations()) w.emulator.faults.internalError(op, 1);
    },
  }));

  matrixRow("connection reset on every operation", () => ({
    fault: "connection reset on every operation",
    how: "emulator: the first call of each operation has its connection destroyed without an answer (change roster)",
    kind: "change",
    arm: (w) => {
      for (const op of allOperations()) w.emulator.faults.dropConnection(op, 1);
    },
  }));

  matrixRow("upload failure", () => ({
    fault: "upload failure",
    how: "emulator: the next 2 uploads answer HTTP 500 (S3 InternalError)",
    kind: "onboard",
    arm: (w) => w.emulator.faults.failUpload(2),
  }));

  matrixRow("upload stall", () => {
    const timing = importRunner.DEFAULT_IMPORT_TIMING as unknown as Record<string, number>;
    const saved = timing.uploadMinMs;
    return {
      fault: "upload stall",
      how: "emulator: the next upload is never answered; the upload timeout is set to 0.3 s for the test (default 30 s, real time)",
      kind: "onboard",
      arm: (w) => {
        if (saved !== undefined) timing.uploadMinMs = 300;
        w.emulator.faults.stallUpload(1);
      },
      disarm: () => {
        if (saved !== undefined) timing.uploadMinMs = saved;
      },
    };
  });

  matrixRow("pre-signed URL expiry", () => ({
    fault: "upload URL expired",
    how: "clock: 16 minutes pass between CreateUserImportJob and the upload (the URL is valid 15)",
    kind: "onboard",
    arm: (w) => {
      let expired = false;
      w.proxy.hooks.afterAnswer = (call) => {
        if (call.operation === "CreateUserImportJob" && !expired) {
          expired = true;
          clock.jump(16 * 60_000);
        }
      };
    },
  }));

  matrixRow("a foreign active job", () => ({
    fault: "another import job active in the account",
    how: "emulator: StartUserImportJob answers LimitExceededException until it has refused once",
    kind: "onboard",
    arm: (w) => {
      w.emulator.faults.setOtherJobActive(true);
      w.proxy.hooks.afterAnswer = (call, answer) => {
        if (call.operation === "StartUserImportJob" && answer.status !== 200) w.emulator.faults.setOtherJobActive(false);
      };
    },
  }));

  matrixRow("an unassumable logs role", () => ({
    fault: "logs role cannot be assumed",
    how: "emulator: every job fails as a whole (no log stream)",
    kind: "onboard",
    arm: (w) => w.emulator.faults.setLogsRoleUnassumable(true),
  }));

  matrixRow("ListUsers lag", () => ({
    fault: "ListUsers lag",
    how: "emulator: ListUsers sees writes only 10 s (emulator clock) after they happen",
    kind: "onboard",
    arm: (w) => w.emulator.faults.setListUsersLag(10_000),
  }));

  matrixRow("ListUsers lag right after an apply", () => ({
    fault: "ListUsers lag after a recent apply",
    how: "emulator: ListUsers sees writes only 10 s (emulator clock) after they happen, on a pool the roster has just changed (change roster)",
    kind: "change",
    arm: (w) => w.emulator.faults.setListUsersLag(10_000),
  }));

  matrixRow("ListUsers lag on a full check", () => ({
    fault: "ListUsers lag, no applied record",
    how: "emulator: ListUsers sees writes only 10 s after they happen; the pool was just changed and .roster/ is gone (a fresh checkout, as in CI), so every user is looked up (change roster)",
    kind: "change",
    arm: (w) => {
      w.removeAppliedRecord();
      w.emulator.faults.setListUsersLag(10_000);
    },
  }));

  matrixRow("empty and partial log pages", () => ({
    fault: "empty and partial GetLogEvents pages",
    how: "emulator: every GetLogEvents page before the end is empty or half full; the job fails after 5 of 10 rows, so the log is needed",
    kind: "onboard",
    arm: (w) => {
      w.emulator.faults.partialLogPages(0);
      w.emulator.faults.failJobAfterRows(5);
    },
  }));

  matrixRow("log ingestion delay", () => ({
    fault: "log ingestion delay",
    how: "emulator: log events readable 3 s after written; the job fails after 5 of 10 rows, so the log is needed",
    kind: "onboard",
    arm: (w) => {
      w.emulator.faults.setLogIngestionDelay(3_000);
      w.emulator.faults.failJobAfterRows(5);
    },
  }));

  matrixRow("a Region mismatch", () => ({
    fault: "Region mismatch",
    how: "stack config: aws:region eu-west-1 for an eu-west-2 pool; fixed before the re-runs",
    kind: "onboard",
    arm: (w) => w.writeStack("eu-west-1"),
    disarm: (w) => w.writeStack(),
  }));

  matrixRow("a default Region that is not the pool's", () => ({
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

  matrixRow("a stale applied record", () => ({
    fault: "stale applied record (pool rebuilt empty, same id)",
    how: "the roster applied; then a fresh emulator with an empty pool of the same id on the same endpoint",
    kind: "onboard",
    appliedBefore: true,
    arm: (w) => w.replaceWithEmptyPool(),
  }));

  matrixRow("a foreign applied record", () => ({
    fault: "foreign applied record",
    how: "the roster applied; the pool rebuilt empty and .roster/applied-matrix.json rewritten to name another pool",
    kind: "onboard",
    appliedBefore: true,
    arm: async (w) => {
      await w.replaceWithEmptyPool();
      w.rewriteAppliedRecord((text) => text.split(w.profile.userPoolId).join("eu-west-2_Foreign000"));
    },
  }));

  matrixRow("an emulator restart mid-job", () => ({
    fault: "emulator restart mid-job",
    how: "emulator with a state file, 40 rows/s: stopped once the job has imported a row, restarted on the same port",
    kind: "onboard",
    world: { stateFile: true, emulator: { importSpeed: { rowsPerSecond: 40, startDelayMs: 0 } } },
    arm: (w, notes) => {
      let restarted = false;
      w.proxy.hooks.afterAnswer = async (call, answer) => {
        if (call.operation !== "StartUserImportJob" || answer.status !== 200 || restarted) return;
        restarted = true;
        const jobId = (JSON.parse(answer.body) as { UserImportJob: { JobId: string } }).UserImportJob.JobId;
        const state = await waitForRows(w, jobId);
        if (state !== "InProgress") notes.push(`the job was ${state} before the restart`);
        await w.restartEmulator();
      };
    },
  }));

  for (const phase of ["create", "upload", "start", "poll", "confirm"] as const) {
    matrixRow(`the process killed in the ${phase} phase`, () => killedIn(phase));
  }

  matrixRow("sign-in codes on, no fault", () => ({
    fault: "sign-in codes on (no fault)",
    how: "10 new trainees, `sendSignInCode: afterImport`",
    kind: "onboard",
    world: CODES,
  }));

  for (const [op, kind] of [
    ["CreateUserImportJob", "onboard"],
    [UPLOAD, "onboard"],
    ["StartUserImportJob", "onboard"],
    ["AdminResetUserPassword", "onboard"],
    ["AdminUpdateUserAttributes", "change"],
    ["AdminDisableUser", "change"],
    ["AdminEnableUser", "change"],
  ] as const) {
    matrixRow(`the answer to ${op} lost after the service acted, codes on`, () => ({
      fault: `answer to ${op} lost after the service acted (codes on)`,
      how: `proxy: the first ${op} is carried out by the emulator, then the caller's connection is cut${kind === "change" ? " (change roster)" : ""}`,
      kind,
      world: CODES,
      arm: (w) => {
        let cut = false;
        w.proxy.hooks.afterAnswer = (call, answer) => {
          if (cut || call.operation !== op || answer.status !== 200) return undefined;
          cut = true;
          return "cut";
        };
      },
    }));
  }

  for (const [phase, signal] of [
    ["start", "SIGKILL"],
    ["poll", "SIGKILL"],
    ["poll", "SIGTERM"],
  ] as const) {
    matrixRow(`the process stopped with ${signal} in the ${phase} phase, codes on`, () => ({
      ...killedIn(phase, signal),
      fault: `process stopped with ${signal} in the ${phase} phase (codes on)`,
      world: CODES,
    }));
  }

  matrixRow("a malformed answer after the job ended, codes on", () => ({
    fault: "malformed answer (codes on)",
    how: "proxy: the first DescribeUserImportJob answer saying the job ended is replaced by a body that is not JSON",
    kind: "onboard",
    world: CODES,
    arm: (w) => {
      let done = false;
      w.proxy.hooks.afterAnswer = (call, answer) => {
        if (done || call.operation !== "DescribeUserImportJob" || !/"Status":"(Succeeded|Failed|Stopped)"/.test(answer.body))
          return undefined;
        done = true;
        return { status: 200, body: '{"UserImportJob": {"JobId": ' };
      };
    },
  }));

  matrixRow("credentials expired mid-run, codes on", () => ({
    fault: "expired token mid-run (codes on)",
    how: "proxy: once StartUserImportJob is answered, every call answers 400 ExpiredTokenException until the re-runs",
    kind: "onboard",
    world: CODES,
    arm: (w) => {
      let started = false;
      w.proxy.hooks.afterAnswer = (call, answer) => {
        if (call.operation === "StartUserImportJob" && answer.status === 200) started = true;
        return undefined;
      };
      w.proxy.hooks.beforeForward = (call) => (started && call.client === MAIN_CLIENT ? { status: 400, body: EXPIRED_TOKEN } : undefined);
    },
  }));

  matrixRow("answers held back, codes on", () => ({
    fault: "held-back answers (codes on)",
    how: "proxy: every DescribeUserImportJob and AdminResetUserPassword answer is held 0.3 s (real time) before it is relayed",
    kind: "onboard",
    world: CODES,
    arm: (w) => {
      w.proxy.hooks.afterAnswer = async (call) => {
        if (call.operation === "DescribeUserImportJob" || call.operation === "AdminResetUserPassword") await realDelay(300);
        return undefined;
      };
    },
  }));

  matrixRow("the job stopped by someone else, codes on", () => ({
    fault: "job stopped by someone else (codes on)",
    how: "emulator at 40 rows/s; once the job has imported a row, StopUserImportJob from another client",
    kind: "onboard",
    world: { ...CODES, emulator: { importSpeed: { rowsPerSecond: 40, startDelayMs: 0 } } },
    arm: (w, notes) => {
      let stopped = false;
      w.proxy.hooks.afterAnswer = async (call, answer) => {
        if (call.operation !== "StartUserImportJob" || answer.status !== 200 || stopped) return undefined;
        stopped = true;
        const jobId = (JSON.parse(answer.body) as { UserImportJob: { JobId: string } }).UserImportJob.JobId;
        const state = await waitForRows(w, jobId);
        if (state !== "InProgress") notes.push(`the job was ${state} before it was stopped`);
        await w.client().send(new StopUserImportJobCommand({ UserPoolId: w.profile.userPoolId, JobId: jobId }));
        return undefined;
      };
    },
  }));

  for (const [direction, imported] of [
    ["behind", 0],
    ["ahead of", 10],
  ] as const) {
    matrixRow(`job counters ${direction} the log, codes on`, () => ({
      fault: `job counters ${direction} the log (codes on)`,
      how: `proxy: DescribeUserImportJob answers for the ended job say ImportedUsers ${imported}${imported > 0 ? " (the job failed after 5 of 10 rows)" : ""}`,
      kind: "onboard",
      world: CODES,
      arm: (w) => {
        if (imported > 0) w.emulator.faults.failJobAfterRows(5);
        w.proxy.hooks.afterAnswer = (call, answer) => {
          if (call.operation !== "DescribeUserImportJob" || !/"Status":"(Succeeded|Failed|Stopped)"/.test(answer.body)) return undefined;
          const out = JSON.parse(answer.body) as { UserImportJob: Record<string, unknown> };
          out.UserImportJob.ImportedUsers = imported;
          return { status: answer.status, body: JSON.stringify(out) };
        };
      },
    }));
  }

  matrixRow("a user created by hand between plan and apply, codes on", () => ({
    fault: "user created by hand between plan and apply (codes on)",
    how: "AdminCreateUser of trainee 3 (another client) just before the roster's CreateUserImportJob: its row is skipped",
    kind: "onboard",
    world: CODES,
    arm: (w) => {
      let created = false;
      w.proxy.hooks.beforeForward = async (call) => {
        if (created || call.operation !== "CreateUserImportJob" || call.client !== MAIN_CLIENT) return undefined;
        created = true;
        await w.client().send(
          new AdminCreateUserCommand({
            UserPoolId: w.profile.userPoolId,
            Username: traineeEmail(3),
            MessageAction: "SUPPRESS",
            UserAttributes: [
              { Name: "email", Value: traineeEmail(3) },
              { Name: "email_verified", Value: "true" },
            ],
          }),
        );
        return undefined;
      };
    },
  }));

  for (const [direction, skewMs] of [
    ["ahead of", 20 * 60_000],
    ["behind", -20 * 60_000],
  ] as const) {
    expectedRows++;
    test(`the local clock 20 minutes ${direction} the service's, codes on: the faulted run itself succeeds`, async () => {
      const r = await row({
        fault: `local clock 20 min ${direction} the service's (codes on)`,
        how: `the roster's clock ${skewMs > 0 ? "+" : "−"}20 min from the emulator's (the service's) during the faulted run; upload URLs are valid 15 min`,
        kind: "onboard",
        world: CODES,
        arm: () => skewEngineClock(skewMs),
        disarm: () => skewEngineClock(0),
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

  matrixRow("a pool re-created under the same id, codes on", () => ({
    fault: "pool deleted and re-created under the same id (codes on)",
    how: "the roster applied and sent its codes; then a fresh emulator with an empty pool of the same id on the same endpoint",
    kind: "onboard",
    appliedBefore: true,
    world: CODES,
    arm: (w) => w.replaceWithEmptyPool(),
  }));

  for (const codes of [false, true]) {
    matrixRow(`two concurrent applies${codes ? ", codes on" : ""}`, () => concurrentApplies(codes));
  }
});

/** Two roster processes at once, the first CreateUserImportJob held until the other run sends one too (or 4 s). */
function concurrentApplies(codes: boolean): Scenario {
  return {
    fault: `two concurrent applies${codes ? " (codes on)" : ""}`,
    how: "two roster processes at once; the first CreateUserImportJob is held until the other run sends one too (or 4 s)",
    kind: "onboard",
    path: "CLI process",
    ...(codes ? { world: CODES } : {}),
    faulted: async (w, notes) => {
      let release: (() => void) | undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let first: string | undefined;
      w.proxy.hooks.beforeForward = async (call) => {
        if (call.operation !== "CreateUserImportJob") return;
        if (first === undefined) {
          first = call.client;
          await Promise.race([held, realDelay(4000)]);
        } else if (call.client !== first) release?.();
      };
      const a = w.spawn("matrix-a", "apply", "--yes");
      const b = w.spawn("matrix-b", "apply", "--yes");
      const [outA, outB] = await Promise.all([a.done, b.done]);
      if (!first) notes.push("neither run created a job");
      return [{ out: outA }, { out: outB }];
    },
  };
}

// Declared last, so it runs after every row. Compares what does not vary between runs (the date, Node, timings, job
// ids and the exact wording of a line may): each row's fault, how, run, exit, users lost and duplicated, re-runs.
test("RELIABILITY.md is this matrix (regenerate it with `npm run reliability`)", () => {
  if (rows.length !== expectedRows) return; // a filtered run (jest -t) has only some rows: nothing to compare
  const committed = stableRows(readFileSync(path.join(ROOT, "RELIABILITY.md"), "utf8"));
  const now = stableRows(renderReliability(rows, { command: COMMAND, date: "", node: "", seconds: 0 }));
  expect(now).toEqual(committed);
});

/**
 * A roster process killed with SIGKILL at a point the proxy sees, so the kill lands at the same step every time:
 * right after the emulator has done the phase's work and before the process learns of it.
 */
function killedIn(phase: "create" | "upload" | "start" | "poll" | "confirm", signal: "SIGKILL" | "SIGTERM" = "SIGKILL"): Scenario {
  const trigger: Record<typeof phase, string> = {
    create: "once the emulator has created the job (the answer never reaches the process)",
    upload: "once the emulator has stored the upload (the answer never reaches the process)",
    start: "once the emulator has started the job (the answer never reaches the process)",
    poll: "once its first DescribeUserImportJob has been answered (the answer never reaches the process)",
    confirm:
      "at its first call after DescribeUserImportJob said the job ended (the job fails after 5 of 10 rows, so there is something to confirm)",
  };
  return {
    fault: `process killed in the ${phase} phase`,
    how: `a roster process, ${signal} ${trigger[phase]}`,
    kind: "onboard",
    path: "CLI process",
    faulted: async (w, notes): Promise<FaultedRun[]> => {
      // A job that succeeded in full is confirmed by its counters alone (no call to kill at): give it rows to check.
      if (phase === "confirm") w.emulator.faults.failJobAfterRows(5);
      const run = w.spawn("matrix-killed", "apply", "--yes");
      let killed = false;
      let jobFinished = false;
      const kill = async (): Promise<"cut"> => {
        killed = true;
        run.child.kill(signal);
        await run.done;
        return "cut";
      };
      const op = { create: "CreateUserImportJob", upload: UPLOAD, start: "StartUserImportJob", poll: "DescribeUserImportJob" } as Record<
        string,
        string
      >;
      w.proxy.hooks.beforeForward = (call) =>
        phase === "confirm" && jobFinished && !killed && call.client === "matrix-killed" ? kill() : undefined;
      w.proxy.hooks.afterAnswer = (call, answer) => {
        if (killed || (call.client !== "matrix-killed" && call.operation !== UPLOAD)) return undefined;
        if (phase === "confirm") {
          if (call.operation === "DescribeUserImportJob" && /"Status":"(Succeeded|Failed|Stopped|Expired)"/.test(answer.body))
            jobFinished = true;
          return undefined;
        }
        return call.operation === op[phase] && answer.status === 200 ? kill() : undefined;
      };
      const out = await run.done;
      if (!killed)
        notes.push(
          phase === "confirm"
            ? "no AWS call after the job finished: the run ended before it could be killed"
            : "FAIL: the kill point was never reached",
        );
      return [{ out, killed: killed ? "killed" : undefined }];
    },
  };
}

/** Puts the roster's clock (the engine's default, which the in-process CLI uses) `ms` off the emulator's. */
function skewEngineClock(ms: number): void {
  const system = backoff.SYSTEM_CLOCK as { now: () => number };
  system.now = ms === 0 ? clock.now : () => clock.now() + ms;
}

/** Every operation any recipe sent, except the upload (which has rows of its own). */
function allOperations(): string[] {
  return [...new Set(RECIPES.flatMap((r) => sent[r]))].filter((op) => op !== UPLOAD);
}

/** Waits (real time) until the job has imported at least one row or ended; returns its status. */
async function waitForRows(w: MatrixWorld, jobId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const job = await w.job(jobId);
    if ((job.ImportedUsers ?? 0) > 0 || !["Pending", "InProgress"].includes(job.Status ?? "")) return job.Status ?? "";
    await realDelay(10);
  }
  return "InProgress";
}

/** A real-time pause that never keeps the test process alive. */
function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
