/**
 * What a finished import job did to each of its CSV rows, from its counters and its log (engine/confirm-import.ts
 * reads them and settles the rest with consistent point reads): the line numbering, each row's verdict, whether
 * rows without one may be in the pool, and the reasons a user is reported missing. Pure: jobs and logs are
 * described by the fields read here, so that core/ does not depend on the AWS adapter's types.
 */
import type { PoolUser } from "./pool-user";

/** A finished job as DescribeUserImportJob reports it: its status, counters and dates (aws/import-jobs.ts). */
export interface FinishedImportJob {
  jobId: string;
  status: string;
  imported: number;
  skipped: number;
  failed: number;
  completionMessage?: string;
  /** StartDate and CompletionDate (the service's clock). */
  startedAt?: Date;
  completedAt?: Date;
}

/** One row's result as the job's log line says (aws/import-log.ts). */
interface LoggedRow {
  outcome: "SUCCEEDED" | "SKIPPED" | "FAILED";
  reason: string;
}

/** The job's log as read: results by line number, and the lines logged twice with different outcomes. */
export interface LoggedRows {
  rows: ReadonlyMap<number, LoggedRow>;
  conflicting: ReadonlySet<number>;
}

/** Line number of a CSV row's log line: the first data row is 1, or 2 when the header row is counted. */
type Numbering = { firstDataLine: 1 | 2 } | { ambiguous: string };

type RowVerdict = { kind: "imported" } | { kind: "failed"; reason: string } | { kind: "skipped"; reason: string } | { kind: "doubt" };

export interface Verdicts {
  numbering: Numbering;
  rows: RowVerdict[];
  /** False when the counters prove that no row without a verdict is in the pool because of this job. */
  hiddenMayBePresent: boolean;
}

interface Tally {
  imported: number;
  skipped: number;
  failed: number;
}

/**
 * Evidence that `job` created this user: it awaits its first password (RESET_REQUIRED, as every imported user) and
 * its UserCreateDate falls between the job's StartDate and CompletionDate — all three on the service's clock, so no
 * local clock is involved. Import jobs run one at a time in an account, so that window belongs to this job alone.
 * Without those dates nothing is proven: false.
 */
export function createdByImportJob(pool: PoolUser, job: Pick<FinishedImportJob, "startedAt" | "completedAt">): boolean {
  if (pool.status !== "RESET_REQUIRED" || pool.createdAt === undefined || job.startedAt === undefined) return false;
  if (pool.createdAt < job.startedAt.getTime()) return false;
  return job.completedAt === undefined || pool.createdAt <= job.completedAt.getTime();
}

/** Succeeded, ImportedUsers = rows, nothing failed or skipped: every row is a new user with the declared values. */
export function countersShowEveryRowImported(job: FinishedImportJob, rows: number): boolean {
  return job.status === "Succeeded" && job.imported === rows && job.failed === 0 && job.skipped === 0;
}

/**
 * Which line number the first data row has, from the lines logged. Whether Cognito counts the header row is not
 * documented (AWS's own tools number the first data row 1): a numbering is kept only if every logged line
 * falls inside the rows it implies, and it is ambiguous when both or neither fit.
 * @internal exported for its tests
 */
export function decideNumbering(lines: Iterable<number>, rowCount: number): Numbering {
  let min = Infinity;
  let max = -Infinity;
  for (const line of lines) {
    min = Math.min(min, line);
    max = Math.max(max, line);
  }
  if (min === Infinity) return { ambiguous: "no row has a readable log line" };
  const fitsFirst1 = min >= 1 && max <= rowCount;
  const fitsFirst2 = min >= 2 && max <= rowCount + 1;
  if (fitsFirst1 && !fitsFirst2) return { firstDataLine: 1 };
  if (fitsFirst2 && !fitsFirst1) return { firstDataLine: 2 };
  if (fitsFirst1 && fitsFirst2)
    return { ambiguous: `lines ${min}–${max} of ${rowCount} rows fit both a numbering from 1 and one counting the header` };
  return { ambiguous: `line numbers ${min}–${max} do not fit a file of ${rowCount} rows` };
}

/** Each row's verdict from the log, checked against the counters. */
export function classifyRows(rowCount: number, log: LoggedRows, job: FinishedImportJob): Verdicts {
  let numbering = decideNumbering(log.rows.keys(), rowCount);
  let read = "firstDataLine" in numbering ? rowVerdicts(rowCount, numbering.firstDataLine, log) : undefined;
  let disagree = false;
  if (read && (read.tally.imported > job.imported || read.tally.skipped > job.skipped || read.tally.failed > job.failed)) {
    disagree = true;
    // More outcomes logged than the job counted: the log does not describe this job's rows as numbered.
    const logged = `${read.tally.imported}/${read.tally.skipped}/${read.tally.failed}`;
    const counted = `${job.imported}/${job.skipped}/${job.failed}`;
    numbering = { ambiguous: `the log shows more imported/skipped/failed rows (${logged}) than the job counted (${counted})` };
    read = undefined;
  }
  const tally = read?.tally ?? { imported: 0, skipped: 0, failed: 0 };
  const verdicts = read?.verdicts ?? Array.from({ length: rowCount }, (): RowVerdict => ({ kind: "doubt" }));
  // Rows the job imported or skipped but the log did not attribute: only these can be in the pool among the doubtful.
  // When the counters and the log disagree (counters behind the log), neither is trusted: the rows are read.
  const hiddenMayBePresent = disagree || job.imported - tally.imported + (job.skipped - tally.skipped) > 0;
  return { numbering, rows: verdicts, hiddenMayBePresent };
}

/** Each row's verdict under one numbering, and how many of each the log shows. */
function rowVerdicts(rowCount: number, firstLine: 1 | 2, log: LoggedRows): { verdicts: RowVerdict[]; tally: Tally } {
  const tally: Tally = { imported: 0, skipped: 0, failed: 0 };
  const verdicts: RowVerdict[] = new Array(rowCount);
  for (let index = 0; index < rowCount; index++) {
    const line = index + firstLine;
    const row = log.conflicting.has(line) ? undefined : log.rows.get(line);
    if (row?.outcome === "SUCCEEDED") {
      verdicts[index] = { kind: "imported" };
      tally.imported++;
    } else if (row?.outcome === "FAILED") {
      verdicts[index] = { kind: "failed", reason: row.reason };
      tally.failed++;
    } else if (row?.outcome === "SKIPPED") {
      verdicts[index] = { kind: "skipped", reason: row.reason };
      tally.skipped++;
    } else {
      verdicts[index] = { kind: "doubt" };
    }
  }
  return { verdicts, tally };
}

/** Why a row in doubt is failed without a read: the counters account for every user the job put in the pool. */
export function notImportedReason(job: FinishedImportJob, rowCount: number, log: { jobMessages: readonly string[] }): string {
  const processed = job.imported + job.skipped + job.failed;
  const why = job.completionMessage ?? log.jobMessages[0];
  const progress = processed < rowCount ? ` after processing ${processed} of ${rowCount} rows` : "";
  return `not imported: job ${job.jobId} ended ${job.status}${progress}${why ? ` (${why})` : ""} and logged no result for this row`;
}

/** Why a user a consistent read did not find is missing, with the log's reason when its row was skipped. */
export function absentReason(job: FinishedImportJob, skippedBecause: string | undefined): string {
  const logged = skippedBecause === undefined ? "" : ` (its row was skipped: ${skippedBecause})`;
  const message = job.completionMessage ? `: ${job.completionMessage}` : "";
  return `not in the pool after job ${job.jobId} ended ${job.status}${message}${logged}`;
}
