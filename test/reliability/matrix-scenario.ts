/**
 * Runs one fault-matrix scenario: a world of its own, the roster's starting state, the fault armed, the faulted
 * run(s), the fault removed, re-runs until the plan has nothing to do, then the pool read back — and turns all of it
 * into one row. Scenarios say only what is particular to their fault.
 */
import { appendFileSync } from "node:fs";
import type { TraineeSpec } from "../support/roster-fixture";
import { decisiveLine, importedCount, lastLine, MAX_RERUNS, showsPersonalData, type MatrixRow } from "./matrix-report";
import { MAIN_CLIENT, MatrixWorld, traineeEmail, type RunOutput, type WorldOptions } from "./matrix-world";

/**
 * "onboard": 10 new trainees into an empty pool. "change": 9 trainees applied, then one of them disabled (a second
 * apply), then one renamed, one disabled, the disabled one enabled and one new — every kind of change the roster makes.
 */
export type RosterKind = "onboard" | "change";

const ONBOARD: TraineeSpec[] = Array.from({ length: 10 }, (_, i) => ({ n: i + 1 }));
const CHANGE_START: TraineeSpec[] = Array.from({ length: 9 }, (_, i) => ({ n: i + 1 }));
const CHANGE_BEFORE: TraineeSpec[] = [...Array.from({ length: 8 }, (_, i) => ({ n: i + 1 })), { n: 9, enabled: false }];
const CHANGE_AFTER: TraineeSpec[] = [
  { n: 1, givenName: "Renamed" },
  { n: 2, enabled: false },
  ...Array.from({ length: 6 }, (_, i) => ({ n: i + 3 })),
  { n: 9 },
  { n: 10 },
];

const DECLARED: Record<RosterKind, TraineeSpec[]> = { onboard: ONBOARD, change: CHANGE_AFTER };

/** What a faulted run produced: in-process output, or a spawned process (perhaps killed). */
export interface FaultedRun {
  out: RunOutput;
  killed?: string;
}

export interface Scenario {
  fault: string;
  how: string;
  kind: RosterKind;
  path?: MatrixRow["path"];
  /** Apply the declared roster once, cleanly, before the fault (a pool the roster already manages). */
  appliedBefore?: boolean;
  world?: Omit<WorldOptions, "clock">;
  /** Sets the fault up (emulator faults, proxy hooks, files). */
  arm?(world: MatrixWorld, notes: string[]): Promise<void> | void;
  /** The faulted run(s); default: one `cognito-roster apply --yes` in this process. */
  faulted?(world: MatrixWorld, notes: string[]): Promise<FaultedRun[]>;
  /**
   * Declared trainees the fault itself takes out of the pool during the faulted run (a hand deletion): they must be
   * imported again, so they count as missing when the runs' imports are checked against the missing trainees.
   */
  removedByFault?: number;
  /** Removes the fault; the emulator's faults and the proxy's hooks are cleared in any case. */
  disarm?(world: MatrixWorld): Promise<void> | void;
}

/** MATRIX_DEBUG=<file>: appends each scenario's steps and outputs there (stdout is captured during runs). */
function debug(text: string): void {
  if (process.env.MATRIX_DEBUG) appendFileSync(process.env.MATRIX_DEBUG, `${text}\n`);
}

/**
 * A run that has not answered within this much real time is reported as hung (and its connections cut). Generous:
 * spawned runs transpile the sources at start-up, four at once on a busy 2-core machine takes ~15 s.
 */
const WATCHDOG_MS = 60_000;

