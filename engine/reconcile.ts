/**
 * The reconcile engine, shared by the Pulumi provider and the CLI: load and validate the files, look up what
 * changed in the pool, plan, and (for apply) carry the plan out and say what the roster now manages.
 *
 * It owns ordering and bookkeeping only; pure decisions live in core/, AWS calls in aws/. It prints nothing:
 * progress goes to the caller's callback, without personal data.
 */
import type { DeclaredUser } from "../core/declared-user";
import { hasErrors } from "../core/diagnostics";
import { loadRoster } from "../load/load-roster";
import { changedSinceLastApply, planChanges, removedDigests, type RosterPlan, withPlanParts } from "../core/plan";
import type { PoolProfile } from "../core/profile";
import {
  type AppliedDigests,
  accountDigest,
  declaredValuesDigest,
  normalizeUsername,
  recordedSub,
  removedEntry,
  usernameDigest,
  withMembershipsPending,
  withSub,
} from "../core/user-digest";
import { readImportedSubs } from "./subs-of-applied-users";
import { attributeUpdate } from "../core/attribute-update";
import { describePlan } from "../core/plan-summary";
import { type ApplyContext, type FailedUser, failUser } from "./apply-context";
import { adoptableJobs, importNewUsers } from "./apply-imports";
import { applyRemovals, setEnabledStates } from "./apply-access-changes";
import { PlanRefusedError, RosterValidationError } from "./roster-run-errors";
import { type SeenSubs, subsMissingFromRecord, subsSeen } from "../core/applied-subs";
import { checkLiveSafety } from "./live-safety";
import { explainUnreachable } from "../aws/clients";
import { openRunPorts } from "./run-ports";
import { errorName } from "../aws/error-name";
import type { PoolUser } from "../core/pool-user";
import type { PoolDescription } from "../aws/pool-users";
import type { PlanPorts, PoolPorts, UserReads } from "../aws/ports";
import type { BaseDeclaration } from "../core/base-users";
import { readRemovedMemberships, readRemovedUsers, removedUserHandles } from "./find-removed-users";
import { dropDeclaredAccounts, planRenames } from "./plan-renames";
import { withHeldReplaces } from "../core/renames";
import { emailChangeModel } from "./sign-in-model";
import { forEachLimited, type Observation, observePool } from "./observe-pool";
import type { JobSummary } from "./import-runner";
import type { ImportRunOptions, ImportTiming } from "./import-run-options";
import { waitForActiveImports, waitForOtherRun } from "./import-waits";
import { type Clock, SYSTEM_CLOCK } from "./backoff";
import { accessOnDate, DEFAULT_TIME_ZONE, dateInZone, datesDue, hasAccessOn } from "../core/access-dates";
import { budgetToShow } from "../core/import-job-budget";
import { countImportJobs } from "./import-job-budget";
import { bindingMismatch, bindingOf, type PoolBinding } from "./pool-binding";
import { poolSettingsError } from "../core/pool-settings";
import { planGroupMemberships } from "./observe-groups";
import { applyPlannedMemberships, type PlannedMembershipsOutcome } from "./apply-groups";
import * as path from "node:path";
import { scrubUser } from "../core/scrub-personal-data";
import { scrubErrorOfDeclaredUsers } from "../core/scrub-roster";
import { type MessagingCheck, messagingCapacity } from "../core/messaging-capacity";
import { readMessaging } from "./observe-messaging";
import { plannedSignInCodes, sendSignInCodes, type SignInCodesOutcome } from "./send-sign-in-codes";
import { CodeLedger } from "./code-ledger";
import { type PlannedReminders, plannedReminders } from "./plan-reminders";
import type { ReminderRecord } from "../core/sign-in-reminders";
import type { LedgerChange, SignInCodeRecord } from "../core/sign-in-code-record";

/** How many times an apply plans again after yielding to another run's import job before it gives up. */
const MAX_CONCURRENT_ROUNDS = 3;

