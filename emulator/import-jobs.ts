/**
 * Import jobs: CreateUserImportJob … StopUserImportJob, the lifecycle
 * `Created → Pending → InProgress → Succeeded|Failed`, `Stopping → Stopped`, `Expired` (checked lazily against
 * the injected clock), and the runner that parses the uploaded CSV, judges every row, creates users and
 * writes one log line per row. Whole-job failures: logs role not assumable, pool deleted, file unparseable.
 */
import { randomBytes, createHmac } from "node:crypto";
import { ServiceError, poolNotFound } from "./errors";
import { ACTIVE_STATUSES, type EmulatorState, type ImportJob, type PoolState } from "./emulator-state";
import type { FaultRegistry } from "./faults";
import { parseImportCsv, splitRow } from "./import-csv-parser";
import { makeRowChecker, type RowVerdict, usernameOf } from "./import-row-check";
import { aliasShapedUsername, claimAliases } from "./aliases";
import { importRowUser } from "./username-attributes";
import { lookUpUser } from "./user-lookup";
import { csvHeader } from "./pool-model";

const URL_VALIDITY_MS = 15 * 60 * 1000;
export const DEFAULT_JOB_EXPIRY_MS = 24 * 60 * 60 * 1000;
const MAX_JOBS_PER_POOL = 1000;
/** A running job's progress is saved at most this often (real time; longer when saves are slow): a save rewrites the whole state file. */
const CHECKPOINT_MS = 5000;

const MESSAGES = {
  succeeded: "Import Job Completed Successfully.",
  tooManyFailed: "Too many users have failed or been skipped during the import.",
  stopped: "The Import Job was stopped by the developer.",
  expired: "The user import job has expired.",
  roleUnassumable: "Unable to assume the CloudWatch Logs role for the import job.",
  poolDeleted: "The user pool was deleted during the import.",
  internal: "The import job failed because of an internal error.",
};

export interface ImportSpeed {
  rowsPerSecond: number;
  startDelayMs: number;
}

export interface ImportJobsConfig {
  clock: () => number;
  speed: ImportSpeed | "fast";
  failureThreshold: number;
  jobExpiryMs: number;
  /** Called after every state transition (the state file saves then). */
  changed: () => void;
  faults: FaultRegistry;
  secret: string;
}

function logGroupName(poolId: string, poolName: string): string {
  return `/aws/cognito/userpools/${poolId}/${poolName}`;
}

const IAM_ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