export async function runScenario(scenario: Scenario, options: WorldOptions): Promise<MatrixRow & { operations: string[] }> {
  const t0 = Date.now();
  const lap = (what: string) => debug(`${scenario.fault}: ${what} at ${Date.now() - t0} ms`);
  const world = await MatrixWorld.create({ ...options, ...scenario.world });
  lap("world");
  const notes: string[] = [];
  try {
    if (scenario.kind === "change") {
      await cleanApply(world, CHANGE_START, "the starting roster");
      await cleanApply(world, CHANGE_BEFORE, "the starting roster with one leaver");
    }
    if (scenario.appliedBefore) await cleanApply(world, DECLARED[scenario.kind], "the roster before the fault");
    lap("setup");
    world.writeUsers(DECLARED[scenario.kind]);
    let missing = await countMissing(world, DECLARED[scenario.kind]);
    const jobsBefore = new Set((await world.jobs()).map((j) => j.JobId));

    const generation = world.poolGeneration;
    const codes = codeCounter(world);
    await scenario.arm?.(world, notes);
    // A scenario that rebuilds the pool empty changes what must be imported (its fresh emulator has no faults).
    if (world.poolGeneration !== generation) missing = await countMissing(world, DECLARED[scenario.kind]);
    missing += scenario.removedByFault ?? 0;
    const callsBefore = world.proxy.calls.length;
    const faulted = scenario.faulted ? await scenario.faulted(world, notes) : [{ out: await watched(world, () => world.apply(), notes) }];
    lap("faulted");
    const operations = world.proxy.calls
      .slice(callsBefore)
      .filter((c) => c.client === MAIN_CLIENT)
      .map((c) => c.operation);
    world.emulator.faults.clear();
    world.proxy.hooks = {};
    await scenario.disarm?.(world);

    const converged = await converge(world, notes);
    const outputs = converged.outputs;
    let reruns = converged.reruns;
    lap("converged");
    for (const o of [...faulted.map((f) => f.out), ...outputs]) debug(`${scenario.fault}: exit ${o.code}\n${o.stdout}${o.stderr}`);
    const applies = [...faulted.map((f) => f.out), ...outputs];
    const imported = applies.reduce((sum, out) => sum + importedCount(out), 0);
    const jobsImported = (await world.jobs()).filter((j) => !jobsBefore.has(j.JobId)).reduce((sum, j) => sum + (j.ImportedUsers ?? 0), 0);
    const overCounted = Math.max(0, imported - missing, jobsImported - missing);
    if (imported > missing) notes.push(`FAIL: the runs reported ${imported} imported for ${missing} missing trainees`);
    if (jobsImported > missing) notes.push(`FAIL: the jobs imported ${jobsImported} users for ${missing} missing trainees`);

    if (applies.some((out) => showsPersonalData(out.stdout + out.stderr))) notes.push("FAIL: an apply printed personal data");
    const shown = pickLine(faulted);
    if (shown.personalData) notes.push("FAIL: the line shows personal data (masked here)");
    if (world.profile.sendSignInCode === "afterImport") notes.push(...(await codes.check(DECLARED[scenario.kind])));
    const failedJobs = (await world.jobs()).filter((j) => j.Status === "Failed").length;
    if (failedJobs > 0) notes.push(`${failedJobs} Failed job${failedJobs === 1 ? "" : "s"} in the pool's history`);
    const differing = await differingFromDeclaration(world, DECLARED[scenario.kind]);
    if (differing.length > 0) {
      notes.push(
        `FAIL: ${differing.length} trainee(s) in the pool differ from the files after the plan said nothing to do (${differing.join(", ")})`,
      );
      reruns = undefined;
    }
    // The checkout is a temporary directory: print its paths as the user would read them, relative.
    const relative = (text: string) => text.split(`${world.checkout.repoRoot}/`).join("");
    return {
      fault: scenario.fault,
      how: scenario.how,
      path: scenario.path ?? "CLI",
      sees: relative(shown.line),
      exit: faulted.map((f) => f.killed ?? String(f.out.code)).join(" / "),
      lost: await countLost(world, DECLARED[scenario.kind]),
      duplicated: (await countPoolDuplicates(world, DECLARED[scenario.kind])) + overCounted,
      reruns,
      notes: notes.map(relative),
      operations,
    };
  } finally {
    await world.dispose();
  }
}

