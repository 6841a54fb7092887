/**
 * One run of an import job over its parsed CSV (`import-jobs.ts` owns the job's lifecycle): the rows in batches,
 * each row judged (`import-row-check.ts`, then the pool's username-attribute and alias rules), counted as imported,
 * skipped or failed and logged with one line; a checkpoint save between batches; the job's end once every row is
 * done. After each batch `rowsDone` matches the users, counters and log lines in memory, so any save is consistent.
 */
import type { ImportJob, PoolState } from "./emulator-state";
import type { FaultRegistry } from "./faults";
import { splitRow } from "./import-csv-parser";
import type { ImportJobsConfig } from "./import-jobs";
import { JOB_MESSAGES } from "./import-job-messages";
import { makeRowChecker, type RowVerdict, usernameOf } from "./import-row-check";
import { aliasShapedUsername, claimAliases } from "./aliases";
import type { LogStream } from "./logs";
import { importRowUser } from "./username-attributes";
import { lookUpUser } from "./user-lookup";

/** A running job's progress is saved at most this often (real time; longer when saves are slow): a save rewrites the whole state file. */
const CHECKPOINT_MS = 5000;

/** What a run needs of the job list that starts it. */
export interface ImportRunHost {
  readonly cfg: ImportJobsConfig;
  poolExists(poolId: string): boolean;
  finish(job: ImportJob, status: "Succeeded" | "Failed" | "Stopped", message: string): void;
  later(ms: number, fn: () => void): void;
  stopped(): boolean;
}

/** Appends one line to a job's log, readable after the log-ingestion delay fault (if any). */
export function appendLogEvent(stream: LogStream, faults: FaultRegistry, t: number, message: string): void {
  stream.events.push({ timestamp: t, message, ingestionTime: t + faults.logIngestionDelayMs });
}

export class ImportRun {
  private readonly check: (fields: readonly string[]) => RowVerdict;
  private readonly usernameIndex: number;
  /** The sign-in keys (or usernames) imported from this file so far: a second row for one of them is skipped. */
  private readonly seenInFile = new Set<string>();
  private readonly failAfter: number | undefined;
  private row: number;
  private nextCheckpoint: number;
  private readonly batch: number;
  private readonly interval: number;

  constructor(
    private readonly host: ImportRunHost,
    private readonly job: ImportJob,
    private readonly pool: PoolState,
    private readonly stream: LogStream,
    private readonly csv: { header: string[]; lines: string[] },
  ) {
    const { faults, speed } = host.cfg;
    this.check = makeRowChecker(pool.config, csv.header);
    this.usernameIndex = csv.header.indexOf("cognito:username");
    this.failAfter = faults.takeJobFailAfter();
    this.row = job.rowsDone ?? 0;
    this.nextCheckpoint = Date.now() + CHECKPOINT_MS;
    this.batch = speed === "fast" ? 5_000 : Math.max(1, Math.round(speed.rowsPerSecond / 10));
    this.interval = speed === "fast" ? 0 : 100;
  }

  /** One batch of rows, then the next batch later, or the job's end. */
  step(): void {
    const { job, host } = this;
    if (job.Status === "Stopping") return host.finish(job, "Stopped", JOB_MESSAGES.stopped);
    if (job.Status !== "InProgress") return;
    if (!host.poolExists(job.UserPoolId)) return host.finish(job, "Failed", JOB_MESSAGES.poolDeleted);
    if (!this.runBatch()) return;
    this.checkpoint();
    const rows = this.csv.lines.length;
    if (this.failAfter !== undefined && this.row >= this.failAfter && this.row < rows)
      return host.finish(job, "Failed", JOB_MESSAGES.internal);
    if (this.row >= rows) return this.end();
    if (this.interval === 0) setImmediate(() => !host.stopped() && this.step());
    else host.later(this.interval, () => this.step());
  }

  /** The rows of one batch, all stamped with one time; false when the job-fail-after fault ended the job. */
  private runBatch(): boolean {
    const end = Math.min(this.csv.lines.length, this.row + this.batch);
    const t = this.host.cfg.clock();
    for (; this.row < end; this.row++) {
      if (this.failAfter !== undefined && this.row >= this.failAfter) {
        this.job.rowsDone = this.row;
        this.host.finish(this.job, "Failed", JOB_MESSAGES.internal);
        return false;
      }
      this.importRow(this.row, t);
    }
    this.job.rowsDone = this.row;
    return true;
  }

