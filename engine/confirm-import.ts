/**
 * Finds out what one finished import job did to each of its users, without depending on ListUsers being
 * current (the API reference: ListUsers is eventually consistent; "to validate the existence or configuration of
 * an individual user, use AdminGetUser").
 *
 * Evidence, cheapest first:
 *  1. the job's own counters: Succeeded with ImportedUsers equal to the rows and nothing failed or skipped means
 *     every row was imported — no further call;
 *  2. the job's log lines, matched to rows by line number once the numbering is settled from the evidence (first
 *     data row 1, or the header counted so 2): SUCCEEDED → imported, FAILED → failed with Cognito's reason,
 *     SKIPPED (the user already exists) → read with AdminGetUser to compare;
 *  3. consistent point reads (AdminGetUser) only for rows still in doubt — no line, ambiguous numbering, a job
 *     that ended as a whole mid-way — and only when the counters leave room for some of them to be in the pool.
 *     The cost is bounded by the job, never by the pool: at most one AdminGetUser per row in doubt or SKIPPED in
 *     the log, plus the log pages (readImportLog's bound), and no DescribeUserPool or ListUsers at all. A scan
 *     would cost pages in proportion to the pool and, under ListUsers lag, miss the very users it looks for.
 * A Failed job may have imported some users: nothing here assumes all-or-nothing.
 *
 * It returns users, not a verdict on the run; it prints only counts through `progress` (no personal data). Users
 * confirmed by the counters or the log get a pool copy built from their declared values (what the import wrote).
 */
import type { DeclaredUser } from "../core/declared-user";
import type { PoolUser } from "../core/pool-user";
import { poolValueOf } from "../core/compare-attributes";
import {
  absentReason,
  classifyRows,
  countersShowEveryRowImported,
  createdByImportJob,
  notImportedReason,
} from "../core/import-row-verdicts";
import type { ImportJob } from "../aws/import-jobs";
import { DEFAULT_LOG_WAIT, type ImportLogJob, type ImportLogRead, type LogWaitTiming, type RowResult } from "../aws/import-log";
import type { ImportLogPort, UserReads } from "../aws/ports";
import { errorName } from "../aws/error-name";
import { forEachLimited } from "./observe-pool";
import { type Clock, done, notYet, retryWithBackoff, type WaitTimeoutError } from "./backoff";

/** What a confirmation reads: the job's log and, for rows in doubt, the users. */
export interface ConfirmPorts {
  users: UserReads;
  importLog: ImportLogPort;
}

export interface ConfirmRequest {
  poolName: string;
  caseSensitive: boolean;
  /** The pool's UsernameAttributes: accounts are then named by their email or phone (core/sign-in-name.ts). */
  usernameAttributes?: readonly string[];
  /** The job's users, in the order of its CSV rows. */
  users: readonly DeclaredUser[];
  /** The job as DescribeUserImportJob last reported it, in a finished status. */
  job: ImportJob;
  progress?: (message: string) => void;
  /** How long to wait for log lines the counters say exist (CloudWatch Logs ingestion is asynchronous). */
  logWait?: Partial<LogWaitTiming>;
  /** Point reads in flight at once. */
  concurrency?: number;
  /** The clock the wait for log lines runs on (tests pass a fast one). */
  clock?: Clock;
}

export interface ConfirmedImport {
  /**
   * Users in the pool now, with the pool's copy; `byThisJob` when this job created them (counters, a SUCCEEDED
   * line, or — for rows in doubt — a user created while the job ran: core/import-row-verdicts.ts), false otherwise.
   */
  present: { user: DeclaredUser; pool: PoolUser; byThisJob: boolean }[];
  /** Users the pool lacks, with Cognito's reason (or what is known of the job). */
  failed: { user: DeclaredUser; reason: string }[];
  /** How each user was decided, for progress and benchmarks. */
  decidedBy: { counters: number; log: number; reads: number };
  /** AWS calls this confirmation made (GetLogEvents, AdminGetUser). */
  calls: number;
}

export async function confirmImport(ports: ConfirmPorts, request: ConfirmRequest): Promise<ConfirmedImport> {
  const { job, users } = request;
  const result: ConfirmedImport = { present: [], failed: [], decidedBy: { counters: 0, log: 0, reads: 0 }, calls: 0 };
  if (countersShowEveryRowImported(job, users.length)) {
    for (const user of users) result.present.push({ user, pool: importedCopy(user), byThisJob: true });
    result.decidedBy.counters = users.length;
    return result;
  }
  const say = request.progress ?? (() => undefined);
  const log = await readLogOrNothing(ports.importLog, request, say);
  result.calls += log.calls;
  const verdicts = classifyRows(users.length, log, job);

  const toRead: number[] = [];
  const inDoubt: number[] = [];
  const skippedReasons = new Map<number, string>();
  users.forEach((user, index) => {
    const verdict = verdicts.rows[index];
    if (verdict.kind === "imported") result.present.push({ user, pool: importedCopy(user), byThisJob: true });
    else if (verdict.kind === "failed") result.failed.push({ user, reason: verdict.reason });
    else if (verdict.kind === "skipped") {
      toRead.push(index);
      skippedReasons.set(index, verdict.reason);
    } else inDoubt.push(index);
  });
  result.decidedBy.log = users.length - toRead.length - inDoubt.length;

  if (inDoubt.length > 0 && !verdicts.hiddenMayBePresent) {
    // The counters account for every user this job put in the pool: the rest were not imported by it.
    const reason = notImportedReason(job, users.length, log);
    for (const index of inDoubt) result.failed.push({ user: users[index], reason });
    result.decidedBy.counters += inDoubt.length;
  } else if (inDoubt.length > 0) {
    const why = "ambiguous" in verdicts.numbering ? verdicts.numbering.ambiguous : "no log line for their rows";
    say(`import log of job ${job.jobId}: ${why}; confirming ${inDoubt.length} of its users by consistent reads of the pool`);
    for (const index of inDoubt) toRead.push(index);
  }
  if (toRead.length > 0) {
    const skippedRow = (index: number) => skippedReasons.has(index);
    await readUsers(ports.users, request, toRead, (index) => absentReason(request.job, skippedReasons.get(index)), skippedRow, result);
    result.decidedBy.reads += toRead.length;
  }
  return result;
}

