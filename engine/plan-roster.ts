/**
 * Planning, the read-only half of the reconcile engine (engine/reconcile.ts): load the users, read the pool's
 * description once, look up what changed since the last apply (or everything when the record is distrusted), and
 * build the plan — the changes (core/plan-from-observation.ts), renames, group memberships, dates, the import-job
 * budget and messaging capacity. It reads; it changes nothing in the pool, and prints nothing: progress goes to the
 * run's callback, without personal data.
 */
import type { DeclaredUser } from "../core/declared-user";
import { hasErrors } from "../core/diagnostics";
import { loadRoster } from "../load/load-roster";
import { changedSinceLastApply, removedDigests, type RosterPlan, withPlanParts } from "../core/plan";
import { normalizeUsername } from "../core/user-digest";
import { RosterValidationError } from "./roster-run-errors";
import { subsMissingFromRecord, subsSeen } from "../core/applied-subs";
import type { PoolUser } from "../core/pool-user";
import type { PoolDescription } from "../aws/pool-users";
import type { PlanPorts, UserReads } from "../aws/ports";
import { readRemovedMemberships, readRemovedUsers } from "./find-removed-users";
import { removedUserHandles } from "../core/removed-user-handles";
import { declaredAccountsAmongRemoved, planRenames } from "../core/plan-renames";
import { emailChangeModel } from "../core/email-change-model";
import { forEachLimited, type Observation, observePool } from "./observe-pool";
import { SYSTEM_CLOCK } from "./backoff";
import { accessOnDate, DEFAULT_TIME_ZONE, dateInZone, datesDue, hasAccessOn } from "../core/access-dates";
import { budgetToShow } from "../core/import-job-budget";
import { countImportJobs } from "./import-job-budget";
import { bindingMismatch } from "../core/pool-binding";
import { poolSettingsError } from "../core/pool-settings";
import { planGroupMemberships } from "./observe-groups";
import * as path from "node:path";
import type { MessagingCheck } from "../core/messaging-capacity";
import { readMessaging } from "./observe-messaging";
import { type PlannedReminders, plannedReminders } from "./plan-reminders";
import { planFromObservation } from "../core/plan-from-observation";
import type { PlanResult, RosterRun } from "./reconcile";

/** The run's users: the program's validated copy, or the files loaded and validated now. */
export function loadValidUsers(run: RosterRun): DeclaredUser[] {
  if (run.users) return [...run.users];
  const loaded = loadRoster({ usersDir: run.usersDir, repoRoot: run.repoRoot, profile: run.profile });
  if (hasErrors(loaded.diagnostics)) throw new RosterValidationError(loaded.diagnostics);
  return loaded.users;
}

/** The day whose access a run applies: the run's own, or its calendar's date in the stack's time zone. */
function runDay(run: RosterRun): string {
  return run.today ?? dateInZone(run.profile.timeZone ?? DEFAULT_TIME_ZONE, (run.calendar ?? SYSTEM_CLOCK).now());
}

/** What an apply would do now, read through the pool's ports (engine/reconcile.ts gives them). */
export async function planWith(ports: PlanPorts, run: RosterRun): Promise<PlanResult> {
  const today = runDay(run);
  // Users outside their dates are planned as leavers (core/access-dates.ts).
  const users = accessOnDate(loadValidUsers(run), today);
  const poolId = run.profile.userPoolId;
  const pool = await ports.users.describePool();
  // The stack's rules validated the files: they hold only while the stack describes this pool.
  const settingsError = poolSettingsError(run.profile, pool);
  if (settingsError) throw settingsError;
  // Not asked on --full: the record is a cache of what the pool held, distrusted when the pool disagrees.
  const mismatch = run.full ? undefined : bindingMismatch(poolId, { applied: run.previous, binding: run.binding }, pool);
  if (mismatch) run.progress?.(`${mismatch}: checking every declared user against pool ${poolId} (as --full)`);
  const full = run.full || mismatch !== undefined;
  const observation = await observeForPlan(ports, run, users, pool, full, mismatch !== undefined);
  const renamed = await observedChanges(ports, run, users, pool, observation, full);
  // Only a plan that imports spends an import job: only then are the pool's jobs counted.
  const importJobsUsed = renamed.import.length > 0 ? await countImportJobs(ports.importJobs) : undefined;
  const budget = importJobsUsed === undefined ? undefined : budgetToShow(importJobsUsed);
  const withReads = withPlanParts(renamed, { dates: plannedDates(run, users, observation, today), importJobs: budget });
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
 * The changes an observation implies: the removals that are a declared user's own account dropped, the removed
 * users' groups read, renames matched, and the group memberships planned.
 */
async function observedChanges(
  ports: PlanPorts,
  run: RosterRun,
  users: DeclaredUser[],
  pool: PoolDescription,
  observation: Observation,
  full: boolean,
): Promise<RosterPlan> {
  // A removed account that is a declared user's own (same sub) is not a removal (core/plan-renames.ts).
  const declaredAccounts = declaredAccountsAmongRemoved(observation.removedPoolUsers, observation.observed);
  for (const digest of declaredAccounts) observation.removedPoolUsers.delete(digest);
  const managedGroups = Object.keys(run.profile.groups ?? {});
  const removedMemberships = await readRemovedMemberships(ports.groups, observation.removedPoolUsers, managedGroups);
  const observed = planFromObservation(
    run.profile,
    {
      declared: users,
      observed: observation.observed,
      previous: run.previous,
      removedPoolUsers: observation.removedPoolUsers,
      ...(removedMemberships ? { removedMemberships } : {}),
    },
    { record: run.signInCodes, pool },
  );
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
  return withPlanParts(renamed, { memberships });
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