export class ImportJobs {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly state: EmulatorState,
    private readonly cfg: ImportJobsConfig,
  ) {}

  signature(jobId: string, date: string, expires: number): string {
    return createHmac("sha256", this.cfg.secret).update(`${jobId}\n${date}\n${expires}`).digest("hex");
  }

  /** Marks a job Expired when it was not started in time. Returns the (possibly updated) job. */
  refresh(job: ImportJob): ImportJob {
    if (job.Status === "Created" && this.cfg.clock() - job.CreationDate >= this.cfg.jobExpiryMs) {
      job.Status = "Expired";
      job.CompletionDate = job.CreationDate + this.cfg.jobExpiryMs;
      job.CompletionMessage = MESSAGES.expired;
      this.state.uploads.delete(job.JobId);
      this.cfg.changed();
    }
    return job;
  }

  find(poolId: string, jobId: string): ImportJob {
    if (!this.state.pools.has(poolId)) throw poolNotFound(poolId);
    const job = this.state.jobs.get(jobId);
    if (!job || job.UserPoolId !== poolId) throw new ServiceError("ResourceNotFoundException", `Import job ${jobId} does not exist.`);
    return this.refresh(job);
  }

  activeJob(): ImportJob | undefined {
    for (const job of this.state.jobs.values()) if (ACTIVE_STATUSES.includes(job.Status)) return job;
    return undefined;
  }

  create(poolId: string, jobName: string, roleArn: string): ImportJob {
    if (!this.state.pools.has(poolId)) throw poolNotFound(poolId);
    if (!IAM_ROLE_ARN.test(roleArn))
      throw new ServiceError("InvalidParameterException", "CloudWatchLogsRoleArn is not a valid IAM role ARN.");
    const count = [...this.state.jobs.values()].filter((j) => j.UserPoolId === poolId).length;
    if (count >= MAX_JOBS_PER_POOL)
      throw new ServiceError("LimitExceededException", `A user pool can have at most ${MAX_JOBS_PER_POOL} import jobs.`);
    let jobId: string;
    do {
      jobId = `import-${randomAlnum(10)}`;
    } while (this.state.jobs.has(jobId));
    const now = this.cfg.clock();
    const date = new Date(now)
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    const urlExpires = now + URL_VALIDITY_MS;
    const job: ImportJob = {
      JobId: jobId,
      JobName: jobName,
      UserPoolId: poolId,
      CloudWatchLogsRoleArn: roleArn,
      Status: "Created",
      CreationDate: now,
      ImportedUsers: 0,
      SkippedUsers: 0,
      FailedUsers: 0,
      urlSignature: this.signature(jobId, date, urlExpires),
      urlDate: date,
      urlExpires,
      uploaded: false,
      seq: ++this.state.jobSeq,
    };
    this.state.jobs.set(jobId, job);
    this.cfg.changed();
    return job;
  }

  start(poolId: string, jobId: string): ImportJob {
    const job = this.find(poolId, jobId);
    if (job.Status !== "Created") {
      throw new ServiceError("PreconditionNotMetException", `Import job ${jobId} cannot be started: its status is ${job.Status}.`);
    }
    if (!job.uploaded) throw new ServiceError("PreconditionNotMetException", `No csv file was uploaded for ${jobId}`);
    const active = this.activeJob();
    if (this.cfg.faults.otherJobActive || active) {
      throw new ServiceError("LimitExceededException", "Only one import job can be active at a time per account.");
    }
    job.Status = "Pending";
    job.StartDate = this.cfg.clock();
    this.cfg.changed();
    this.schedule(job);
    return job;
  }

  stop(poolId: string, jobId: string): ImportJob {
    const job = this.find(poolId, jobId);
    if (job.Status === "Pending") {
      this.finish(job, "Stopped", MESSAGES.stopped);
    } else if (job.Status === "InProgress") {
      job.Status = "Stopping";
      this.cfg.changed();
    } else if (job.Status !== "Stopping") {
      throw new ServiceError("PreconditionNotMetException", `Import job ${jobId} cannot be stopped: its status is ${job.Status}.`);
    }
    return job;
  }

  /** Jobs of a pool, newest first. */
  list(poolId: string): ImportJob[] {
    if (!this.state.pools.has(poolId)) throw poolNotFound(poolId);
    return [...this.state.jobs.values()]
      .filter((j) => j.UserPoolId === poolId)
      .map((j) => this.refresh(j))
      .sort((a, b) => b.seq - a.seq);
  }

  /**
   * After a restart. Every save is a snapshot taken between batches, so a saved InProgress job's `rowsDone`,
   * counters, log lines and users agree: it resumes at `rowsDone`. Pending jobs start; Stopping ones stop.
   */
  resumeAfterLoad(): void {
    for (const job of this.state.jobs.values()) {
      if (job.Status === "Stopping") this.finish(job, "Stopped", MESSAGES.stopped);
      else if (job.Status === "Pending") this.schedule(job);
      else if (job.Status === "InProgress") this.later(0, () => this.begin(job, true));
    }
  }

  shutdown(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(t);
  }

  private finish(job: ImportJob, status: "Succeeded" | "Failed" | "Stopped", message: string): void {
    job.Status = status;
    job.CompletionDate = this.cfg.clock();
    job.CompletionMessage = message;
    // A finished job's file is never read again; dropping it keeps a 100 MB upload from outliving its job.
    this.state.uploads.delete(job.JobId);
    this.cfg.changed();
  }

  private schedule(job: ImportJob): void {
    const delay = this.cfg.speed === "fast" ? 0 : this.cfg.speed.startDelayMs;
    this.later(delay, () => this.begin(job));
  }

  /** Pending → InProgress: the whole-job checks, then the rows. */
  private begin(job: ImportJob, resuming = false): void {
    if (job.Status !== (resuming ? "InProgress" : "Pending")) return;
    const pool = this.state.pools.get(job.UserPoolId);
    if (!pool) return this.finish(job, "Failed", MESSAGES.poolDeleted);
    if (this.cfg.faults.isRoleUnassumable(job.CloudWatchLogsRoleArn)) return this.finish(job, "Failed", MESSAGES.roleUnassumable);
    const now = this.cfg.clock();
    const stream = this.state.logs.ensureStream(logGroupName(pool.config.id, pool.config.name), `${job.JobId}/${job.JobName}`, now);
    if (!resuming) {
      stream.events.length = 0;
      job.rowsDone = 0;
    }
    const log = (message: string) => {
      const t = this.cfg.clock();
      stream.events.push({ timestamp: t, message, ingestionTime: t + this.cfg.faults.logIngestionDelayMs });
    };
    job.Status = "InProgress";
    this.cfg.changed();
    const bytes = this.state.uploads.get(job.JobId) ?? Buffer.alloc(0);
    const parsed = parseImportCsv(bytes, csvHeader(pool.config));
    if (!parsed.ok) {
      log(`[FAILED] ${parsed.reason}`);
      return this.finish(job, "Failed", "The CSV file could not be parsed.");
    }
    const { header, lines } = parsed.csv;
    const check = makeRowChecker(pool.config, header);
    const usernameIndex = header.indexOf("cognito:username");
    const seenInFile = new Set<string>();
    const failAfter = this.cfg.faults.takeJobFailAfter();
    let row = job.rowsDone ?? 0;
    let nextCheckpoint = Date.now() + CHECKPOINT_MS;
    const batch = this.cfg.speed === "fast" ? 5_000 : Math.max(1, Math.round(this.cfg.speed.rowsPerSecond / 10));
    const interval = this.cfg.speed === "fast" ? 0 : 100;

    const step = (): void => {
      if (job.Status === "Stopping") return this.finish(job, "Stopped", MESSAGES.stopped);
      if (job.Status !== "InProgress") return;
      if (!this.state.pools.has(job.UserPoolId)) return this.finish(job, "Failed", MESSAGES.poolDeleted);
      const end = Math.min(lines.length, row + batch);
      // rowsDone always matches the users, counters and log lines in memory, so any save is a consistent checkpoint.
      const mark = () => (job.rowsDone = row);
      const t = this.cfg.clock();
      for (; row < end; row++) {
        if (failAfter !== undefined && row >= failAfter) {
          mark();
          return this.finish(job, "Failed", MESSAGES.internal);
        }
        const lineNumber = row + 1;
        const split = splitRow(lines[row]);
        if (!split.ok) {
          job.FailedUsers++;
          stream.events.push({
            timestamp: t,
            message: `[FAILED] Line Number ${lineNumber} - ${split.reason}`,
            ingestionTime: t + this.cfg.faults.logIngestionDelayMs,
          });
          continue;
        }
        const name = usernameOf(split.fields, usernameIndex);
        if (name !== undefined) {
          // With UsernameAttributes the name is an email or phone a user signs in with (username-attributes.ts).
          const byAttribute = pool.config.usernameAttributes.length > 0;
          const key = byAttribute ? signInKey(pool, name) : pool.users.key(name);
          if ((byAttribute ? lookUpUser(pool, name) !== undefined : pool.users.has(name)) || seenInFile.has(key)) {
            job.SkippedUsers++;
            stream.events.push({
              timestamp: t,
              message: `[SKIPPED] Line Number ${lineNumber} - The user already exists.`,
              ingestionTime: t + this.cfg.faults.logIngestionDelayMs,
            });
            continue;
          }
        }
        const checked = withUsernameAttribute(pool, check(split.fields));
        // The pool's alias rules (aliases.ts): no alias-shaped username, no verified alias another user holds.
        const aliasProblem = checked.ok
          ? (aliasShapedUsername(pool, checked.username) ?? claimAliases(pool, checked.attributes, undefined, "import-row"))
          : undefined;
        const verdict: typeof checked = aliasProblem ? { ok: false, reason: aliasProblem } : checked;
        if (verdict.ok && this.cfg.faults.takeRowRejection()) {
          job.FailedUsers++;
          stream.events.push({
            timestamp: t,
            message: `[FAILED] Line Number ${lineNumber} - InternalErrorException: Internal error. Try again later.`,
            ingestionTime: t + this.cfg.faults.logIngestionDelayMs,
          });
          continue;
        }
        if (!verdict.ok) {
          job.FailedUsers++;
          stream.events.push({
            timestamp: t,
            message: `[FAILED] Line Number ${lineNumber} - ${verdict.reason}`,
            ingestionTime: t + this.cfg.faults.logIngestionDelayMs,
          });
          continue;
        }
        seenInFile.add(pool.config.usernameAttributes.length > 0 ? signInKey(pool, name ?? "") : pool.users.key(verdict.username));
        pool.users.add(verdict.username, verdict.attributes, "RESET_REQUIRED", t);
        job.ImportedUsers++;
        stream.events.push({
          timestamp: t,
          message: `[SUCCEEDED] Line Number ${lineNumber} - The import succeeded.`,
          ingestionTime: t + this.cfg.faults.logIngestionDelayMs,
        });
      }
      mark();
      if (Date.now() >= nextCheckpoint && row < lines.length) {
        // Saving a big pool takes seconds: space checkpoints so saving never dominates the import.
        const began = Date.now();
        this.cfg.changed();
        const took = Date.now() - began;
        nextCheckpoint = Date.now() + Math.max(CHECKPOINT_MS, 4 * took);
      }
      if (failAfter !== undefined && row >= failAfter && row < lines.length) return this.finish(job, "Failed", MESSAGES.internal);
      if (row >= lines.length) {
        const bad = job.FailedUsers + job.SkippedUsers;
        return bad > this.cfg.failureThreshold
          ? this.finish(job, "Failed", MESSAGES.tooManyFailed)
          : this.finish(job, "Succeeded", MESSAGES.succeeded);
      }
      if (interval === 0) setImmediate(() => !this.stopped && step());
      else this.later(interval, step);
    };
    step();
  }
}

export function randomAlnum(n: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = randomBytes(n);
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[bytes[i] % alphabet.length];
  return s;
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
