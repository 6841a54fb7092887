/**
 * The UserPoolRoster resource's state (providers/roster-engine-entry.ts): the inputs the program registers, what
 * `check` still guarantees of them without reading the files, and the outputs an apply records — what the roster
 * manages, ~61 bytes a user, no personal data. Pure: the apply's result is described by the fields read here.
 */
import type { ApplyCounts } from "./apply-counts";
import type { PoolBinding } from "./pool-binding";
import type { PoolProfile } from "./profile";
import type { SignInCodeRecord } from "./sign-in-code-record";
import type { AppliedDigests } from "./user-digest";

/** The resource's inputs as the provider receives them. */
export interface RosterInputs {
  usersDir: string;
  profile: PoolProfile;
  logsRoleArn: string;
  /** rosterDigest() of the roster the program validated, as on `today`. */
  rosterDigest: string;
  /** The day whose access the program digested (absent in inputs from before dates: the provider's own day). */
  today?: string;
}

/** The resource's outputs: inputs plus what the roster manages. ~61 bytes of state per user, no personal data. */
export interface RosterOutputs extends RosterInputs {
  userPoolId: string;
  managedUsers: number;
  lastApply: Record<string, unknown>;
  failedUsers: string[];
  applied: AppliedDigests;
  /** The pool `applied` describes; absent in state written before the binding existed (treated as unbound). */
  pool?: PoolBinding;
  /** With `sendSignInCode: afterImport`: digests of trainees sent their first sign-in code, and of those still owed one. */
  signInCodes?: SignInCodeRecord;
}

/** What an apply did, as the outputs record it (engine/reconcile.ts ApplyResult extends it). */
export interface AppliedRun extends ApplyCounts {
  plan: { unchanged: number };
  applied: AppliedDigests;
  binding: PoolBinding;
  signInCodes?: { record: SignInCodeRecord };
}

/** The inputs every resource of the roster has (this one and the reminders'): the users directory and the profile. */
export function usersAndProfileProblems(inputs: Partial<{ usersDir: string; profile: Pick<PoolProfile, "userPoolId"> }>): string[] {
  const problems: string[] = [];
  if (typeof inputs.usersDir !== "string" || inputs.usersDir === "") problems.push("usersDir: the users directory is missing");
  if (typeof inputs.profile !== "object" || inputs.profile === null || typeof inputs.profile.userPoolId !== "string")
    problems.push("profile: the pool profile is missing");
  return problems;
}

/** What check still guarantees without reading the files: the inputs the program registers are all there. */
export function rosterInputProblems(inputs: Partial<RosterInputs>): string[] {
  const problems = usersAndProfileProblems(inputs);
  if (typeof inputs.rosterDigest !== "string" || inputs.rosterDigest === "")
    problems.push("rosterDigest: the digest of the validated roster is missing");
  return problems;
}

function lastApplyOf(result: AppliedRun): Record<string, unknown> {
  return {
    imported: result.imported,
    alreadyPresent: result.alreadyPresent,
    updated: result.updated,
    disabled: result.disabled,
    enabled: result.enabled,
    removed: result.removed,
    failed: result.failed.length,
    unchanged: result.plan.unchanged,
    jobs: result.jobs.map((j) => `${j.jobId} ${j.status}: ${j.imported} imported, ${j.skipped} skipped, ${j.failed} failed`),
    awsCalls: result.awsCalls,
  };
}

/** The outputs an apply records; the sign-in code record is the apply's, or the one it started from. */
export function outputsFrom(inputs: RosterInputs, result: AppliedRun, signInCodes?: SignInCodeRecord): RosterOutputs {
  const record = result.signInCodes?.record ?? signInCodes;
  return {
    usersDir: inputs.usersDir,
    profile: inputs.profile,
    logsRoleArn: inputs.logsRoleArn,
    rosterDigest: inputs.rosterDigest,
    ...(inputs.today !== undefined ? { today: inputs.today } : {}),
    userPoolId: inputs.profile.userPoolId,
    managedUsers: Object.keys(result.applied).length,
    lastApply: lastApplyOf(result),
    // file:line and Cognito's reason only: usernames are personal data.
    failedUsers: result.failed.map((f) => `${f.file}:${f.line}: ${f.reason}`),
    applied: result.applied,
    pool: result.binding,
    ...(record ? { signInCodes: record } : {}),
  };
}
