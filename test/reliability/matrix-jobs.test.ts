/**
 * Fault matrix, family "jobs" (matrix-suite.ts): the upload and the import job — failed and stalled uploads, a lapsed
 * URL, a foreign active job, a job that fails as a whole, an emulator restart mid-job, a job stuck, stopped or
 * expired, counters that disagree with the log, and answers that are malformed, refused or held back.
 */
import { StopUserImportJobCommand } from "@aws-sdk/client-cognito-identity-provider";
import * as importRunOptions from "../../engine/import-run-options";
import { matrixSuite } from "./matrix-suite";
import { CODES, JOB_ENDED, jobIdOf, realDelay, waitForRows } from "./matrix-faults";
import { MAIN_CLIENT } from "./matrix-world";

const EXPIRED_TOKEN = JSON.stringify({ __type: "ExpiredTokenException", message: "The security token included in the request is expired" });
/** A job not started within 24 hours of its creation expires (cognito-import.md §3: 24–48 hours). */
const PAST_JOB_EXPIRY_MS = 25 * 3600_000;

matrixSuite("jobs", (suite) => {
  const { clock } = suite;

  suite.matrixRow("upload failure", () => ({
    fault: "upload failure",
    how: "emulator: the next 2 uploads answer HTTP 500 (S3 InternalError)",
    kind: "onboard",
    arm: (w) => w.emulator.faults.failUpload(2),
  }));

  suite.matrixRow("upload stall", () => {
    const timing = importRunOptions.DEFAULT_IMPORT_TIMING as unknown as Record<string, number>;
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

  suite.matrixRow("pre-signed URL expiry", () => ({
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

  suite.matrixRow("a foreign active job", () => ({
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

  suite.matrixRow("an unassumable logs role", () => ({
    fault: "logs role cannot be assumed",
    how: "emulator: every job fails as a whole (no log stream)",
    kind: "onboard",
    arm: (w) => w.emulator.faults.setLogsRoleUnassumable(true),
  }));

  suite.matrixRow("an emulator restart mid-job", () => ({
    fault: "emulator restart mid-job",
    how: "emulator with a state file, 40 rows/s: stopped once the job has imported a row, restarted on the same port",
    kind: "onboard",
    world: { stateFile: true, emulator: { importSpeed: { rowsPerSecond: 40, startDelayMs: 0 } } },
    arm: (w, notes) => {
      let restarted = false;
      w.proxy.hooks.afterAnswer = async (call, answer) => {
        if (call.operation !== "StartUserImportJob" || answer.status !== 200 || restarted) return;
        restarted = true;
        const state = await waitForRows(w, jobIdOf(answer.body));
        if (state !== "InProgress") notes.push(`the job was ${state} before the restart`);
        await w.restartEmulator();
      };
    },
  }));

  suite.matrixRow("the job stuck in InProgress, codes on", () => ({
    fault: "job stuck in InProgress (codes on)",
    how: "proxy: every DescribeUserImportJob answer to the run says InProgress (the job never leaves it as far as the run can tell); the roster gives up after its own limit, on the virtual clock",
    kind: "onboard",
    world: CODES,
    arm: (w) => {
      w.proxy.hooks.afterAnswer = (call, answer) => {
        if (call.operation !== "DescribeUserImportJob" || call.client !== MAIN_CLIENT || answer.status !== 200) return undefined;
        const out = JSON.parse(answer.body) as { UserImportJob: Record<string, unknown> };
        Object.assign(out.UserImportJob, { Status: "InProgress", ImportedUsers: 0, SkippedUsers: 0, FailedUsers: 0 });
        delete out.UserImportJob.CompletionDate;
        delete out.UserImportJob.CompletionMessage;
        return { status: 200, body: JSON.stringify(out) };
      };
    },
  }));

  suite.matrixRow("the job stopped by someone else, codes on", () => ({
    fault: "job stopped by someone else (codes on)",
    how: "emulator at 40 rows/s; once the job has imported a row, StopUserImportJob from another client",
    kind: "onboard",
    world: { ...CODES, emulator: { importSpeed: { rowsPerSecond: 40, startDelayMs: 0 } } },
    arm: (w, notes) => {
      let stopped = false;
      w.proxy.hooks.afterAnswer = async (call, answer) => {
        if (call.operation !== "StartUserImportJob" || answer.status !== 200 || stopped) return undefined;
        stopped = true;
        const jobId = jobIdOf(answer.body);
        const state = await waitForRows(w, jobId);
        if (state !== "InProgress") notes.push(`the job was ${state} before it was stopped`);
        await w.client().send(new StopUserImportJobCommand({ UserPoolId: w.profile.userPoolId, JobId: jobId }));
        return undefined;
      };
    },
  }));

  suite.matrixRow("the job expired before it was started, codes on", () => ({
    fault: "job expired before it was started (codes on)",
    how: "clock: 25 hours pass between the upload and StartUserImportJob (a job not started within 24 h expires)",
    kind: "onboard",
    world: CODES,
    arm: (w) => {
      let expired = false;
      w.proxy.hooks.beforeForward = (call) => {
        if (expired || call.operation !== "StartUserImportJob" || call.client !== MAIN_CLIENT) return undefined;
        expired = true;
        clock.jump(PAST_JOB_EXPIRY_MS);
        return undefined;
      };
    },
  }));

  for (const [direction, imported] of [
    ["behind", 0],
    ["ahead of", 10],
  ] as const) {
    suite.matrixRow(`job counters ${direction} the log, codes on`, () => ({
      fault: `job counters ${direction} the log (codes on)`,
      how: `proxy: DescribeUserImportJob answers for the ended job say ImportedUsers ${imported}${imported > 0 ? " (the job failed after 5 of 10 rows)" : ""}`,
      kind: "onboard",
      world: CODES,
      arm: (w) => {
        if (imported > 0) w.emulator.faults.failJobAfterRows(5);
        w.proxy.hooks.afterAnswer = (call, answer) => {
          if (call.operation !== "DescribeUserImportJob" || !JOB_ENDED.test(answer.body)) return undefined;
          const out = JSON.parse(answer.body) as { UserImportJob: Record<string, unknown> };
          out.UserImportJob.ImportedUsers = imported;
          return { status: answer.status, body: JSON.stringify(out) };
        };
      },
    }));
  }

  suite.matrixRow("a malformed answer after the job ended, codes on", () => ({
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

  suite.matrixRow("credentials expired mid-run, codes on", () => ({
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

  suite.matrixRow("answers held back, codes on", () => ({
    fault: "held-back answers (codes on)",
    how: "proxy: every DescribeUserImportJob and AdminResetUserPassword answer is held 0.1 s (real time) before it is relayed",
    kind: "onboard",
    world: CODES,
    arm: (w) => {
      w.proxy.hooks.afterAnswer = async (call) => {
        if (call.operation === "DescribeUserImportJob" || call.operation === "AdminResetUserPassword") await realDelay(100);
        return undefined;
      };
    },
  }));
});
