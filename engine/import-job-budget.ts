/**
 * Counts the pool's user import jobs (every ListUserImportJobs page, 60 jobs a page: at most 17 calls at the
 * limit) for the budget of core/import-job-budget.ts. Only a plan that imports asks: nothing else spends a job.
 */
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { listImportJobs } from "../aws/import-jobs";
import { IMPORT_JOBS_PER_POOL, LIST_PAGE_SIZE } from "../core/cognito-quotas";

/** How many import jobs the pool holds (every status: a finished job still counts against the quota). */
export async function countImportJobs(cognito: CognitoIdentityProviderClient, userPoolId: string): Promise<number> {
  // One page more than the limit needs, so a pool past the documented limit is still counted, not cut.
  const pages = Math.ceil(IMPORT_JOBS_PER_POOL / LIST_PAGE_SIZE) + 1;
  return (await listImportJobs(cognito, userPoolId, pages)).length;
}