export interface RosterRun {
  profile: PoolProfile;
  /** The users directory, and the root that paths in diagnostics are relative to. */
  usersDir: string;
  repoRoot: string;
  /** Digests of the last successful apply, if any. */
  previous?: AppliedDigests;
  /**
   * The pool `previous` was applied to (stored with it). Checked against DescribeUserPool before `previous` is
   * trusted; a record without it is unbound and costs one full observation.
   */
  binding?: PoolBinding;
  /** Look up every declared user, not only those changed since the last apply. */
  full?: boolean;
  progress?: (message: string) => void;
  timing?: Partial<ImportTiming>;
  afterStep?: ImportRunOptions["afterStep"];
  /** Per-job CSV limits; Cognito's (500,000 users, 100 MB) unless a test sets smaller ones. */
  limits?: ImportRunOptions["limits"];
  /** Users already loaded and validated (the Pulumi program's copy); loaded from usersDir otherwise. */
  users?: readonly DeclaredUser[];
  /** The clock the engine's own waits run on (tests pass a fast one). */
  clock?: Clock;
  /** Who was sent a first sign-in code (or is owed one), from the last apply's record (digests only). */
  signInCodes?: SignInCodeRecord;
  /** Persists the sign-in code record as codes are sent, so a crash never causes a second code. */
  saveSignInCodes?: (record: SignInCodeRecord) => void;
  /**
   * The pull request's base declarations by username digest (`--base-users`): users no longer declared are then
   * found by name, one AdminGetUser each, instead of by a ListUsers scan.
   */
  base?: ReadonlyMap<string, BaseDeclaration>;
  /**
   * The day (yyyy-mm-dd, in the stack's time zone) whose access the run applies (`startDate`/`endDate`); from the
   * run's calendar when absent. The Pulumi program fixes it once per `up`, so its digest and the provider's agree.
   */
  today?: string;
  /**
   * The instant whose date in the stack's time zone decides `startDate`/`endDate` (the system clock when absent).
   * Apart from `clock`, whose time must agree with the pool's for import-job deadlines; tests move this one across midnight.
   */
  calendar?: Pick<Clock, "now">;
  /** Persists only what each save changed (O(changes) per batch; core/sign-in-code-record.ts). */
  appendSignInCodes?: (change: LedgerChange) => void;
  /** The stack state's record of sign-in reminders (`signInReminders`), for the plan's messaging capacity. */
  reminders?: ReminderRecord;
}

export interface PlanResult {
  plan: RosterPlan;
  users: DeclaredUser[];
  poolName: string;
  readStrategy: string;
  awsCalls: number;
  /** The run's one DescribeUserPool answer. */
  pool: PoolDescription;
  /** Set when every declared user was looked up although --full was not asked for: why the record was distrusted. */
  fullObservationReason?: string;
  /** The pool's import jobs, counted when the plan imports (core/import-job-budget.ts). */
  importJobsUsed?: number;
  /** The `sub` of each user the observation saw, for the applied record (engine/subs-of-applied-users.ts). */
  subs?: SeenSubs;
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
  /** The pool `applied` describes: to be stored with it and passed as `binding` next time. */
  binding: PoolBinding;
  awsCallsByOperation: Record<string, number>;
  /** Group memberships added and removed (AdminAddUserToGroup / AdminRemoveUserFromGroup calls that succeeded). */
  membershipsAdded?: number;
  membershipsRemoved?: number;
  /** With `sendSignInCode: afterImport`: the codes sent and the record to keep (passed as `signInCodes` next time). */
  signInCodes?: SignInCodesOutcome;
}

function loadValidUsers(run: RosterRun): DeclaredUser[] {
  if (run.users) return [...run.users];
  const loaded = loadRoster({ usersDir: run.usersDir, repoRoot: run.repoRoot, profile: run.profile });
  if (hasErrors(loaded.diagnostics)) throw new RosterValidationError(loaded.diagnostics);
  return loaded.users;
}

/** Read-only: what an apply would do now, through the pool's ports (aws/ports.ts; the run's own when none are given). */
export function planRoster(run: RosterRun, ports?: PoolPorts): Promise<PlanResult> {
  return withPorts(run, ports, planWith);
}

