/**
 * The reconcile engine, shared by the Pulumi provider and the CLI: load and validate the files, look up what
 * changed in the pool, plan, and (for apply) carry the plan out and say what the roster now manages.
 *
 * It owns ordering and bookkeeping only; pure decisions live in core/, AWS calls in aws/. It prints nothing:
 * progress goes to the caller's callback, without personal data.
 */
import type { DeclaredUser } from "../core/declared-user";
import { type Diagnostic, formatDiagnostic, hasErrors } from "../core/diagnostics";
import { loadRoster } from "../core/load-roster";
import { changedSinceLastApply, planChanges, planHasChanges, removedDigests, type RosterPlan } from "../core/plan";
import { csvHeaderForProfile, type PoolProfile } from "../core/profile";
import { differingAttributes, poolValueOf } from "../core/compare-attributes";
import { type AppliedDigests, declaredValuesDigest, usernameDigest } from "../core/user-digest";
import { type AwsClients, createAwsClients } from "../aws/clients";
import { getCsvHeader } from "../aws/import-jobs";
import { errorName } from "../aws/error-name";
import { deleteUser, setUserEnabled, updateUserAttributes } from "../aws/pool-users";
import { observePool } from "./observe-pool";
import { type ImportRunOptions, type ImportTiming, type JobSummary, runImports, waitForActiveImports } from "./import-runner";

export interface RosterRun {
  profile: PoolProfile;
  /** The users directory, and the root that paths in diagnostics are relative to. */
  usersDir: string;
  repoRoot: string;
  /** Digests of the last successful apply, if any. */
  previous?: AppliedDigests;
  /** Look up every declared user, not only those changed since the last apply. */
  full?: boolean;
  progress?: (message: string) => void;
  timing?: Partial<ImportTiming>;
  afterStep?: ImportRunOptions["afterStep"];
  /** Per-job CSV limits; Cognito's (500,000 users, 100 MB) unless a test sets smaller ones. */
  limits?: ImportRunOptions["limits"];
  /** Users already loaded and validated (the Pulumi program's copy); loaded from usersDir otherwise. */
  users?: readonly DeclaredUser[];
}

export interface PlanResult {
  plan: RosterPlan;
  users: DeclaredUser[];
  poolName: string;
  readStrategy: string;
  awsCalls: number;
}

export interface FailedUser {
  username: string;
  file: string;
  line: number;
  reason: string;
}

export interface ApplyResult extends PlanResult {
  imported: number;
  /** Imported by someone else before our job reached them: in the pool, not failures. */
  alreadyPresent: number;
  updated: number;
  disabled: number;
  enabled: number;
  removed: number;
  failed: FailedUser[];
  jobs: JobSummary[];
  /** What the roster manages after this apply: to be stored and passed as `previous` next time. */
  applied: AppliedDigests;
  awsCallsByOperation: Record<string, number>;
}

/** Invalid users files: carries every diagnostic. Checked by `name`, not instanceof. */
export class RosterValidationError extends Error {
  readonly name = "RosterValidationError";
  constructor(readonly diagnostics: Diagnostic[]) {
    super(`the users files have errors:\n${diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic).join("\n")}`);
  }
}

/** A plan the safety rails refuse to apply. */
export class PlanRefusedError extends Error {
  readonly name = "PlanRefusedError";
}

/** The pool's CSV header does not match the stack profile. */
export class ProfileMismatchError extends Error {
  readonly name = "ProfileMismatchError";
}

export function loadValidUsers(run: RosterRun): DeclaredUser[] {
  if (run.users) return [...run.users];
  const loaded = loadRoster({ usersDir: run.usersDir, repoRoot: run.repoRoot, profile: run.profile });
  if (hasErrors(loaded.diagnostics)) throw new RosterValidationError(loaded.diagnostics);
  return loaded.users;
}

/** Read-only: what an apply would do now. */
export function planRoster(run: RosterRun, clients?: AwsClients): Promise<PlanResult> {
  return withClients(run, clients, planWith);
}

