/**
 * Cognito's quotas and per-job limits the product plans and paces by, in one table (issue 22.5): every module that
 * needs one reads it here, so a raised quota or a corrected figure is one edit. Sources: the developer guide's
 * "Quotas in Amazon Cognito" page (request rates are defaults per account and Region; import jobs per pool is not
 * adjustable) and "Importing users into a user pool" (the CSV file's limits). The emulator keeps its own copy on
 * purpose: it imports nothing of the product (emulator/quotas.ts).
 */

/** Default requests per second per account and Region, by the operation the product calls (its quota category). */
export const REQUESTS_PER_SECOND = Object.freeze({
  /** UserRead. */
  adminGetUser: 120,
  /** UserList (not adjustable). */
  listUsers: 30,
  /** UserResourceRead. */
  adminListGroupsForUser: 50,
  /** UserList. */
  listUsersInGroup: 30,
  /** UserResourceUpdate: AdminAddUserToGroup and AdminRemoveUserFromGroup. */
  membershipWrite: 25,
  /** UserAccountRecovery: AdminResetUserPassword with ForgotPassword and ConfirmForgotPassword (not adjustable). */
  accountRecovery: 30,
});

/** User import jobs per user pool; not adjustable, and no API deletes a job. */
export const IMPORT_JOBS_PER_POOL = 1000;

/**
 * One import job's CSV file: 500,000 users (the header not counted) and 100 MB. The documentation does not say
 * whether "100 MB" is 10^8 bytes or 100 × 1024 × 1024; the smaller is taken, so a part can never be refused for size.
 */
export const IMPORT_FILE_LIMITS = Object.freeze({ maxUsers: 500_000, maxBytes: 100_000_000 });

/** One row of an import CSV, in characters. */
export const MAX_CSV_ROW_LENGTH = 16000;

/** Groups one user may be a member of, and groups in one pool (resource quotas, not adjustable). */
export const MAX_GROUPS_PER_USER = 100;
export const MAX_GROUPS_PER_POOL = 10_000;

/** The largest page ListUsers, ListUserImportJobs and the group APIs return (Limit / MaxResults 0-60). */
export const LIST_PAGE_SIZE = 60;
