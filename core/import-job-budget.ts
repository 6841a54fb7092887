/**
 * Import jobs are a budget: Cognito allows a user pool 1,000 user import jobs (the quotas page, "Quotas on resource
 * number and size": not adjustable), and no API deletes one, so every apply that imports spends one for good.
 *
 * Pure: the engine counts the pool's jobs (ListUserImportJobs, every page) and asks here what to show and whether an
 * apply may create the jobs it needs.
 */

import { IMPORT_JOBS_PER_POOL } from "./cognito-quotas";

/** The plan shows the count once fewer than this many jobs remain. */
const WARN_WHEN_REMAINING_BELOW = 100;

/** What the plan shows of the budget: absent while plenty remains. */
export interface ImportJobBudget {
  used: number;
  limit: number;
}

/** The budget to show with a plan that imports, or undefined while 100 or more jobs remain. */
export function budgetToShow(used: number): ImportJobBudget | undefined {
  return IMPORT_JOBS_PER_POOL - used < WARN_WHEN_REMAINING_BELOW ? { used, limit: IMPORT_JOBS_PER_POOL } : undefined;
}

/** The plan's line, e.g. "this pool has used 999 of its 1,000 import jobs (1 left; no API deletes a job)". */
export function describeBudget(budget: ImportJobBudget): string {
  const left = Math.max(0, budget.limit - budget.used);
  const limit = budget.limit.toLocaleString("en-GB");
  return `this pool has used ${budget.used} of its ${limit} import jobs (${left} left; no API deletes a job)`;
}

/**
 * Why an apply that needs `needed` new jobs must not create any, or undefined when it may. Refusing before the
 * first job means a roster split into several jobs never imports half and then meets the limit.
 */
export function budgetRefusal(userPoolId: string, used: number, needed: number): string | undefined {
  if (needed === 0 || used + needed <= IMPORT_JOBS_PER_POOL) return undefined;
  const left = Math.max(0, IMPORT_JOBS_PER_POOL - used);
  return (
    `pool ${userPoolId} has used ${used} of the ${IMPORT_JOBS_PER_POOL.toLocaleString("en-GB")} import jobs Cognito allows a pool ` +
    `(not adjustable; no API deletes a job) and this apply needs ${needed} (${left} left): nothing was created. ` +
    'See docs/running-for-real.md, "The import job budget", for the way forward'
  );
}
