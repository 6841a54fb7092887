/**
 * Counts the pool's user import jobs (every ListUserImportJobs page, 60 jobs a page: at most 17 calls at the
 * limit) for the budget of core/import-job-budget.ts. Only a plan that imports asks: nothing else spends a job.
 */
import type { ImportJobList } from "../aws/ports";
import { IMPORT_JOBS_PER_POOL, LIST_PAGE_SIZE } from "../core/cognito-quotas";

/** How many import jobs the pool holds (every status: a finished job still counts against the quota). */
export async function countImportJobs(importJobs: ImportJobList): Promise<number> {
  // One page more than the limit needs, so a pool past the documented limit is still counted, not cut.
  const pages = Math.ceil(IMPORT_JOBS_PER_POOL / LIST_PAGE_SIZE) + 1;
  return (await importJobs.listImportJobs(pages)).length;
}
