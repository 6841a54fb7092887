/**
 * Waiting on import jobs that are not this run's own step: any job still active before a plan, another run's job
 * this run yielded to, and the shared bounded wait both use (engine/backoff.ts: each wait says what it waits for).
 */
import { ownedBy } from "../core/import-job-contention";
import { ACTIVE_STATUSES, FINISHED_STATUSES, type ImportJob } from "../aws/import-jobs";
import type { ImportJobsPort, ImportJobList } from "../aws/ports";
import { type Attempt, type Clock, done, notYet, retryWithBackoff, SYSTEM_CLOCK } from "./backoff";
import { DEFAULT_IMPORT_TIMING, type ImportTiming } from "./import-run-options";
import { ServiceClock } from "./service-clock";

/** How a wait is told to report and on which clock it runs. */
interface WaitOptions {
  timing?: Partial<ImportTiming>;
  progress?: (message: string) => void;
  clock?: Clock;
}

/**
 * Waits until none of the pool's import jobs is active: an unfinished run must end before a new plan. Returns the
 * jobs it saw then (newest first): the jobs known before the plan.
 */
export async function waitForActiveImports(importJobs: ImportJobList, options: WaitOptions): Promise<ImportJob[]> {
  const timing = { ...DEFAULT_IMPORT_TIMING, ...options.timing };
  return waitOrExplain(
    { firstMs: timing.pollMinMs, maxMs: timing.pollMaxMs, factor: 1.5, limitMs: timing.maxWaitMs },
    async () => {
      const jobs = await importJobs.listImportJobs(1);
      const active = jobs.find((j) => ACTIVE_STATUSES.includes(j.status));
      return active
        ? notYet(`waiting for import job ${active.jobId} (${active.status}${ownedBy(active)}) to finish before planning`)
        : done(jobs);
    },
    options,
  );
}

/**
 * Waits until another run's job no longer stands in the way: finished, or still Created and older than the
 * contender window (abandoned by a run that crashed; it will expire on its own).
 */
export async function waitForOtherRun(importJobs: ImportJobsPort, jobId: string, options: WaitOptions): Promise<void> {
  const timing = { ...DEFAULT_IMPORT_TIMING, ...options.timing };
  const service = new ServiceClock(options.clock ?? SYSTEM_CLOCK);
  await waitOrExplain(
    { firstMs: timing.pollMinMs, maxMs: timing.pollMaxMs, factor: 1.5, limitMs: timing.maxWaitMs },
    async () => {
      const job = await importJobs.describeImportJob(jobId);
      service.observe(job);
      if (FINISHED_STATUSES.includes(job.status)) return done(undefined);
      if (job.status === "Created" && !service.isRecent(job, timing.contenderWindowMs)) return done(undefined);
      return notYet(
        `waiting for import job ${job.jobId} of another run (${job.status}, ${processed(job)} rows processed) before planning again`,
      );
    },
    options,
  );
}

/** retryWithBackoff whose timeout says what was waited for, as an ImportJobError-free plain message. */
export function waitOrExplain<T>(
  policy: Parameters<typeof retryWithBackoff>[0],
  attempt: (n: number) => Promise<Attempt<T>>,
  options: { progress?: (message: string) => void; say?: (message: string) => void; clock?: Clock },
): Promise<T> {
  return retryWithBackoff(policy, attempt, { clock: options.clock, progress: options.progress ?? options.say });
}

/** Rows the job has processed so far (imported, skipped or failed). */
export function processed(job: ImportJob): number {
  return job.imported + job.skipped + job.failed;
}