/** Runs `work` with the given clients, or with clients of its own that it destroys afterwards. */
async function withClients<T>(run: RosterRun, clients: AwsClients | undefined, work: (aws: AwsClients, run: RosterRun) => Promise<T>): Promise<T> {
  const aws = clients ?? createAwsClients(run.profile.region);
  try {
    return await work(aws, run);
  } finally {
    if (clients === undefined) aws.destroy();
  }
}

async function planWith(aws: AwsClients, run: RosterRun): Promise<PlanResult> {
  const { profile } = run;
  const users = loadValidUsers(run);
  const previous = run.full ? undefined : run.previous;
  const usersToCheck = changedSinceLastApply(profile.userPoolId, users, previous, profile.usernameCaseSensitive);
  const removed = removedDigests(profile.userPoolId, users, run.previous, profile.usernameCaseSensitive);
  // Removed users are found by scanning the pool only when they are to be acted on, or on a full check.
  const findRemoved = profile.removedUsers !== "retain" || run.full ? removed : [];
  const observation = await observePool(aws.cognito, {
    userPoolId: profile.userPoolId,
    caseSensitive: profile.usernameCaseSensitive,
    usersToCheck,
    removedDigestsToFind: findRemoved,
  });
  const plan = planChanges({
    userPoolId: profile.userPoolId,
    declared: users,
    observed: observation.observed,
    previous: run.previous,
    removedPoolUsers: observation.removedPoolUsers,
    caseSensitive: profile.usernameCaseSensitive,
    attributeChanges: profile.attributeChanges,
    removedUsers: profile.removedUsers,
    maxRemovalFraction: profile.maxRemovalFraction,
  });
  return { plan, users, poolName: observation.poolName, readStrategy: observation.strategy.kind, awsCalls: aws.calls.total() };
}

/** Plans and applies. Per-user failures are reported in the result, not thrown; they stay out of `applied`. */
export function applyRoster(run: RosterRun, clients?: AwsClients): Promise<ApplyResult> {
  return withClients(run, clients, applyWith);
}

