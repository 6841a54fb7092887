/**
 * What an apply did, for people (stdout of `cognito-roster apply` and `cognito-roster start`): counts, import jobs,
 * sign-in codes and each failure by file:line, without personal data. Every count agrees with the lines printed:
 * "N failed" is followed by exactly N failure lines. Pure.
 *
 * It reads the counts of the engine's ApplyResult (engine/reconcile.ts) through their core shape, core/apply-counts.ts.
 */
import type { ApplyCounts, JobCounts, SignInCodeCounts } from "./apply-counts";
import { logLine } from "./untrusted-text";
import { plural } from "./words";

/** What an apply did, as the report reads it. */
export interface AppliedCounts extends ApplyCounts {
  plan: { userPoolId: string; unchanged: number };
  signInCodes?: SignInCodeCounts;
}

/** The report, one line each, ending in a line break. */
export function describeApply(result: AppliedCounts): string {
  const lines = [
    `applied to ${result.plan.userPoolId}: ${result.imported} imported, ${result.updated} updated, ${result.disabled} disabled, ` +
      `${result.enabled} enabled, ${result.removed} removed, ${result.failed.length} failed, ${result.plan.unchanged} unchanged` +
      (result.alreadyPresent > 0 ? `, ${result.alreadyPresent} already in the pool` : "") +
      ((result.membershipsAdded ?? 0) + (result.membershipsRemoved ?? 0) > 0
        ? `; group memberships: ${result.membershipsAdded ?? 0} added, ${result.membershipsRemoved ?? 0} removed`
        : ""),
    ...result.jobs.map(describeJob),
    ...result.failed.map((f) => `  failed ${f.file}:${f.line}: ${f.reason}`),
    ...(result.signInCodes ? [describeSignInCodes(result.signInCodes)] : []),
    plural(result.awsCalls, "AWS call"),
  ];
  // Failure reasons quote AWS's messages: each line is shown the one way untrusted text is (core/untrusted-text.ts).
  return `${lines.map(logLine).join("\n")}\n`;
}

/** The first sign-in codes of this apply, counted (no personal data). */
function describeSignInCodes(codes: SignInCodeCounts): string {
  const parts = [`${plural(codes.sent, "sign-in code")} sent`];
  if (codes.uncertain > 0) parts.push(`${codes.uncertain} unanswered (counted as sent, never sent twice)`);
  if (codes.refused > 0) parts.push(`${codes.refused} refused by Cognito`);
  if (codes.pending > 0) parts.push(`${codes.pending} still owed`);
  if (codes.awaiting > 0) parts.push(`${codes.awaiting} awaiting an import job's outcome`);
  return `  ${parts.join(", ")}${codes.problem ? `: ${codes.problem}` : ""}`;
}

/**
 * One import job as Cognito counted its rows. Zero counts are left out, and rows the job never reached (a job
 * that failed or stopped as a whole) are counted as such, so a job line never says "0 failed" beside failures.
 * @internal exported for its tests
 */
export function describeJob(job: JobCounts): string {
  const processed = job.imported + job.skipped + job.failed;
  const counts = [`${job.imported} imported`];
  if (job.skipped > 0) counts.push(`${job.skipped} skipped`);
  if (job.failed > 0) counts.push(`${job.failed} failed`);
  if (processed < job.users) counts.push(`${job.users - processed} not processed`);
  return `  import job ${job.jobId} (${plural(job.users, "user")}): ${job.status}, ${counts.join(", ")}`;
}
