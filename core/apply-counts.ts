/**
 * What an apply did, counted: the shape the engine's ApplyResult (engine/reconcile.ts) has and that its readers in
 * core/ — the report for people (core/apply-report.ts) and the roster resource's outputs
 * (core/roster-resource-state.ts) — read. Declared here, once, because core/ imports no engine type; the engine's
 * result extends it. Types only.
 */

/** One import job as Cognito counted its rows (the engine's JobSummary has these fields and more). */
export interface JobCounts {
  jobId: string;
  status: string;
  users: number;
  imported: number;
  skipped: number;
  failed: number;
}

/** The first sign-in codes of an apply, counted (the engine's SignInCodesOutcome adds the record to keep). */
export interface SignInCodeCounts {
  sent: number;
  /** Still owed a code (refused this time, or not reached): the next apply tries again. */
  pending: number;
  /** The call got no answer: possibly sent, recorded as sent so it is never sent twice. */
  uncertain: number;
  /** Cognito refused the call (nothing sent): kept pending. */
  refused: number;
  /** Owed if an import job not yet finished created them: resolved by the next apply. */
  awaiting: number;
  /** Why no code could be sent at all (the pool's account recovery is admin-only), if so. */
  problem?: string;
}

/** A user an apply failed: reported by file and line with Cognito's reason (no personal data). */
interface FailedAt {
  file: string;
  line: number;
  reason: string;
}

/** The counts of one apply. */
export interface ApplyCounts {
  imported: number;
  /** Imported by someone else before our job reached them: in the pool, not failures. */
  alreadyPresent: number;
  updated: number;
  disabled: number;
  enabled: number;
  removed: number;
  failed: readonly FailedAt[];
  jobs: readonly JobCounts[];
  /** Group memberships added and removed (AdminAddUserToGroup / AdminRemoveUserFromGroup calls that succeeded). */
  membershipsAdded?: number;
  membershipsRemoved?: number;
  awsCalls: number;
}
