/**
 * The project's local Cognito emulator: cognito-idp (incl. user import jobs), the pre-signed uploads and the
 * CloudWatch Logs reads, on one listener at 127.0.0.1. `startEmulator()` is the in-process API for tests;
 * `command.ts` wraps it for `roster emulator`. See emulator/README.md for the behaviours and the choices.
 *
 * It starts empty: pools come from CreateUserPool, sent by whoever starts it. It imports nothing from the rest of
 * the project (test/emulator/independence.test.ts checks): it is built from the AWS documentation only.
 */
import * as http from "node:http";
import type { ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import type { EmulatorState, SentCode } from "./emulator-state";
import { FaultRegistry, type Faults } from "./faults";
import { DEFAULT_JOB_EXPIRY_MS, ImportJobs, type ImportSpeed } from "./import-jobs";
import { QuotaTracker } from "./quotas";
import { createRequestListener } from "./server";
import { coalescedSaves, emptyState, loadState, saveState, saveUpload } from "./state-file";

export interface EmulatorOptions {
  /** 0 or absent = a free port; the emulator listens on 127.0.0.1 only. */
  port?: number;
  /** Absent = in memory; present = loaded at start, saved atomically as it changes (coalesced) and at stop. */
  stateFile?: string;
  /** "aws" enforces the default per-category request rates. */
  quotas?: "off" | "aws";
  /** Default "000000000000". */
  accountId?: string;
  /** fast (default) = no start delay, 20,000 rows per event-loop turn; realistic = 30 s Pending then 200 rows/s. */
  importSpeed?: "fast" | "realistic" | { rowsPerSecond: number; startDelayMs: number };
  /** Rows failed + skipped tolerated before a job ends Failed. Default 0: any failed or skipped row fails the job. */
  failureThreshold?: number;
  /** ms since epoch; drives URL expiry (15 min), job expiry, timestamps and quota windows. */
  clock?: () => number;
  /** Created-but-not-started jobs become Expired after this long. Default 24 h (AWS: 24–48 h). */
  jobExpiryMs?: number;
  /** ListUsers shows the pool as it was this many ms ago (emulator clock). Default 0; same as faults.setListUsersLag. */
  listUsersLagMs?: number;
  /** Log events become readable this many ms after they are written. Default 0; same as faults.setLogIngestionDelay. */
  logIngestionDelayMs?: number;
}

export interface RunningEmulator {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
  callCounts(): Record<string, number>;
  /** Password-reset codes the emulator "sent" (ForgotPassword, AdminResetUserPassword), oldest first. */
  sentCodes(): readonly SentCode[];
  resetCallCounts(): void;
  faults: Faults;
}

const REALISTIC_SPEED: ImportSpeed = { rowsPerSecond: 200, startDelayMs: 30_000 };

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = options.clock ?? Date.now;
  const accountId = options.accountId ?? "000000000000";
  const stateFile = options.stateFile;
  const state: EmulatorState = stateFile ? loadState(stateFile) : emptyState();
  const faults = new FaultRegistry();
  if (options.listUsersLagMs) faults.setListUsersLag(options.listUsersLagMs);
  if (options.logIngestionDelayMs) faults.setLogIngestionDelay(options.logIngestionDelayMs);
  const quotas = new QuotaTracker(options.quotas === "aws", clock);
  const counts = new Map<string, number>();
  const stalled = new Set<ServerResponse>();
  // Saves are coalesced (state-file.ts): a busy emulator does not rewrite its whole state after every call.
  const saves = stateFile ? coalescedSaves(() => saveState(stateFile, state)) : undefined;
  const changed = () => saves?.changed();
  const speed =
    options.importSpeed === undefined || options.importSpeed === "fast"
      ? "fast"
      : options.importSpeed === "realistic"
        ? REALISTIC_SPEED
        : options.importSpeed;
  const jobs = new ImportJobs(state, {
    clock,
    speed,
    failureThreshold: options.failureThreshold ?? 0,
    jobExpiryMs: options.jobExpiryMs ?? DEFAULT_JOB_EXPIRY_MS,
    changed,
    faults,
    secret: randomBytes(32).toString("hex"),
  });

  let endpoint = "";
  const server = http.createServer(
    createRequestListener({
      context: (region, regionNamed) => ({ state, jobs, clock, accountId, region, regionNamed, endpoint, changed, faults }),
      faults,
      quotas,
      accountId,
      count: (op) => counts.set(op, (counts.get(op) ?? 0) + 1),
      uploads: {
        findJob: (poolId, jobId) => {
          const job = state.jobs.get(jobId);
          return job && job.UserPoolId === poolId ? jobs.refresh(job) : undefined;
        },
        signatureFor: (job) => jobs.signature(job.JobId, job.urlDate, job.urlExpires),
        clock,
        takeUploadFault: () => faults.takeUploadFault(),
        store: (job, bytes) => {
          state.uploads.set(job.JobId, bytes);
          job.uploaded = true;
          if (stateFile) saveUpload(stateFile, job.JobId, bytes);
          changed();
        },
        stalled,
      },
    }),
  );
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  endpoint = `http://127.0.0.1:${port}`;
  jobs.resumeAfterLoad();

  return {
    endpoint,
    port,
    faults,
    async stop() {
      jobs.shutdown();
      for (const res of stalled) res.destroy();
      stalled.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // Last, once nothing can change any more: the state on disk is the state at stop.
      saves?.flush();
    },
    callCounts: () => Object.fromEntries(counts),
    sentCodes: () => [...state.sent],
    resetCallCounts: () => counts.clear(),
  };
}

export { POOL_ID_TAG } from "./user-pools";
