/**
 * The project's local Cognito emulator: cognito-idp (incl. user import jobs), the pre-signed uploads and the
 * CloudWatch Logs reads, on one listener at 127.0.0.1. `startEmulator()` is the in-process API for tests;
 * `command.ts` wraps it for `cognito-roster emulator`. See emulator/README.md for the behaviours and the choices.
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
import type { UploadHooks } from "./uploads";
import { type Messaging, MessagingRegistry, type MessagingSettings } from "./messaging";

export interface EmulatorOptions {
  /** 0 or absent = a free port; the emulator listens on 127.0.0.1 only. */
  port?: number;
  /** Absent = in memory; present = loaded at start, saved atomically as it changes (coalesced) and at stop. */
  stateFile?: string;
  /** "aws" enforces the default per-category request rates. */
  quotas?: "off" | "aws";
  /** Default "000000000000". */
  accountId?: string;
  /** fast (default) = no start delay, 5,000 rows per event-loop turn; realistic = 30 s Pending then 200 rows/s. */
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
  /** SES's and SNS's capacity in every Region (emulator/messaging.ts). Default: a new account's (both sandboxes). */
  messaging?: MessagingSettings;
}

export interface RunningEmulator {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
  callCounts(): Record<string, number>;
  /** Messages the emulator "sent" (reset codes, invitations, SMS MFA codes), oldest first; also at GET /_emulator/outbox. */
  sentCodes(): readonly SentCode[];
  resetCallCounts(): void;
  faults: Faults;
  /** SES's and SNS's capacity as GetAccount, GetSMSSandboxAccountStatus and GetSMSAttributes report it. */
  messaging: Messaging;
}

const REALISTIC_SPEED: ImportSpeed = { rowsPerSecond: 200, startDelayMs: 30_000 };

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = options.clock ?? Date.now;
  const stateFile = options.stateFile;
  const state: EmulatorState = stateFile ? loadState(stateFile) : emptyState();
  const faults = faultsFrom(options);
  // Saves are coalesced (state-file.ts): a busy emulator does not rewrite its whole state after every call.
  const saves = stateFile ? coalescedSaves(() => saveState(stateFile, state)) : undefined;
  const changed = () => saves?.changed();
  const jobs = new ImportJobs(state, {
    clock,
    speed: importSpeedOf(options.importSpeed),
    failureThreshold: options.failureThreshold ?? 0,
    jobExpiryMs: options.jobExpiryMs ?? DEFAULT_JOB_EXPIRY_MS,
    changed,
    faults,
    secret: randomBytes(32).toString("hex"),
  });
  const parts: EmulatorParts = {
    state,
    jobs,
    faults,
    clock,
    changed,
    stateFile,
    accountId: options.accountId ?? "000000000000",
    counts: new Map(),
    stalled: new Set(),
    endpoint: "",
    messaging: new MessagingRegistry(),
  };
  if (options.messaging) parts.messaging.set(options.messaging);
  const server = http.createServer(requestListenerFor(parts, new QuotaTracker(options.quotas === "aws", clock)));
  server.keepAliveTimeout = 1000;
  const port = await listenOnLoopback(server, options.port ?? 0);
  parts.endpoint = `http://127.0.0.1:${port}`;
  jobs.resumeAfterLoad();
  return runningEmulator(parts, server, port, () => saves?.flush());
}

/** What the request handlers share for the emulator's lifetime. */
interface EmulatorParts {
  state: EmulatorState;
  jobs: ImportJobs;
  faults: FaultRegistry;
  clock: () => number;
  /** Marks the state changed, for the coalesced save. */
  changed: () => void;
  stateFile?: string;
  accountId: string;
  counts: Map<string, number>;
  /** Stalled upload responses, ended by `stop()`. */
  stalled: Set<ServerResponse>;
  /** Known once the listener has a port; requests only arrive after that. */
  endpoint: string;
  messaging: MessagingRegistry;
}

function faultsFrom(options: EmulatorOptions): FaultRegistry {
  const faults = new FaultRegistry();
  if (options.listUsersLagMs) faults.setListUsersLag(options.listUsersLagMs);
  if (options.logIngestionDelayMs) faults.setLogIngestionDelay(options.logIngestionDelayMs);
  return faults;
}

function importSpeedOf(speed: EmulatorOptions["importSpeed"]): ImportSpeed | "fast" {
  if (speed === undefined || speed === "fast") return "fast";
  return speed === "realistic" ? REALISTIC_SPEED : speed;
}

function requestListenerFor(parts: EmulatorParts, quotas: QuotaTracker): http.RequestListener {
  const { state, jobs, faults, clock, changed, accountId, counts } = parts;
  return createRequestListener({
    context: (region, regionNamed) => ({ state, jobs, clock, accountId, region, regionNamed, endpoint: parts.endpoint, changed, faults }),
    faults,
    quotas,
    accountId,
    count: (op) => counts.set(op, (counts.get(op) ?? 0) + 1),
    uploads: uploadHooksFor(parts),
    outbox: () => state.sent,
    messaging: parts.messaging,
  });
}

function uploadHooksFor(parts: EmulatorParts): UploadHooks {
  const { state, jobs, faults, stateFile } = parts;
  return {
    findJob: (poolId, jobId) => {
      const job = state.jobs.get(jobId);
      return job && job.UserPoolId === poolId ? jobs.refresh(job) : undefined;
    },
    signatureFor: (job) => jobs.signature(job.JobId, job.urlDate, job.urlExpires),
    clock: parts.clock,
    takeUploadFault: () => faults.takeUploadFault(),
    store: (job, bytes) => {
      state.uploads.set(job.JobId, bytes);
      job.uploaded = true;
      if (stateFile) saveUpload(stateFile, job.JobId, bytes);
      parts.changed();
    },
    stalled: parts.stalled,
  };
}

/** Listens on 127.0.0.1 only; `port` 0 takes a free one. Resolves with the port listened on. */
async function listenOnLoopback(server: http.Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  return typeof address === "object" && address !== null ? address.port : 0;
}

function runningEmulator(parts: EmulatorParts, server: http.Server, port: number, flushSaves: () => void): RunningEmulator {
  const { counts, stalled, state } = parts;
  return {
    endpoint: parts.endpoint,
    port,
    faults: parts.faults,
    messaging: parts.messaging,
    async stop() {
      parts.jobs.shutdown();
      for (const res of stalled) res.destroy();
      stalled.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // Last, once nothing can change any more: the state on disk is the state at stop.
      flushSaves();
    },
    callCounts: () => Object.fromEntries(counts),
    sentCodes: () => [...state.sent],
    resetCallCounts: () => counts.clear(),
  };
}
