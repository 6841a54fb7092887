/**
 * Runs Cognito user import jobs for the users a plan imports, and finds out what became of each of them.
 *
 * Per CSV part (≤ 500,000 users and ≤ 100 MB): wait while a job of ours is active, create a job with a name
 * derived from the part's content (so a re-run after a crash finds and adopts its own unfinished job instead of
 * creating another), upload with the SSE header (a lapsed 15-minute URL means a new job), start (retrying
 * "No csv file was uploaded" and waiting while another job in the account is active), poll with backoff, read the
 * job's log, then confirm every user by reading the pool: line numbers are only a hint, and a Failed job may
 * still have imported some users. Nothing personal and no pre-signed URL is ever put into progress messages.
 */
import { createHash } from "crypto";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { DeclaredUser } from "../core/declared-user";
import type { PoolUser } from "../core/pool-user";
import { splitImportCsv, COGNITO_IMPORT_LIMITS, type ImportCsvLimits, type ImportCsvPart } from "../core/import-csv";
import { normalizeUsername } from "../core/user-digest";
import {
  ACTIVE_STATUSES,
  createImportJob,
  describeImportJob,
  FINISHED_STATUSES,
  type ImportJob,
  listImportJobs,
  startImportJob,
  uploadCsv,
  UploadError,
} from "../aws/import-jobs";
import { importLogGroup, importLogStream, readImportLog, type RowResult } from "../aws/import-log";
import { errorName } from "../aws/error-name";
import { observePool } from "./observe-pool";

export const JOB_NAME_PREFIX = "cognito-roster-";

export interface ImportTiming {
  /** First and longest wait between DescribeUserImportJob polls. */
  pollMinMs: number;
  pollMaxMs: number;
  /** First wait before retrying a start the service refused for now. */
  retryMinMs: number;
  /** Give up waiting for another active job (ours or the account's) after this long. */
  maxWaitMs: number;
  /** A pre-signed URL is valid 15 minutes; adopt an unfinished job's URL only while it has this much left. */
  urlLifetimeMs: number;
}

export const DEFAULT_IMPORT_TIMING: ImportTiming = {
  pollMinMs: 1_000,
  pollMaxMs: 15_000,
  retryMinMs: 1_000,
  maxWaitMs: 60 * 60_000,
  urlLifetimeMs: 14 * 60_000,
};

export type ImportStep = "create" | "upload" | "start";

export interface ImportRunOptions {
  userPoolId: string;
  poolName: string;
  logsRoleArn: string;
  header: readonly string[];
  caseSensitive: boolean;
  timing?: Partial<ImportTiming>;
  limits?: ImportCsvLimits;
  progress?: (message: string) => void;
  /** Called after each step of a job; tests throw from it to simulate a crash at that point. */
  afterStep?: (step: ImportStep, job: ImportJob) => void;
  now?: () => number;
}

export interface FailedImport {
  user: DeclaredUser;
  reason: string;
}

export interface JobSummary {
  jobId: string;
  jobName: string;
  status: string;
  users: number;
  imported: number;
  skipped: number;
  failed: number;
  completionMessage?: string;
}

export interface ImportOutcome {
  /** Users now in the pool, with the pool's copy. */
  present: { user: DeclaredUser; pool: PoolUser }[];
  /** Users the pool still lacks, with the reason from the job's log (or the job's completion message). */
  failed: FailedImport[];
  jobs: JobSummary[];
}

export class ImportJobError extends Error {
  readonly name = "ImportJobError";
  constructor(
    message: string,
    readonly jobId: string,
    readonly status: string,
  ) {
    super(message);
  }
}