async function cleanApply(world: MatrixWorld, trainees: TraineeSpec[], what: string): Promise<void> {
  world.writeUsers(trainees);
  const out = await world.apply();
  if (out.code !== 0) throw new Error(`applying ${what} failed (exit ${out.code}):\n${out.stdout}${out.stderr}`);
}

/** Runs `work`; if it has not finished after WATCHDOG_MS, cuts every connection in flight once and notes it. */
async function watched(world: MatrixWorld, work: () => Promise<RunOutput>, notes: string[]): Promise<RunOutput> {
  const running = work();
  let timer: NodeJS.Timeout | undefined;
  const hung = await Promise.race([
    running.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), WATCHDOG_MS))),
  ]);
  clearTimeout(timer);
  if (hung) {
    notes.push(`FAIL: no answer within ${WATCHDOG_MS / 1000} s; the test cut the connections in flight`);
    world.proxy.cutPending();
  }
  return running;
}

/** `cognito-roster apply --yes` as a process of its own (watched like an in-process run: cut after WATCHDOG_MS). */
export async function spawnedApply(world: MatrixWorld, notes: string[]): Promise<FaultedRun> {
  const run = world.spawn(MAIN_CLIENT, "apply", "--yes");
  return { out: await watched(world, () => run.done, notes) };
}

/** Re-runs without the fault: plan; while it has changes (and at most MAX_RERUNS times), apply and plan again. */
async function converge(world: MatrixWorld, notes: string[]): Promise<{ reruns: number | undefined; outputs: RunOutput[] }> {
  const outputs: RunOutput[] = [];
  for (let reruns = 0; ; reruns++) {
    const plan = await world.run("plan", "--format", "json");
    if (plan.code === 0 && !planHasWork(plan.stdout)) return { reruns, outputs };
    if (reruns === MAX_RERUNS) {
      notes.push(
        `FAIL: still not converged after ${MAX_RERUNS} re-runs: ${plan.code === 0 ? "the plan has changes" : decisiveLine(plan).line}`,
      );
      return { reruns: undefined, outputs };
    }
    outputs.push(await watched(world, () => world.apply(), notes));
  }
}

function planHasWork(json: string): boolean {
  const plan = JSON.parse(json) as Record<string, unknown[] | undefined> & { signInCodes?: number };
  const removals = (plan.remove ?? []).filter((r) => (r as { action?: string }).action !== "retain");
  // Sign-in codes still owed are work too (as the provider's diff counts them).
  const codesOwed = (plan.signInCodes ?? 0) > 0;
  return ["import", "update", "disable", "enable"].some((k) => (plan[k] ?? []).length > 0) || removals.length > 0 || codesOwed;
}

/**
 * With `sendSignInCode: afterImport`: every code the emulator delivered (across a pool rebuilt mid-scenario) against
 * the AdminResetUserPassword requests the proxy forwarded — an independent count at the HTTP level — and, for the
 * pool as it ends: codes sent twice to one trainee, and trainees still awaiting their first password (RESET_REQUIRED,
 * as every imported trainee) who were never sent one.
 */