  /** One row of the file: skipped, failed or imported, counted and logged with one line. */
  private importRow(row: number, t: number): void {
    const { job, pool } = this;
    const lineNumber = row + 1;
    const split = splitRow(this.csv.lines[row]);
    if (!split.ok) return this.fail(t, lineNumber, split.reason);
    const name = usernameOf(split.fields, this.usernameIndex);
    if (name !== undefined && this.alreadyExists(name)) {
      job.SkippedUsers++;
      return this.log(t, `[SKIPPED] Line Number ${lineNumber} - The user already exists.`);
    }
    const verdict = this.verdictOf(split.fields);
    if (verdict.ok && this.host.cfg.faults.takeRowRejection())
      return this.fail(t, lineNumber, "InternalErrorException: Internal error. Try again later.");
    if (!verdict.ok) return this.fail(t, lineNumber, verdict.reason);
    this.seenInFile.add(pool.config.usernameAttributes.length > 0 ? signInKey(pool, name ?? "") : pool.users.key(verdict.username));
    pool.users.add(verdict.username, verdict.attributes, "RESET_REQUIRED", t);
    job.ImportedUsers++;
    this.log(t, `[SUCCEEDED] Line Number ${lineNumber} - The import succeeded.`);
  }

  /** Whether the row's user is in the pool already, or was imported from an earlier row of this file. */
  private alreadyExists(name: string): boolean {
    const { pool } = this;
    // With UsernameAttributes the name is an email or phone a user signs in with (username-attributes.ts).
    const byAttribute = pool.config.usernameAttributes.length > 0;
    const key = byAttribute ? signInKey(pool, name) : pool.users.key(name);
    return (byAttribute ? lookUpUser(pool, name) !== undefined : pool.users.has(name)) || this.seenInFile.has(key);
  }

  /** The row's values checked, then the pool's alias rules (aliases.ts): no alias-shaped username, no verified alias another user holds. */
  private verdictOf(fields: readonly string[]): RowVerdict {
    const { pool } = this;
    const checked = withUsernameAttribute(pool, this.check(fields));
    const aliasProblem = checked.ok
      ? (aliasShapedUsername(pool, checked.username) ?? claimAliases(pool, checked.attributes, undefined, "import-row"))
      : undefined;
    return aliasProblem ? { ok: false, reason: aliasProblem } : checked;
  }

  private fail(t: number, lineNumber: number, reason: string): void {
    this.job.FailedUsers++;
    this.log(t, `[FAILED] Line Number ${lineNumber} - ${reason}`);
  }

  private log(t: number, message: string): void {
    appendLogEvent(this.stream, this.host.cfg.faults, t, message);
  }

  /** Saves progress between batches, no more often than CHECKPOINT_MS, and never before the last batch. */
  private checkpoint(): void {
    if (Date.now() < this.nextCheckpoint || this.row >= this.csv.lines.length) return;
    // Saving a big pool takes seconds: space checkpoints so saving never dominates the import.
    const began = Date.now();
    this.host.cfg.changed();
    const took = Date.now() - began;
    this.nextCheckpoint = Date.now() + Math.max(CHECKPOINT_MS, 4 * took);
  }

  /** Every row done: the job fails when more rows failed or were skipped than the failure threshold allows. */
  private end(): void {
    const bad = this.job.FailedUsers + this.job.SkippedUsers;
    if (bad > this.host.cfg.failureThreshold) this.host.finish(this.job, "Failed", JOB_MESSAGES.tooManyFailed);
    else this.host.finish(this.job, "Succeeded", JOB_MESSAGES.succeeded);
  }
}

/** A checked row in a pool with UsernameAttributes: the user's generated username and its username attribute. */
function withUsernameAttribute(pool: PoolState, checked: RowVerdict): RowVerdict {
  if (!checked.ok) return checked;
  const user = importRowUser(pool, checked.username, checked.attributes);
  if (user === undefined) return checked;
  return "reason" in user ? { ok: false, reason: user.reason } : { ok: true, ...user };
}

/** The key of an email or phone a row signs in with, folded as the pool compares it. */
function signInKey(pool: PoolState, name: string): string {
  return pool.config.caseSensitive || !name.includes("@") ? name : name.toLowerCase();
}
