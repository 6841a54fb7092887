/**
 * Applying, the half of the reconcile engine (engine/reconcile.ts) that changes the pool: plan (engine/plan-roster.ts),
 * then carry the plan out in order — imports first (engine/apply-imports.ts), the first sign-in codes, attribute
 * updates, group memberships, enabled states and removals (engine/apply-access-changes.ts) — and say what the roster
 * now manages (core/applied-record.ts). Per-user failures are collected in the apply's context, not thrown. It prints
 * nothing: progress goes to the run's callback, without personal data.
 */
import type { DeclaredUser } from "../core/declared-user";
import type { AppliedDigests } from "../core/user-digest";
import { usernameDigest } from "../core/user-digest";
import { readImportedSubs } from "./subs-of-applied-users";
import { attributeUpdate } from "../core/attribute-update";
import { describePlan } from "../core/plan-summary";
import { type ApplyContext, failUser } from "./apply-context";
import { adoptableJobs, importNewUsers } from "./apply-imports";
import { applyRemovals, setEnabledStates } from "./apply-access-changes";
import { PlanRefusedError } from "./roster-run-errors";
import type { PoolPorts } from "../aws/ports";
import { errorName } from "../aws/error-name";
import { withHeldReplaces } from "../core/renames";
import { waitForActiveImports, waitForOtherRun } from "./import-waits";
import { bindingOf } from "../core/pool-binding";
import { applyPlannedMemberships, type PlannedMembershipsOutcome } from "./apply-groups";
import { scrubUser } from "../core/scrub-personal-data";
import { sendSignInCodes, type SignInCodesOutcome } from "./send-sign-in-codes";
import { codesCap } from "../core/sign-in-code-plan";
import { CodeLedger } from "./code-ledger";
import { appliedRecord } from "../core/applied-record";
import { planWith } from "./plan-roster";
import type { ApplyResult, RosterRun } from "./reconcile";

/** How many times an apply plans again after yielding to another run's import job before it gives up. */
const MAX_CONCURRENT_ROUNDS = 3;

/**
 * Another run importing into the pool at the same time wins (see engine/import-runner.ts): this run then waits for
 * that run's job and plans again from the pool, so the users that job imported are not imported, nor counted,
 * twice. Imports come before every other change, so nothing else was changed by the round that yielded (only a
 * roster split into several jobs may have imported earlier parts; those users then count as unchanged).
 */
export async function applyWith(ports: PoolPorts, run: RosterRun): Promise<ApplyResult> {
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
  if (run.profile.sendSignInCode === "afterImport" && codes.ledger === undefined) {
    codes.ledger = new CodeLedger(run.signInCodes, planned.pool, { save: run.saveSignInCodes, append: run.appendSignInCodes });
    if (codes.ledger.dropped) say(codes.ledger.dropped);
  }
  const poolId = run.profile.userPoolId;
  const importing: ApplyContext = { ports, run, planned, poolId, say, failed: [], notConverged: new Set(), ledger: codes.ledger };

  const imports = await importNewUsers(importing, ownJobIds, knownJobIds, adoptableJobs);
  // A replace whose successor is not in the pool is held (core/renames.ts): the later steps carry out that new
  // plan, in a context of their own that shares the failures and unconverged users the import found.
  const apply: ApplyContext = { ...importing, planned: { ...planned, plan: withHeldReplaces(planned.plan, imports.notImported) } };
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

/** What the roster manages now (core/applied-record.ts), from this apply's outcome. */
function recordApplied(
  apply: ApplyContext,
  membershipsPending: ReadonlySet<string>,
  removalFailed: ReadonlySet<string>,
  importedSubs: ReadonlyMap<string, string>,
): AppliedDigests {
  return appliedRecord({
    userPoolId: apply.poolId,
    caseSensitive: apply.run.profile.usernameCaseSensitive,
    previous: apply.run.previous,
    users: apply.planned.users,
    remove: apply.planned.plan.remove,
    seen: apply.planned.subs,
    notConverged: apply.notConverged,
    membershipsPending,
    removalFailed,
    importedSubs,
  });
}
