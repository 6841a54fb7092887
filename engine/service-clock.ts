/**
 * The service's time, as seen from this run: job ages (is an upload URL still valid? is a Created job a live
 * contender?) are judged against the jobs' CreationDate, which is on the service's clock — so "now" must be on that
 * clock too, never the local one. A local clock 14 minutes ahead would otherwise judge every new job's 15-minute
 * URL lapsed before the upload, and one behind would adopt lapsed URLs.
 *
 * Each answer about a job carries the service's time (the Date header, aws/import-jobs.ts `serviceNow`); a job just
 * created without one still tells it (its CreationDate is the service's "now" at creation). The offset from the
 * run's clock is kept, and "now" is the run's clock plus that offset: durations still run on the run's clock.
 */
import type { ImportJob } from "../aws/import-jobs";
import type { Clock } from "./backoff";

export class ServiceClock {
  private offsetMs: number | undefined;

  constructor(private readonly clock: Clock) {}

  /** An answer just received about `job` (`justCreated`: the answer to CreateUserImportJob). */
  observe(job: ImportJob | undefined, justCreated = false): void {
    const service = job?.serviceNow?.getTime() ?? (justCreated ? job?.createdAt?.getTime() : undefined);
    if (service !== undefined) this.offsetMs = service - this.clock.now();
  }

  now(): number {
    return this.clock.now() + (this.offsetMs ?? 0);
  }

  /** The job was created less than `withinMs` ago, on the service's clock. */
  isRecent(job: ImportJob, withinMs: number): boolean {
    return job.createdAt !== undefined && this.now() - job.createdAt.getTime() < withinMs;
  }
}
