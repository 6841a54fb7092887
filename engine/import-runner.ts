/**
 * Runs Cognito user import jobs for the users a plan imports, and finds out what became of each of them.
 *
 * Per CSV part (≤ 500,000 users and ≤ 100 MB): create a job with a name derived from the part's content (so a
 * re-run after a crash finds and adopts its own unfinished job instead of creating another), upload with the SSE
 * header (bounded by a timeout proportional to the size; a lapsed or refused URL means a new job), start
 * (retrying "No csv file was uploaded" and waiting while another job in the account is active), poll with
 * back-off, then confirm every user: line numbers are only a hint, and a Failed job may still have imported some.
 *
 * Two runs at once (two CI runs, a laptop and CI) must never both import. The rule, written out in
 * docs/running-for-real.md. The engine lists the pool's jobs when it finds none active, just before planning: the
 * jobs it then knows. A job that appears later and is not this run's own is a newcomer — another run's. Before
 * creating its job and again just before starting it, a run lists the jobs and yields (ConcurrentImportError) when
 *  - another job is active in the pool, or a newcomer has been started (another run imported since this plan), or
 *  - a newcomer roster job (name prefix `cognito-roster-`) is Created, fresh, and older than this run's job: the
 *    older job goes first, whatever its content (same name or not; ties broken by job id, the same in every run).
 * Yielding starts nothing: this run's Created job is left to expire (Created jobs expire; they never become Failed)
 * and the engine waits for the other job, then plans again from the pool, so nothing is imported or counted twice.
 * Last, StartUserImportJob itself starts a Created job only once: a run whose start is refused because the job is no
 * longer Created (a crashed run's job adopted by two re-runs) yields too; whoever starts a job alone counts it.
 * Only jobs known before the plan (left by a crashed run) are adopted.
 *
 * Waits go through engine/backoff.ts on an injectable clock and say what they wait for. Nothing personal and no
 * pre-signed URL is ever put into progress messages.
 */
import { createHash } from "node:crypto";
import type { DeclaredUser } from "../core/declared-user";
import type { PoolUser } from "../core/pool-user";
import { splitImportCsv, COGNITO_IMPORT_LIMITS, type ImportCsvPart } from "../core/import-csv";
import { JOB_NAME_PREFIX } from "../core/import-job-contention";
import type { ImportJob } from "../aws/import-jobs";
import { type ConfirmPorts, confirmImport } from "./confirm-import";
import { runOneJob } from "./import-job-run";
import { DEFAULT_IMPORT_TIMING, type ImportRunOptions } from "./import-run-options";
import type { ImportJobsPort } from "../aws/ports";

interface FailedImport {
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
  present: { user: DeclaredUser; pool: PoolUser; byThisJob: boolean }[];
  /** Users the pool still lacks, with the reason from the job's log (or the job's completion message). */
  failed: FailedImport[];
  jobs: JobSummary[];
}

/** What the import reads and changes: the pool's import jobs, their logs, and (to confirm rows in doubt) users. */
export interface ImportPorts extends ConfirmPorts {
  importJobs: ImportJobsPort;
}

export async function runImports(ports: ImportPorts, users: readonly DeclaredUser[], options: ImportRunOptions): Promise<ImportOutcome> {
  const outcome: ImportOutcome = { present: [], failed: [], jobs: [] };
  if (users.length === 0) return outcome;
  const timing = { ...DEFAULT_IMPORT_TIMING, ...options.timing };
  const say = options.progress ?? (() => undefined);
  const parts = splitImportCsv(users, options.header, options.limits ?? COGNITO_IMPORT_LIMITS);

  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const label = `import ${i + 1}/${parts.length} (${part.users.length} users)`;
    const jobName = importJobName(part, i, parts.length);
    const finished = await runOneJob(ports.importJobs, part, jobName, label, options, timing, say);
    outcome.jobs.push({ ...summarise(finished), users: part.users.length });
    say(
      `${label}: job ${finished.jobId} ${finished.status}: ` +
        `${finished.imported} imported, ${finished.skipped} skipped, ${finished.failed} failed`,
    );

    // Counters first, then log lines, then consistent point reads for rows in doubt (engine/confirm-import).
    const clock = options.clock;
    const confirmed = await confirmImport(ports, {
      poolName: options.poolName,
      caseSensitive: options.caseSensitive,
      ...(options.usernameAttributes ? { usernameAttributes: options.usernameAttributes } : {}),
      users: part.users,
      job: finished,
      progress: say,
      clock,
    });
    for (const entry of confirmed.present) outcome.present.push(entry);
    for (const entry of confirmed.failed) outcome.failed.push(entry);
  }
  return outcome;
}

/** A name Cognito accepts ([\w\s+=,.@-]+, ≤ 128) that identifies the part's content. */
function importJobName(part: ImportCsvPart, index: number, count: number): string {
  const digest = createHash("sha256").update(part.csv).digest("hex").slice(0, 16);
  return `${JOB_NAME_PREFIX}${digest}-part${index + 1}of${count}`;
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
