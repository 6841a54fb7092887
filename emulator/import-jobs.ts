/**
 * Import jobs: CreateUserImportJob … StopUserImportJob, the lifecycle
 * `Created → Pending → InProgress → Succeeded|Failed`, `Stopping → Stopped`, `Expired` (checked lazily against
 * the injected clock), and the start of a run: the whole-job checks and the parse of the uploaded CSV; the run
 * over its rows, which judges every row, creates users and writes one log line per row, is `import-run.ts`.
 * Whole-job failures: logs role not assumable, pool deleted, file unparseable.
 */
import { randomBytes, createHmac } from "node:crypto";
import { ServiceError, poolNotFound } from "./errors";
import { ACTIVE_STATUSES, type EmulatorState, type ImportJob, type PoolState } from "./emulator-state";
import type { FaultRegistry } from "./faults";
import { parseImportCsv } from "./import-csv-parser";
import { JOB_MESSAGES } from "./import-job-messages";
import { appendLogEvent, ImportRun, type ImportRunHost } from "./import-run";
import type { LogStream } from "./logs";
import { csvHeader } from "./pool-model";

const URL_VALIDITY_MS = 15 * 60 * 1000;
export const DEFAULT_JOB_EXPIRY_MS = 24 * 60 * 60 * 1000;
const MAX_JOBS_PER_POOL = 1000;

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
      job.CompletionMessage = JOB_MESSAGES.expired;
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
      this.finish(job, "Stopped", JOB_MESSAGES.stopped);
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
      if (job.Status === "Stopping") this.finish(job, "Stopped", JOB_MESSAGES.stopped);
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

  /** Pending → InProgress: the whole-job checks, then the rows (import-run.ts). */
  private begin(job: ImportJob, resuming = false): void {
    if (job.Status !== (resuming ? "InProgress" : "Pending")) return;
    const pool = this.state.pools.get(job.UserPoolId);
    if (!pool) return this.finish(job, "Failed", JOB_MESSAGES.poolDeleted);
    if (this.cfg.faults.isRoleUnassumable(job.CloudWatchLogsRoleArn)) return this.finish(job, "Failed", JOB_MESSAGES.roleUnassumable);
    const stream = this.logStreamOf(job, pool, resuming);
    job.Status = "InProgress";
    this.cfg.changed();
    const bytes = this.state.uploads.get(job.JobId) ?? Buffer.alloc(0);
    const parsed = parseImportCsv(bytes, csvHeader(pool.config));
    if (!parsed.ok) {
      appendLogEvent(stream, this.cfg.faults, this.cfg.clock(), `[FAILED] ${parsed.reason}`);
      return this.finish(job, "Failed", "The CSV file could not be parsed.");
    }
    new ImportRun(this.runHost(), job, pool, stream, parsed.csv).step();
  }

  /** The job's log stream; a job that starts (rather than resumes) begins with an empty log and no rows done. */
  private logStreamOf(job: ImportJob, pool: PoolState, resuming: boolean): LogStream {
    const now = this.cfg.clock();
    const stream = this.state.logs.ensureStream(logGroupName(pool.config.id, pool.config.name), `${job.JobId}/${job.JobName}`, now);
    if (!resuming) {
      stream.events.length = 0;
      job.rowsDone = 0;
    }
    return stream;
  }

  private runHost(): ImportRunHost {
    return {
      cfg: this.cfg,
      poolExists: (poolId) => this.state.pools.has(poolId),
      finish: (job, status, message) => this.finish(job, status, message),
      later: (ms, fn) => this.later(ms, fn),
      stopped: () => this.stopped,
    };
  }
}

export function randomAlnum(n: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = randomBytes(n);
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[bytes[i] % alphabet.length];
  return s;
}