/**
 * Runs `work` with the given ports, or with ports over clients of its own that it destroys afterwards. The ports
 * must be the pool's and the Region the pool's (RosterConfigError otherwise), whoever made them (engine/run-ports.ts).
 */
async function withPorts<T>(
  run: RosterRun,
  given: PoolPorts | undefined,
  work: (ports: PoolPorts, run: RosterRun) => Promise<T>,
): Promise<T> {
  const { ports, close } = await openRunPorts(run.profile, given, run.progress);
  try {
    // Against AWS, never the emulator's pool or the samples (engine/live-safety.ts); the users are loaded once.
    let users: DeclaredUser[] | undefined;
    await checkLiveSafety(ports.site, run.profile.userPoolId, () => (users = loadValidUsers(run)));
    return await work(ports, users ? { ...run, users } : run);
  } catch (err) {
    // An AWS error can echo the user it was about, who is not known here: every declared user is scrubbed from it.
    throw explainUnreachable(
      scrubErrorOfDeclaredUsers(
        err,
        run.users,
        () => loadRoster({ usersDir: run.usersDir, repoRoot: run.repoRoot, profile: run.profile }).users,
      ),
    );
  } finally {
    close();
  }
}

/** The day whose access a run applies: the run's own, or its calendar's date in the stack's time zone. */
function runDay(run: RosterRun): string {
  return run.today ?? dateInZone(run.profile.timeZone ?? DEFAULT_TIME_ZONE, (run.calendar ?? SYSTEM_CLOCK).now());
}

async function planWith(ports: PlanPorts, run: RosterRun): Promise<PlanResult> {
  const today = runDay(run);
  // Users outside their dates are planned as leavers (core/access-dates.ts).
  const users = accessOnDate(loadValidUsers(run), today);
  const pool = await ports.users.describePool();
  // The stack's rules validated the files: they hold only while the stack describes this pool.
  const settingsError = poolSettingsError(run.profile, pool);
  if (settingsError) throw settingsError;
  const mismatch = recordMismatch(run, pool);
  const full = run.full || mismatch !== undefined;
  const observation = await observeForPlan(ports, run, users, pool, full, mismatch !== undefined);
  dropDeclaredAccounts(observation.removedPoolUsers, observation.observed);
  const managedGroups = Object.keys(run.profile.groups ?? {});
  const removedMemberships = await readRemovedMemberships(ports.groups, observation.removedPoolUsers, managedGroups);
  const observed = planFromObservation(run, users, observation, pool, removedMemberships);
  const { plan: renamed, inPlace: renamedInPlace } = planRenames(run.profile, observed, users, run.previous, {
    pool,
    users: observation.removedPoolUsers,
    ...(removedMemberships ? { memberships: removedMemberships } : {}),
  });
  // Group memberships (engine/observe-groups.ts): only for a stack that manages groups; no call otherwise.
  const memberships = await planGroupMemberships(ports.groups, {
    profile: run.profile,
    users,
    previous: full ? undefined : run.previous,
    plan: renamed,
    observed: observation.observed,
    usersDir: path.relative(run.repoRoot, run.usersDir).split(path.sep).join("/"),
    removedMemberships,
    renamedInPlace,
  });
  // Only a plan that imports spends an import job: only then are the pool's jobs counted.
  const importJobsUsed = renamed.import.length > 0 ? await countImportJobs(ports.importJobs) : undefined;
  const budget = importJobsUsed === undefined ? undefined : budgetToShow(importJobsUsed);
  const withReads = withPlanParts(renamed, { memberships, dates: plannedDates(run, users, observation, today), importJobs: budget });
  // Reminders the next `up` sends count with the codes (engine/plan-reminders.ts; stacks with signInReminders only).
  const reminders = await plannedReminders(ports.users, run.profile, users, pool, run.reminders, (run.calendar ?? SYSTEM_CLOCK).now());
  const plan = withPlanParts(withReads, { messaging: await messagingFor(ports, run, withReads, pool, reminders) });
  return {
    plan,
    users,
    poolName: observation.poolName,
    readStrategy: observation.strategy.kind,
    awsCalls: ports.calls.total(),
    pool,
    ...(mismatch ? { fullObservationReason: mismatch } : {}),
    ...(importJobsUsed !== undefined ? { importJobsUsed } : {}),
    subs: subsSeen(observation.observed, observation.learnedSubs),
  };
}

