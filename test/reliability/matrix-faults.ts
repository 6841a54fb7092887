/**
 * Building blocks the fault-matrix families share: stack settings, the kill at an exact step, two applies at once,
 * the roster's clock put off the service's, and the few real-time waits a scenario cannot avoid (a job imported at
 * a rate, a restart), each short and bounded. They arm faults; they judge nothing (matrix-scenario.ts does).
 */
import * as backoff from "../../engine/backoff";
import type { FastClock } from "./fast-clock";
import type { FaultedRun, Scenario } from "./matrix-scenario";
import type { MatrixWorld } from "./matrix-world";

/** A stack with `sendSignInCode: afterImport`: the row then also counts the codes (matrix-scenario.ts). */
export const CODES = { profile: { sendSignInCode: "afterImport" as const } };
export const UPLOAD = "PreSignedUpload";
/** A DescribeUserImportJob answer for a job that has ended. */
export const JOB_ENDED = /"Status":"(Succeeded|Failed|Stopped|Expired)"/;

export const failAfterFive = (w: MatrixWorld): void => w.emulator.faults.failJobAfterRows(5);

/** The job id in a CreateUserImportJob / StartUserImportJob / DescribeUserImportJob answer. */
export function jobIdOf(body: string): string {
  return (JSON.parse(body) as { UserImportJob: { JobId: string } }).UserImportJob.JobId;
}

/**
 * Runs `work` over `items`, at most `size` at a time — the next starts as soon as one ends, so a slow item holds up
 * only its own slot — keeping the order of the results.
 */
export async function inPool<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}

/** Two roster processes at once, the first CreateUserImportJob held until the other run sends one too (or 4 s). */
export function concurrentApplies(codes: boolean): Scenario {
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

type KillPhase = "create" | "upload" | "start" | "poll" | "confirm";

/**
 * A roster process killed with SIGKILL at a point the proxy sees, so the kill lands at the same step every time:
 * right after the emulator has done the phase's work and before the process learns of it.
 */
export function killedIn(phase: KillPhase, signal: "SIGKILL" | "SIGTERM" = "SIGKILL"): Scenario {
  const trigger: Record<KillPhase, string> = {
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
      if (phase === "confirm") failAfterFive(w);
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
          if (call.operation === "DescribeUserImportJob" && JOB_ENDED.test(answer.body)) jobFinished = true;
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
export function skewEngineClock(clock: FastClock, ms: number): void {
  const system = backoff.SYSTEM_CLOCK as { now: () => number };
  system.now = ms === 0 ? clock.now : () => clock.now() + ms;
}

/** Waits (real time, 10 ms steps, at most 2 s) until the job has imported at least one row or ended; returns its status. */
export async function waitForRows(w: MatrixWorld, jobId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const job = await w.job(jobId);
    if ((job.ImportedUsers ?? 0) > 0 || !["Pending", "InProgress"].includes(job.Status ?? "")) return job.Status ?? "";
    await realDelay(10);
  }
  return "InProgress";
}

/** A real-time pause that never keeps the test process alive. */
export function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