/** The pool's copy of a user the import just created: the declared values, enabled, RESET_REQUIRED. */
function importedCopy(user: DeclaredUser): PoolUser {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(user.attributes)) attributes[name] = poolValueOf(value);
  return { username: user.username, attributes, enabled: true, status: "RESET_REQUIRED" };
}

/**
 * The job's log, waiting (engine/backoff.ts) for lines CloudWatch Logs has not ingested yet — its ingestion is
 * asynchronous — and reading on from where the stream ended, for a bounded time; what is still missing after it
 * is reported in `incompleteReason`, not guessed.
 * @internal exported for its tests
 */
export async function readImportLogWaiting(
  log: ImportLogPort,
  job: ImportLogJob,
  options: { expectedRows: number; wait?: Partial<LogWaitTiming>; progress?: (message: string) => void; clock?: Clock },
): Promise<ImportLogRead> {
  const wait = { ...DEFAULT_LOG_WAIT, ...options.wait };
  const expected = options.expectedRows;
  const policy = { firstMs: wait.firstRetryMs, maxMs: wait.maxRetryMs, factor: 2, limitMs: wait.ingestionWaitMs };
  let read: ImportLogRead | undefined;
  const readOn = async () => {
    read = await log.readJobLog(job, { expectedRows: expected, from: read });
    if (read.complete || read.bounded) return done(read);
    return notYet<ImportLogRead>(
      `import log: ${read.rows.size} of ${expected} row results readable, waiting for CloudWatch Logs to ingest the rest`,
    );
  };
  try {
    return await retryWithBackoff(policy, readOn, { clock: options.clock, progress: options.progress });
  } catch (err) {
    if (errorName(err) !== "WaitTimeoutError" || read === undefined) throw err;
    const waited = Math.round((err as WaitTimeoutError).waitedMs / 1000);
    read.incompleteReason = `${expected - read.rows.size} of ${expected} processed rows had no readable log line after waiting ${waited} s`;
    return read;
  }
}

/** The job's log, or an empty read when it cannot be read at all (then every undecided row is in doubt). */
async function readLogOrNothing(log: ImportLogPort, request: ConfirmRequest, say: (message: string) => void): Promise<ImportLogRead> {
  const { job } = request;
  try {
    const read = await readImportLogWaiting(
      log,
      { poolName: request.poolName, jobId: job.jobId, jobName: job.jobName },
      {
        expectedRows: job.imported + job.skipped + job.failed,
        wait: request.logWait,
        progress: say,
        clock: request.clock,
      },
    );
    if (!read.complete) say(`import log of job ${job.jobId}: ${read.incompleteReason}; those rows are in doubt`);
    return read;
  } catch (err) {
    say(`could not read the import log of job ${job.jobId} (${errorName(err) || "error"}); its undecided rows are in doubt`);
    return { rows: new Map<number, RowResult>(), conflicting: new Set(), jobMessages: [], complete: false, calls: 0 };
  }
}

/** One consistent read (AdminGetUser) per given row, `concurrency` at a time: the calls are exactly the rows. */
async function readUsers(
  users: UserReads,
  request: ConfirmRequest,
  indexes: number[],
  reasonIfAbsent: (index: number) => string,
  skippedRow: (index: number) => boolean,
  result: ConfirmedImport,
): Promise<void> {
  // A SKIPPED row ("already exists") was not created by this job; a row in doubt was only if the pool says the user
  // was created while the job ran — RESET_REQUIRED alone is every imported trainee's state until they set a password.
  const createdByJob = (index: number, pool: PoolUser) => !skippedRow(index) && createdByImportJob(pool, request.job);
  const copies = new Map<number, PoolUser | null>();
  await forEachLimited(indexes, request.concurrency ?? 8, async (index) => {
    copies.set(index, await users.getUser(request.users[index].username, request.usernameAttributes));
  });
  result.calls += indexes.length;
  for (const index of indexes) {
    const user = request.users[index];
    const pool = copies.get(index) ?? null;
    if (pool) result.present.push({ user, pool, byThisJob: createdByJob(index, pool) });
    else result.failed.push({ user, reason: reasonIfAbsent(index) });
  }
}