/** Only a change that sends messages has its messaging capacity read (engine/observe-messaging.ts). */
async function messagingFor(
  ports: PlanPorts,
  run: RosterRun,
  plan: RosterPlan,
  pool: PoolDescription,
  reminders: PlannedReminders | undefined,
): Promise<MessagingCheck | undefined> {
  if (!(plan.import.length > 0 || (plan.signInCodes ?? 0) > 0 || (reminders?.count ?? 0) > 0)) return undefined;
  const readings = await readMessaging(ports, run.profile.region, pool);
  return {
    readings,
    demand: {
      newTrainees: plan.import.length,
      ...(plan.signInCodes ? { rosterCodes: plan.signInCodes } : {}),
      ...(reminders?.count ? { reminders: reminders.count, remindersUpperBound: reminders.upperBound } : {}),
    },
  };
}

/** The starts and ends due soon, and "starts <date>" for each user this plan would import but for their start date. */
function plannedDates(run: RosterRun, users: readonly DeclaredUser[], observation: Observation, today: string): RosterPlan["dates"] {
  const key = (u: string) => normalizeUsername(u, run.profile.usernameCaseSensitive);
  const waiting = users.filter((u) => !hasAccessOn(u, today) && observation.observed.get(key(u.username)) === null).map((u) => u.username);
  const usersDir = path.relative(run.repoRoot, run.usersDir).split(path.sep).join("/");
  const due = datesDue(users, today, usersDir, new Set(waiting));
  return due.length > 0 ? { today, timeZone: run.profile.timeZone ?? DEFAULT_TIME_ZONE, due } : undefined;
}

/**
 * Why the applied record does not describe this pool, if it does not (not asked on --full). The record is a cache of
 * what the pool held: distrusted, and every declared user looked up, when the pool disagrees.
 */
function recordMismatch(run: RosterRun, pool: PoolDescription): string | undefined {
  const poolId = run.profile.userPoolId;
  const mismatch = run.full ? undefined : bindingMismatch(poolId, { applied: run.previous, binding: run.binding }, pool);
  if (mismatch) run.progress?.(`${mismatch}: checking every declared user against pool ${poolId} (as --full)`);
  return mismatch;
}

/**
 * Looks up the users changed since the last apply (every user when `full`) and the removed ones still recorded:
 * by name or `sub` where known (engine/find-removed-users.ts), by the scan only for those nothing names.
 */
async function observeForPlan(
  ports: PlanPorts,
  run: RosterRun,
  users: readonly DeclaredUser[],
  pool: PoolDescription,
  full: boolean,
  recordMismatched: boolean,
): Promise<Observation> {
  const { profile } = run;
  const previous = full ? undefined : run.previous;
  const usersToCheck = changedSinceLastApply(profile.userPoolId, users, previous, profile.usernameCaseSensitive);
  const removed = removedDigests(profile.userPoolId, users, run.previous, profile.usernameCaseSensitive);
  // A record's subs name accounts in the pool it is bound to: not trusted for another.
  const handles = removedUserHandles(removed, recordMismatched ? undefined : run.previous, run.base);
  const foundRemoved = new Map<string, PoolUser>();
  const missing = await readRemovedUsers(
    ports.users,
    {
      userPoolId: profile.userPoolId,
      caseSensitive: profile.usernameCaseSensitive,
      usernameAttributes: pool.settings.usernameAttributes,
      readable: handles.readable,
    },
    foundRemoved,
  );
  // A missed sub: the account is gone, or was re-created by hand under the username (engine/find-removed-users.ts).
  const toScan = [...handles.unnamed, ...missing.filter((digest) => handles.bySub.has(digest))];
  const gone = missing.length - (toScan.length - handles.unnamed.length);
  if (gone > 0)
    run.progress?.(
      `${gone} user${gone === 1 ? "" : "s"} no longer declared ${gone === 1 ? "is" : "are"} not in the pool: nothing to disable`,
    );
  if (toScan.length > 0)
    run.progress?.(
      `${toScan.length} user${toScan.length === 1 ? "" : "s"} no longer declared, not named by base files or a recorded sub: ` +
        "finding them with one ListUsers scan",
    );
  const observation = await observePool(ports.users, {
    userPoolId: profile.userPoolId,
    caseSensitive: profile.usernameCaseSensitive,
    usersToCheck,
    removedDigestsToFind: toScan,
    pool,
    noAppliedRecord: run.previous === undefined || recordMismatched,
    subsToLearn: subsMissingFromRecord(profile.userPoolId, profile.usernameCaseSensitive, users, usersToCheck, previous),
  });
  for (const [digest, user] of foundRemoved) observation.removedPoolUsers.set(digest, user);
  await confirmAbsentBySignInName(ports.users, observation, pool);
  return observation;
}

