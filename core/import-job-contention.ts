/**
 * When several runs contend for one pool's import jobs: which job goes first (the oldest), and why a job this run
 * created can no longer be started by it. Pure: the engine (engine/import-job-run.ts) reads the jobs and throws.
 * Jobs are described by the fields read here, so that core/ does not depend on the AWS adapter's type.
 */

/** Oldest first; equal creation times are ordered by job id, so every run sorts the same way. */
export function byAge(a: { jobId: string; createdAt?: Date }, b: { jobId: string; createdAt?: Date }): number {
  const at = a.createdAt?.getTime() ?? 0;
  const bt = b.createdAt?.getTime() ?? 0;
  return at !== bt ? at - bt : a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0;
}

/** Why a job this run created can no longer be started by it: another run started it, or it expired unstarted. */
export function startedElsewhere(job: { jobId: string }, now: { status: string }): string {
  if (now.status === "Expired")
    return (
      `job ${job.jobId} expired before it was started (a job not started within 24 hours of its creation expires); ` +
      "this run imports nothing with it and plans again"
    );
  return `job ${job.jobId} was started by another run (${now.status}); this run imports nothing and plans again`;
}

/** Every job the roster creates has a name with this prefix (engine/import-runner.ts names them). */
export const JOB_NAME_PREFIX = "cognito-roster-";

/** True for a job the roster created (a contender with the same rules), false for one made by hand or another tool. */
export function isRosterJob(job: { jobName: string }): boolean {
  return job.jobName.startsWith(JOB_NAME_PREFIX);
}

/** How a progress message names a job's owner: ", a roster job" or ", not a roster job". */
export function ownedBy(job: { jobName: string }): string {
  return isRosterJob(job) ? ", a roster job" : ", not a roster job";
}