function codeCounter(world: MatrixWorld) {
  const deliveredIn = () =>
    world.emulator.sentCodes().filter((c) => c.userPoolId === world.profile.userPoolId && c.reason === "AdminResetUserPassword");
  const generation = world.poolGeneration;
  const before = deliveredIn().length;
  const requestsBefore = world.proxy.calls.filter((c) => c.operation === "AdminResetUserPassword").length;
  return {
    async check(trainees: TraineeSpec[]): Promise<string[]> {
      const delivered = deliveredIn();
      const total = delivered.length - (world.poolGeneration === generation ? before : 0);
      const requests = world.proxy.calls.filter((c) => c.operation === "AdminResetUserPassword").length - requestsBefore;
      const perUser = new Map<string, number>();
      for (const c of delivered) perUser.set(c.username.toLowerCase(), (perUser.get(c.username.toLowerCase()) ?? 0) + 1);
      const twice = [...perUser.values()].filter((n) => n > 1).length;
      let unsent = 0;
      for (const t of trainees) {
        const user = await world.poolUserStatus(traineeEmail(t.n));
        if (user?.enabled && user.status === "RESET_REQUIRED" && !perUser.has(traineeEmail(t.n).toLowerCase())) unsent++;
      }
      const notes = [
        `codes: ${total} delivered, ${requests} AdminResetUserPassword requests at the HTTP level, ${twice} sent twice, ${unsent} owed and never sent`,
      ];
      if (twice > 0) notes.push(`FAIL: ${twice} trainee(s) were sent two codes`);
      if (unsent > 0) notes.push(`FAIL: ${unsent} imported trainee(s) were never sent a code`);
      if (total !== requests) notes.push("FAIL: the emulator's delivered codes and the HTTP-level count disagree");
      return notes;
    },
  };
}

function pickLine(faulted: FaultedRun[]): { line: string; personalData: boolean } {
  const picks = faulted.map((f) => (f.killed ? lastLine(f.out) : decisiveLine(f.out)));
  if (picks.length === 1) {
    const [p] = picks;
    return faulted[0].killed ? { ...p, line: `(killed) last line: ${p.line}` } : p;
  }
  return { line: picks.map((p, i) => `run ${i + 1}: ${p.line}`).join(" / "), personalData: picks.some((p) => p.personalData) };
}

/** Declared trainees absent from the pool (before the faulted run: what must be imported). */
async function countMissing(world: MatrixWorld, trainees: TraineeSpec[]): Promise<number> {
  let missing = 0;
  for (const t of trainees) if (!(await world.exists(traineeEmail(t.n)))) missing++;
  return missing;
}

/** Declared, enabled trainees not in the pool, by AdminGetUser (the consistent read). */
async function countLost(world: MatrixWorld, trainees: TraineeSpec[]): Promise<number> {
  return countMissing(
    world,
    trainees.filter((t) => t.enabled !== false),
  );
}

/**
 * Trainees present in the pool whose enabled state or declared attributes differ from the files (named by their
 * number, never their address): a plan that says "nothing to do" over such a pool has not converged.
 */
async function differingFromDeclaration(world: MatrixWorld, trainees: TraineeSpec[]): Promise<string[]> {
  const differing: string[] = [];
  for (const t of trainees) {
    const user = await world.poolUser(traineeEmail(t.n));
    if (!user) continue; // counted as lost (if enabled), not here
    const expected: Record<string, string> = {
      given_name: t.givenName ?? "Testname",
      family_name: "Synthetic",
      "custom:tisId": t.tisId ?? String(700000 + t.n),
    };
    const wrong = Object.entries(expected)
      .filter(([name, value]) => user.attributes[name] !== value)
      .map(([name]) => name);
    if (user.enabled !== (t.enabled !== false))
      wrong.push(t.enabled === false ? "enabled, declared disabled" : "disabled, declared enabled");
    if (wrong.length > 0) differing.push(`#${t.n}: ${wrong.join(" and ")}`);
  }
  return differing;
}

/** Declared trainees with more than one pool user (by username or e-mail, case-insensitively). */
async function countPoolDuplicates(world: MatrixWorld, trainees: TraineeSpec[]): Promise<number> {
  const users = await world.poolUsers();
  let duplicated = 0;
  for (const t of trainees) {
    const email = traineeEmail(t.n).toLowerCase();
    const matches = users.filter(
      (u) => u.Username?.toLowerCase() === email || u.Attributes?.some((a) => a.Name === "email" && a.Value?.toLowerCase() === email),
    );
    if (matches.length > 1) duplicated += matches.length - 1;
  }
  return duplicated;
}