/**
 * In a pool that signs in by email (alias or username attribute), an account renamed in place keeps its old
 * username, which a scan reports: the declared (new) username is then missing from the scan although AdminGetUser
 * finds it by its email. So a user a scan found absent there is read once more before being planned for import.
 */
async function confirmAbsentBySignInName(users: UserReads, observation: Observation, pool: PoolDescription): Promise<void> {
  if (observation.strategy.kind !== "scan" || emailChangeModel(pool) !== "in-place") return;
  const absent = [...observation.observed].filter(([, user]) => user === null).map(([key]) => key);
  await forEachLimited(absent, 8, async (key) => {
    const user = await users.getUser(key, pool.settings.usernameAttributes);
    if (user) observation.observed.set(key, user);
  });
}

function planFromObservation(
  run: RosterRun,
  users: DeclaredUser[],
  observation: Observation,
  pool: PoolDescription,
  removedMemberships: ReadonlyMap<string, ReadonlySet<string>> | undefined,
): RosterPlan {
  const { profile } = run;
  const plan = planChanges({
    userPoolId: profile.userPoolId,
    declared: users,
    observed: observation.observed,
    previous: run.previous,
    removedPoolUsers: observation.removedPoolUsers,
    ...(removedMemberships ? { removedMemberships } : {}),
    caseSensitive: profile.usernameCaseSensitive,
    attributeChanges: profile.attributeChanges,
    removedUsers: profile.removedUsers,
    maxRemovalFraction: profile.maxRemovalFraction,
  });
  if (profile.sendSignInCode === "afterImport") {
    const codes = plannedSignInCodes(
      profile.userPoolId,
      profile.usernameCaseSensitive,
      plan.import.map((p) => p.user),
      users,
      run.signInCodes,
      pool,
    );
    const signInCodeLedger = { awaiting: codes.awaiting, sent: codes.sent, unknown: codes.unknown, refused: codes.refused };
    return withPlanParts(plan, { signInCodes: codes.owed, signInCodeLedger });
  }
  return plan;
}

/** Plans and applies. Per-user failures are reported in the result, not thrown; they stay out of `applied`. */
export function applyRoster(run: RosterRun, ports?: PoolPorts): Promise<ApplyResult> {
  return withPorts(run, ports, applyWith);
}

/**
 * Another run importing into the pool at the same time wins (see engine/import-runner.ts): this run then waits for
 * that run's job and plans again from the pool, so the users that job imported are not imported, nor counted,
 * twice. Imports come before every other change, so nothing else was changed by the round that yielded (only a
 * roster split into several jobs may have imported earlier parts; those users then count as unchanged).
 */
async function applyWith(ports: PoolPorts, run: RosterRun): Promise<ApplyResult> {
  const say = run.progress ?? (() => undefined);
  const waitOptions = { timing: run.timing, progress: say, clock: run.clock };
  const ownJobIds: string[] = [];
  // The sign-in code ledger outlives a round that yields: what it awaits or owes carries over.
  const codes: CodeRun = {};
  for (let round = 1; ; round++) {
    // An import job left running by an interrupted (or concurrent) run must finish before the pool is read.
    const knownJobs = await waitForActiveImports(ports.importJobs, waitOptions);
    const known = knownJobs.map((j) => j.jobId);
    // A roster job still Created (a crashed run's) and young enough to upload to is adopted, not paid for again.
    const adoptable = adoptableJobs(knownJobs, run);
    try {
      return await applyOnce(ports, run, ownJobIds, known, adoptable, codes);
    } catch (err) {
      if (errorName(err) !== "ConcurrentImportError" || round >= MAX_CONCURRENT_ROUNDS) throw err;
      say((err as Error).message);
      await waitForOtherRun(ports.importJobs, (err as { jobId: string }).jobId, waitOptions);
    }
  }
}