export async function runImports(
  cognito: CognitoIdentityProviderClient,
  logs: CloudWatchLogsClient,
  users: readonly DeclaredUser[],
  options: ImportRunOptions,
): Promise<ImportOutcome> {
  const outcome: ImportOutcome = { present: [], failed: [], jobs: [] };
  if (users.length === 0) return outcome;
  const timing = { ...DEFAULT_IMPORT_TIMING, ...options.timing };
  const say = options.progress ?? (() => undefined);
  const parts = splitImportCsv(users, options.header, options.limits ?? COGNITO_IMPORT_LIMITS);

  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const label = `import ${i + 1}/${parts.length} (${part.users.length} users)`;
    const jobName = importJobName(part, i, parts.length);
    const finished = await runOneJob(cognito, part, jobName, label, options, timing, say);
    outcome.jobs.push({ ...summarise(finished), users: part.users.length });
    say(`${label}: job ${finished.jobId} ${finished.status}: ${finished.imported} imported, ${finished.skipped} skipped, ${finished.failed} failed`);

    const rows = await readImportLog(logs, importLogGroup(options.userPoolId, options.poolName), importLogStream(finished.jobId, finished.jobName));
    const confirmed = await observePool(cognito, {
      userPoolId: options.userPoolId,
      caseSensitive: options.caseSensitive,
      usersToCheck: part.users,
      removedDigestsToFind: [],
    });
    const rowOf = rowNumbering(rows, part.users.length);
    part.users.forEach((user, index) => {
      const pool = confirmed.observed.get(normalizeUsername(user.username, options.caseSensitive)) ?? null;
      if (pool) {
        outcome.present.push({ user, pool });
        return;
      }
      const row = rows.get(rowOf(index));
      const reason =
        row && row.outcome === "FAILED"
          ? row.reason
          : `not in the pool after job ${finished.jobId} ended ${finished.status}${finished.completionMessage ? `: ${finished.completionMessage}` : ""}`;
      outcome.failed.push({ user, reason });
    });
  }
  return outcome;
}

/** Waits until none of the pool's own import jobs is active: an unfinished run must end before a new plan. */
export async function waitForActiveImports(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  options: { timing?: Partial<ImportTiming>; progress?: (message: string) => void },
): Promise<void> {
  const timing = { ...DEFAULT_IMPORT_TIMING, ...options.timing };
  const started = Date.now();
  let wait = timing.pollMinMs;
  for (;;) {
    const active = (await listImportJobs(cognito, userPoolId, 1)).filter((j) => ACTIVE_STATUSES.includes(j.status));
    if (active.length === 0) return;
    if (Date.now() - started > timing.maxWaitMs) {
      throw new ImportJobError(`import job ${active[0].jobId} is still ${active[0].status} after waiting ${Math.round(timing.maxWaitMs / 1000)} s`, active[0].jobId, active[0].status);
    }
    options.progress?.(`waiting for import job ${active[0].jobId} (${active[0].status}) to finish before planning`);
    await sleep(wait);
    wait = Math.min(timing.pollMaxMs, Math.ceil(wait * 1.5));
  }
}

/** A name Cognito accepts ([\w\s+=,.@-]+, ≤ 128) that identifies the part's content. */
export function importJobName(part: ImportCsvPart, index: number, count: number): string {
  const digest = createHash("sha256").update(part.csv).digest("hex").slice(0, 16);
  return `${JOB_NAME_PREFIX}${digest}-part${index + 1}of${count}`;
}

async function runOneJob(
  cognito: CognitoIdentityProviderClient,
  part: ImportCsvPart,
  jobName: string,
  label: string,
  options: ImportRunOptions,
  timing: ImportTiming,
  say: (message: string) => void,
): Promise<ImportJob> {
  const now = options.now ?? Date.now;
  const { userPoolId } = options;
  const recent = (await listImportJobs(cognito, userPoolId, 1)).filter((j) => j.jobName === jobName);
  const running = recent.find((j) => ACTIVE_STATUSES.includes(j.status));
  if (running) {
    say(`${label}: adopting job ${running.jobId}, already ${running.status} from an earlier run`);
    return pollUntilFinished(cognito, userPoolId, running, label, timing, say);
  }
  let job = recent.find((j) => j.status === "Created" && j.createdAt !== undefined && now() - j.createdAt.getTime() < timing.urlLifetimeMs);
  if (job) {
    say(`${label}: adopting job ${job.jobId}, created by an earlier run and not started`);
  } else {
    job = await createImportJob(cognito, userPoolId, jobName, options.logsRoleArn);
    say(`${label}: created job ${job.jobId}`);
    options.afterStep?.("create", job);
  }

  job = await uploadWithRetry(cognito, part, job, options, say, label);
  options.afterStep?.("upload", job);
  job = await startWithRetry(cognito, userPoolId, job, timing, say, label);
  options.afterStep?.("start", job);
  return pollUntilFinished(cognito, userPoolId, job, label, timing, say);
}