async function applyWith(aws: AwsClients, run: RosterRun): Promise<ApplyResult> {
  const { profile } = run;
  const say = run.progress ?? (() => undefined);
  const poolId = profile.userPoolId;
  const caseSensitive = profile.usernameCaseSensitive;
  // An import job left running by an interrupted run must finish before the pool is read for a new plan.
  await waitForActiveImports(aws.cognito, poolId, { timing: run.timing, progress: say });
  const planned = await planWith(aws, run);
  const { plan } = planned;
  if (plan.refused) throw new PlanRefusedError(plan.refused);
  say(describePlan(plan));

  const failed: FailedUser[] = [];
  const notConverged = new Set<string>();
  const fail = (user: DeclaredUser, reason: string) => {
    failed.push({ username: user.username, file: user.source.file, line: user.source.line, reason });
    notConverged.add(user.username);
  };

  let imported = 0;
  let alreadyPresent = 0;
  let jobs: JobSummary[] = [];
  if (plan.import.length > 0) {
    const header = await getCsvHeader(aws.cognito, poolId);
    checkHeaderMatchesProfile(header, profile);
    const outcome = await runImports(
      aws.cognito,
      aws.logs,
      plan.import.map((p) => p.user),
      {
        userPoolId: poolId,
        poolName: planned.poolName,
        logsRoleArn: requireRole(run),
        header,
        caseSensitive,
        timing: run.timing,
        progress: say,
        afterStep: run.afterStep,
        limits: run.limits,
      },
    );
    jobs = outcome.jobs;
    const importedNow = new Set(plan.import.map((p) => p.username));
    for (const { user, pool } of outcome.present) {
      if (pool.status === "RESET_REQUIRED" && importedNow.has(user.username)) imported++;
      else alreadyPresent++;
      // A user someone else created first may hold other values: not converged until a later run updates it.
      if (differingAttributes(user, pool).length > 0) notConverged.add(user.username);
    }
    for (const { user, reason } of outcome.failed) fail(user, reason);
  }

  let updated = 0;
  for (const entry of plan.update) {
    if (entry.reportOnly) {
      notConverged.add(entry.username);
      continue;
    }
    const values: Record<string, string> = {};
    for (const name of entry.attributes) values[name] = poolValueOf(entry.user.attributes[name]);
    try {
      await updateUserAttributes(aws.cognito, poolId, entry.username, values);
      updated++;
    } catch (err) {
      fail(entry.user, `AdminUpdateUserAttributes failed: ${errorName(err) || "error"}: ${(err as Error).message}`);
    }
  }

  let disabled = 0;
  let enabled = 0;
  for (const [entries, enable] of [
    [plan.disable, false],
    [plan.enable, true],
  ] as const) {
    for (const entry of entries) {
      try {
        await setUserEnabled(aws.cognito, poolId, entry.username, enable);
        if (enable) enabled++;
        else disabled++;
      } catch (err) {
        fail(entry.user, `${enable ? "AdminEnableUser" : "AdminDisableUser"} failed: ${errorName(err) || "error"}: ${(err as Error).message}`);
      }
    }
  }

  let removed = 0;
  const removalFailed = new Set<string>();
  for (const removal of plan.remove) {
    if (removal.action === "retain" || removal.username === undefined) continue;
    try {
      if (removal.action === "delete") await deleteUser(aws.cognito, poolId, removal.username);
      else await setUserEnabled(aws.cognito, poolId, removal.username, false);
      removed++;
    } catch (err) {
      removalFailed.add(removal.usernameDigest);
      say(`could not ${removal.action} a removed user: ${errorName(err) || (err as Error).message}`);
    }
  }

  // What the roster manages now: every declared user in its declared state. Users not looked up were unchanged
  // since the last apply; failed or not-converged users are left out so the next run looks at them again.
  const applied: AppliedDigests = {};
  for (const user of planned.users) {
    if (notConverged.has(user.username)) continue;
    applied[usernameDigest(poolId, user.username, caseSensitive)] = declaredValuesDigest(user);
  }
  for (const digest of removalFailed) if (run.previous?.[digest]) applied[digest] = run.previous[digest];

  return {
    ...planned,
    imported,
    alreadyPresent,
    updated,
    disabled,
    enabled,
    removed,
    failed,
    jobs,
    applied,
    awsCalls: aws.calls.total(),
    awsCallsByOperation: aws.calls.byOperation(),
  };
}

/** One line, no personal data. */
export function describePlan(plan: RosterPlan): string {
  const updates = plan.update.filter((u) => !u.reportOnly).length;
  const reported = plan.update.length - updates;
  const parts = [
    `${plan.import.length} to import`,
    `${updates} to update`,
    ...(reported > 0 ? [`${reported} differing (report only)`] : []),
    `${plan.disable.length} to disable`,
    `${plan.enable.length} to enable`,
    `${plan.remove.length} no longer declared (${plan.remove[0]?.action ?? "none"})`,
    `${plan.unchanged} unchanged`,
  ];
  return `plan for ${plan.userPoolId}: ${parts.join(", ")}${planHasChanges(plan) ? "" : " — nothing to do"}`;
}

function checkHeaderMatchesProfile(header: readonly string[], profile: PoolProfile): void {
  const expected = new Set(csvHeaderForProfile(profile));
  const actual = new Set(header);
  const missing = [...expected].filter((c) => !actual.has(c));
  const extra = [...actual].filter((c) => !expected.has(c));
  if (missing.length > 0 || extra.length > 0) {
    throw new ProfileMismatchError(
      `pool ${profile.userPoolId} does not match the stack profile: its CSV header ` +
        [missing.length ? `lacks ${missing.join(", ")}` : "", extra.length ? `has ${extra.join(", ")} the profile does not declare` : ""]
          .filter(Boolean)
          .join(" and ") +
        " (fix cognito-roster:customAttributes in the stack config)",
    );
  }
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