/** The sign-in code ledger of one apply (with `sendSignInCode: afterImport`), opened on its first plan. */
interface CodeRun {
  ledger?: CodeLedger;
}

async function applyOnce(
  ports: PoolPorts,
  run: RosterRun,
  ownJobIds: string[],
  knownJobIds: readonly string[],
  adoptableJobs: number,
  codes: CodeRun,
): Promise<ApplyResult> {
  const planned = await planWith(ports, run);
  if (planned.plan.refused) throw new PlanRefusedError(planned.plan.refused);
  const say = run.progress ?? (() => undefined);
  say(describePlan(planned.plan));
  const apply: ApplyContext = { ports, run, planned, poolId: run.profile.userPoolId, say, failed: [], notConverged: new Set() };
  if (run.profile.sendSignInCode === "afterImport" && codes.ledger === undefined) {
    codes.ledger = new CodeLedger(run.signInCodes, planned.pool, { save: run.saveSignInCodes, append: run.appendSignInCodes });
    if (codes.ledger.dropped) say(codes.ledger.dropped);
  }
  apply.ledger = codes.ledger;

  const imports = await importNewUsers(apply, ownJobIds, knownJobIds, adoptableJobs);
  // A replace whose successor is not in the pool is held (core/renames.ts): the plan the later steps carry out.
  apply.planned = { ...planned, plan: withHeldReplaces(planned.plan, imports.notImported) };
  // Right after the import, before anything else can fail: the new trainees were recorded as owed a code first.
  const signInCodes = await sendCodesToImported(apply, imports.importedByThisRun);
  const updated = await updateAttributes(apply);
  const groups = await applyMemberships(apply, imports.importedByThisRun);
  const { enabled, disabled } = await setEnabledStates(apply);
  const removals = await applyRemovals(apply);
  const importedSubs = await readImportedSubs(ports.users, {
    caseSensitive: run.profile.usernameCaseSensitive,
    // Only those the record will keep: a user left out of it (failed, not converged) is read again next time anyway.
    usernames: imports.withoutSub.filter((username) => !apply.notConverged.has(username)),
    progress: say,
  });
  for (const [key, sub] of importedSubs) imports.subs.set(key, sub);
  const applied = recordApplied(apply, groups.pending, removals.failed, imports.subs);

  return {
    binding: bindingOf(apply.poolId, planned.pool, Object.keys(applied).length),
    ...apply.planned,
    imported: imports.imported,
    alreadyPresent: imports.alreadyPresent,
    updated,
    disabled,
    enabled,
    removed: removals.removed,
    membershipsAdded: groups.added,
    membershipsRemoved: groups.removed,
    failed: apply.failed,
    jobs: imports.jobs,
    applied,
    awsCalls: ports.calls.total(),
    awsCallsByOperation: ports.calls.byOperation(),
    ...(signInCodes ? { signInCodes } : {}),
  };
}

/** With `sendSignInCode: afterImport` only. */
function sendCodesToImported(apply: ApplyContext, importedNow: DeclaredUser[]): Promise<SignInCodesOutcome | undefined> {
  const { run, ledger } = apply;
  if (ledger === undefined) return Promise.resolve(undefined);
  const caseSensitive = run.profile.usernameCaseSensitive;
  return sendSignInCodes({
    ports: apply.ports,
    userPoolId: apply.poolId,
    caseSensitive,
    declared: apply.planned.users,
    ledger,
    importedNow: new Set(importedNow.map((u) => usernameDigest(apply.poolId, u.username, caseSensitive))),
    progress: apply.say,
    clock: run.clock,
    recoveryAdminOnly: apply.planned.pool.settings.accountRecovery?.includes("admin_only") ?? false,
    ...codesCap(apply.planned.plan),
  });
}