async function uploadWithRetry(
  cognito: CognitoIdentityProviderClient,
  part: ImportCsvPart,
  job: ImportJob,
  options: ImportRunOptions,
  say: (message: string) => void,
  label: string,
): Promise<ImportJob> {
  let current = job;
  let renewed = false;
  for (let attempt = 1; ; attempt++) {
    try {
      if (!current.preSignedUrl) throw new UploadError(`job ${current.jobId} has no upload URL`, 0, "NoUrl");
      await uploadCsv(current.preSignedUrl, part.csv);
      say(`${label}: uploaded ${(part.bytes / 1024).toFixed(1)} KiB to job ${current.jobId}`);
      return current;
    } catch (err) {
      const status = errorName(err) === "UploadError" ? (err as UploadError).httpStatus : 0;
      if (status === 403 && !renewed) {
        // The URL lapsed (15 minutes) or was refused: only a new job brings a new URL.
        renewed = true;
        current = await createImportJob(cognito, options.userPoolId, current.jobName, options.logsRoleArn);
        say(`${label}: upload refused (HTTP 403); created job ${current.jobId} for a fresh upload URL`);
        continue;
      }
      if (attempt >= 4 || (status >= 400 && status < 500)) throw err;
      say(`${label}: upload failed (${err instanceof Error ? err.message : String(err)}), retrying`);
      await sleep(500 * 2 ** attempt);
    }
  }
}

async function startWithRetry(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  job: ImportJob,
  timing: ImportTiming,
  say: (message: string) => void,
  label: string,
): Promise<ImportJob> {
  const started = Date.now();
  let wait = timing.retryMinMs;
  let preconditionRetries = 0;
  for (;;) {
    try {
      const out = await startImportJob(cognito, userPoolId, job.jobId);
      say(`${label}: started job ${out.jobId}`);
      return out;
    } catch (err) {
      const name = errorName(err);
      if (name === "PreconditionNotMetException" && preconditionRetries < 6) {
        // "No csv file was uploaded": the upload is not visible yet.
        preconditionRetries++;
      } else if (name === "LimitExceededException" && Date.now() - started < timing.maxWaitMs) {
        say(`${label}: another import job is active in the account; waiting`);
      } else {
        throw err;
      }
      await sleep(wait);
      wait = Math.min(timing.pollMaxMs, wait * 2);
    }
  }
}

async function pollUntilFinished(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  job: ImportJob,
  label: string,
  timing: ImportTiming,
  say: (message: string) => void,
): Promise<ImportJob> {
  let current = job;
  let wait = timing.pollMinMs;
  let lastReport = "";
  while (!FINISHED_STATUSES.includes(current.status)) {
    await sleep(wait);
    wait = Math.min(timing.pollMaxMs, Math.ceil(wait * 1.5));
    current = await describeImportJob(cognito, userPoolId, job.jobId);
    const report = `${current.status} ${current.imported + current.skipped + current.failed}`;
    if (report !== lastReport) {
      say(`${label}: job ${current.jobId} ${current.status}, ${current.imported} imported, ${current.skipped} skipped, ${current.failed} failed so far`);
      lastReport = report;
    }
  }
  return current;
}

/**
 * Maps a 0-based index in the part to the line number Cognito logs. Whether Cognito counts the header row is
 * not documented; AWS's own tools number the first data row 1. If the log's numbers run from 2 to n+1, the
 * header was counted. Either way the pool, not the log, decides each user's outcome.
 */
function rowNumbering(rows: Map<number, RowResult>, count: number): (index: number) => number {
  const headerCounted = rows.size > 0 && !rows.has(1) && rows.has(count + 1);
  return (index) => index + (headerCounted ? 2 : 1);
}

function summarise(job: ImportJob): Omit<JobSummary, "users"> {
  return {
    jobId: job.jobId,
    jobName: job.jobName,
    status: job.status,
    imported: job.imported,
    skipped: job.skipped,
    failed: job.failed,
    completionMessage: job.completionMessage,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
