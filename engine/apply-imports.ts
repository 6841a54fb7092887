/**
 * The import step of an apply (engine/apply-roster.ts applyOnce): refused beyond the pool's import-job budget, the
 * pool's CSV header checked against the profile, the planned users imported by the runner (engine/import-runner.ts),
 * and what the jobs did tallied — each user's `sub`, imported or found present, and the failures.
 */
import type { DeclaredUser } from "../core/declared-user";
import { usernameDigest } from "../core/user-digest";
import { tallyImportOutcome } from "../core/import-outcome-tally";
import { csvHeaderMismatch } from "../core/csv-header-check";
import { budgetRefusal } from "../core/import-job-budget";
import { COGNITO_IMPORT_LIMITS } from "../core/import-csv";
import type { ImportJob } from "../aws/import-jobs";
import { type ApplyContext, failUser } from "./apply-context";
import { SYSTEM_CLOCK } from "./backoff";
import { type ImportOutcome, type JobSummary, runImports } from "./import-runner";
import { DEFAULT_IMPORT_TIMING } from "./import-run-options";
import type { RosterRun } from "./reconcile";
import { ImportBudgetError } from "./roster-run-errors";

export interface ImportCounts {
  /** Planned imports that are not in the pool after the jobs (failed). */
  notImported: Set<string>;
  imported: number;
  /** Imported by someone else before our job reached them: in the pool, not failures. */
  alreadyPresent: number;
  importedByThisRun: DeclaredUser[];
  jobs: JobSummary[];
  /** The `sub` of each user in the pool after the import whose confirmation read it, by normalised username. */
  subs: Map<string, string>;
  /** Users in the pool after the import whose `sub` the confirmation did not read (confirmed by counters or log). */
  withoutSub: string[];
}

export async function importNewUsers(
  apply: ApplyContext,
  ownJobIds: string[],
  knownJobIds: readonly string[],
  adoptableJobs: number,
): Promise<ImportCounts> {
  const counts: ImportCounts = {
    notImported: new Set(),
    imported: 0,
    alreadyPresent: 0,
    importedByThisRun: [],
    jobs: [],
    subs: new Map(),
    withoutSub: [],
  };
  const { ports, run, planned, poolId } = apply;
  const digestOf = (user: DeclaredUser) => usernameDigest(poolId, user.username, run.profile.usernameCaseSensitive);
  if (planned.plan.import.length === 0) return counts;
  refuseBeyondBudget(apply, adoptableJobs);
  const header = await ports.importJobs.csvHeader();
  const headerMismatch = csvHeaderMismatch(header, run.profile);
  if (headerMismatch) throw headerMismatch;
  const outcome = await runImports(
    ports,
    planned.plan.import.map((p) => p.user),
    {
      userPoolId: poolId,
      poolName: planned.poolName,
      logsRoleArn: requireRole(run),
      header,
      caseSensitive: run.profile.usernameCaseSensitive,
      usernameAttributes: planned.pool.settings.usernameAttributes,
      timing: run.timing,
      progress: apply.say,
      afterStep: run.afterStep,
      limits: run.limits,
      clock: run.clock,
      ownJobIds,
      knownJobIds,
      beforeStart: (job, users) => apply.ledger?.expect(job.jobId, users.map(digestOf)),
      notStarted: (job) => apply.ledger?.retract(job.jobId),
    },
  );
  counts.jobs = outcome.jobs;
  if (apply.ledger) {
    // What each job created is known now, by evidence (engine/confirm-import.ts): owed exactly those.
    const created = new Set(outcome.present.filter((p) => p.byThisJob).map((p) => digestOf(p.user)));
    for (const job of outcome.jobs) apply.ledger.settle(job.jobId, created);
    apply.ledger.save();
  }
  countImportOutcome(apply, outcome, counts);
  return counts;
}

/**
 * Acts on what the imports did (core/import-outcome-tally.ts): the counts and subs kept, users not as declared left
 * out of the record, and the failures reported.
 */
function countImportOutcome(apply: ApplyContext, outcome: ImportOutcome, counts: ImportCounts): void {
  const { notConverged, ...tally } = tallyImportOutcome(outcome.present, apply.run.profile.usernameCaseSensitive);
  Object.assign(counts, tally);
  for (const username of notConverged) apply.notConverged.add(username);
  for (const { user, reason } of outcome.failed) {
    failUser(apply, user, reason);
    counts.notImported.add(user.username);
  }
}

/** The known jobs the import runner would adopt (engine/import-job-run.ts adoptOrCreate: Created, ours, URL still valid). */
export function adoptableJobs(jobs: readonly ImportJob[], run: RosterRun): number {
  const lifetime = { ...DEFAULT_IMPORT_TIMING, ...run.timing }.urlLifetimeMs;
  const now = (run.clock ?? SYSTEM_CLOCK).now();
  return jobs.filter(
    (j) =>
      j.status === "Created" &&
      j.jobName.startsWith("cognito-roster-") &&
      j.createdAt !== undefined &&
      now - j.createdAt.getTime() < lifetime,
  ).length;
}

/**
 * Refuses, before any job is created, an apply that needs more import jobs than the pool has left. The jobs it
 * needs: one per CSV part, at least, less the unfinished jobs known before the plan that the runner may adopt
 * (a crashed run's job is resumed, never paid for twice).
 */
function refuseBeyondBudget(apply: ApplyContext, adoptableJobs: number): void {
  const used = apply.planned.importJobsUsed ?? 0;
  const perJob = (apply.run.limits ?? COGNITO_IMPORT_LIMITS).maxUsers;
  const parts = Math.ceil(apply.planned.plan.import.length / perJob);
  const adoptable = Math.min(adoptableJobs, parts);
  const refusal = budgetRefusal(apply.poolId, used, parts - adoptable);
  if (refusal) throw new ImportBudgetError(refusal);
}

function requireRole(run: RosterRun): string {
  const arn = run.profile.logsRoleArn;
  if (!arn) {
    throw new Error(
      "no CloudWatch Logs role for import jobs: pass --logs-role-arn, or set cognito-roster:logsRoleArn in the stack config " +
        "(under Pulumi, the program passes the role it creates)",
    );
  }
  return arn;
}