/** The roster's own codes beyond what SES can send now stay owed for a later apply (core/messaging-capacity.ts). */
function codesCap(plan: RosterPlan): { maxCodes?: number } {
  const cap = plan.messaging ? messagingCapacity(plan.messaging)?.codesPerApply : undefined;
  return cap === undefined ? {} : { maxCodes: cap };
}

/** Returns how many users were updated; a report-only difference leaves its user not converged. */
async function updateAttributes(apply: ApplyContext): Promise<number> {
  let updated = 0;
  for (const entry of apply.planned.plan.update) {
    if (entry.reportOnly) {
      apply.notConverged.add(entry.username);
      continue;
    }
    const values = attributeUpdate(entry.user, entry.attributes, apply.run.profile);
    try {
      await apply.ports.users.updateAttributes(entry.handle ?? entry.username, values);
      updated++;
    } catch (err) {
      failUser(apply, entry.user, `AdminUpdateUserAttributes failed: ${errorName(err) || "error"}: ${(err as Error).message}`);
    }
  }
  return updated;
}

/**
 * Memberships once imports are confirmed and attributes updated (engine/apply-groups.ts); a user whose changes
 * failed keeps their memberships pending in the record, so the next run redoes exactly what is missing.
 */
async function applyMemberships(apply: ApplyContext, importedByThisRun: DeclaredUser[]): Promise<PlannedMembershipsOutcome> {
  const { planned } = apply;
  const groups = await applyPlannedMemberships(apply.ports.groups, planned.plan, importedByThisRun, {
    clock: apply.run.clock,
    progress: apply.say,
  });
  // Their reasons are AWS messages too (a leaver is not declared: only the username is known to scrub).
  for (const f of groups.failed)
    apply.failed.push({
      ...f,
      reason: scrubUser(f.reason, planned.users.find((u) => u.username === f.username) ?? { username: f.username, attributes: {} }),
    });
  for (const username of groups.notConverged) apply.notConverged.add(username);
  return groups;
}

/**
 * What the roster manages now: every declared user in its declared state, with their account's `sub` where known
 * (engine/subs-of-applied-users.ts). Users not looked up were unchanged since the last apply; failed or
 * not-converged users are left out so the next run looks at them again. A removed
 * user who may still have access (`retain`, or a disable or group removal that failed) is kept by their `sub`, so
 * every later plan reads them again until their access is gone; a removed user whose access is gone is forgotten.
 */
function recordApplied(
  apply: ApplyContext,
  membershipsPending: ReadonlySet<string>,
  removalFailed: ReadonlySet<string>,
  importedSubs: ReadonlyMap<string, string>,
): AppliedDigests {
  const { poolId, run } = apply;
  const caseSensitive = run.profile.usernameCaseSensitive;
  const seen = apply.planned.subs ?? new Map<string, string | null>();
  const applied: AppliedDigests = {};
  for (const user of apply.planned.users) {
    if (apply.notConverged.has(user.username)) continue;
    const digest = usernameDigest(poolId, user.username, caseSensitive);
    const key = normalizeUsername(user.username, caseSensitive);
    // The pool's copy first (seen now), then the record's for a user not looked up.
    const sub = importedSubs.get(key) ?? (seen.has(key) ? (seen.get(key) ?? undefined) : recordedSub(run.previous?.[digest] ?? ""));
    const values = membershipsPending.has(user.username) ? withMembershipsPending(accountDigest(user)) : declaredValuesDigest(user);
    applied[digest] = withSub(values, sub);
  }
  for (const removal of apply.planned.plan.remove) {
    const resolved =
      removal.action === "disable" &&
      !removal.held &&
      !removalFailed.has(removal.usernameDigest) &&
      !membershipsPending.has(removal.username ?? "");
    if (resolved) continue;
    const kept = removal.sub ? removedEntry(removal.sub) : run.previous?.[removal.usernameDigest];
    if (kept !== undefined) applied[removal.usernameDigest] = kept;
  }
  return applied;
}
