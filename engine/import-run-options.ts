/**
 * What an import run is told (engine/import-runner.ts): its timing, with the defaults a real pool needs, and the
 * options the apply passes.
 */
import type { DeclaredUser } from "../core/declared-user";
import type { ImportCsvLimits } from "../core/import-csv";
import type { ImportJob } from "../aws/import-jobs";
import type { Clock } from "./backoff";

/** A job is polled again after this fraction of the time it has been running (see jobPollMaxMs). */
export const JOB_POLL_FRACTION = 0.3;

export interface ImportTiming {
  /** First and longest wait between checks while waiting for another job or a refused start. */
  pollMinMs: number;
  pollMaxMs: number;
  /**
   * Longest wait between DescribeUserImportJob polls of our own job. Polls follow core/read-strategy's
   * pollDelayMs (a fixed fraction of the job's age, from pollMinMs up to this), so a long job costs few calls:
   * about 26 polls for a 42-minute job, and a finished job is noticed at most 30 % of its running time late.
   */
  jobPollMaxMs: number;
  /** First wait before retrying a start the service refused for now. */
  retryMinMs: number;
  /** Give up waiting for another active job (ours or the account's) after this long. */
  maxWaitMs: number;
  /**
   * Stop waiting for this run's own job after this long (ImportJobTimeoutError: the job id and what to do). A
   * 500,000-row job takes about 42 minutes (BENCHMARKS.md), so a job past this is stuck or starved, not slow.
   */
  ownJobMaxWaitMs: number;
  /** A pre-signed URL is valid 15 minutes; adopt an unfinished job's URL only while it has this much left. */
  urlLifetimeMs: number;
  /** An upload gives up after max(uploadMinMs, size at uploadMinBytesPerSecond): a stalled PUT never waits 300 s. */
  uploadMinMs: number;
  uploadMinBytesPerSecond: number;
  /** Another run's Created job of other content counts as a live contender for this long after its creation. */
  contenderWindowMs: number;
  /** A slow job is reported at least this often even when its counters do not move. */
  reportEveryMs: number;
}

export const DEFAULT_IMPORT_TIMING: ImportTiming = {
  pollMinMs: 1_000,
  pollMaxMs: 15_000,
  jobPollMaxMs: 10 * 60_000,
  retryMinMs: 1_000,
  maxWaitMs: 60 * 60_000,
  ownJobMaxWaitMs: 4 * 60 * 60_000,
  urlLifetimeMs: 14 * 60_000,
  uploadMinMs: 30_000,
  uploadMinBytesPerSecond: 256 * 1024,
  contenderWindowMs: 2 * 60_000,
  reportEveryMs: 30_000,
};

type ImportStep = "create" | "upload" | "start";

export interface ImportRunOptions {
  userPoolId: string;
  poolName: string;
  logsRoleArn: string;
  header: readonly string[];
  caseSensitive: boolean;
  /** The pool's UsernameAttributes: accounts are then named by their email or phone (core/sign-in-name.ts). */
  usernameAttributes?: readonly string[];
  timing?: Partial<ImportTiming>;
  limits?: ImportCsvLimits;
  progress?: (message: string) => void;
  /** Called after each step of a job; tests throw from it to simulate a crash at that point. */
  afterStep?: (step: ImportStep, job: ImportJob) => void;
  /** The clock every wait runs on (tests pass a fast one). */
  clock?: Clock;
  /**
   * Jobs this apply created, across its rounds: appended to by the runner. A job this apply left to expire when it
   * yielded is never taken for another run's.
   */
  ownJobIds?: string[];
  /** The pool's jobs listed just before the plan (waitForActiveImports); the first list of the run otherwise. */
  knownJobIds?: readonly string[];
  /** Called once before a job is started, with the users it may create: the sign-in codes they may be owed are written ahead. */
  beforeStart?: (job: ImportJob, users: readonly DeclaredUser[]) => void;
  /** Called when this run yields a job it called beforeStart for without starting it. */
  notStarted?: (job: ImportJob) => void;
}
