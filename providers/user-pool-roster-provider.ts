/**
 * The dynamic provider behind UserPoolRoster: Pulumi's lifecycle glued to the reconcile engine.
 *
 * - check: validates the users files; every error becomes a failure whose reason starts with file:line:col.
 * - diff: the program passes rosterDigest (digests of everything declared); the state keeps the digests of what
 *   was applied. They differ when an apply has work to do (a new, changed or removed user, or one that failed last
 *   time). The digests are a cache of the pool, so diff also makes ONE AWS call, DescribeUserPool, to check the
 *   state's pool binding: a pool rebuilt under the same id, emptied, or an unbound (older) state is a change, so
 *   `pulumi up` repairs it instead of reporting nothing to do. Without AWS access (a credential-less preview)
 *   it says so on stderr and diffs by the digests alone. `pulumi preview` runs only check and diff.
 * - create/update: apply and record what succeeded; users that failed are listed in `failedUsers` and left out
 *   of the applied digests, so the companion RosterFailures resource fails `pulumi up` loudly and the next `up`
 *   retries only them.
 * - read (`pulumi refresh`): a full drift check of the pool against what was APPLIED (not against the files):
 *   a user whose files still say what was applied and whose pool copy differs (or is gone) is dropped from the
 *   applied digests, so the next `up` repairs exactly those; users changed in the files since are pending
 *   changes, not drift, and keep their digest. The pool binding is renewed from the pool read.
 * - The state is bound to the pool it describes (`pool`: ARN, creation date, managed users, see
 *   engine/pool-binding.ts); update checks it against DescribeUserPool and falls back to a full observation
 *   when the pool is not the one recorded or holds fewer users than it must.
 * - delete: never deletes users. Removing the resource forgets them.
 *
 * Pulumi serialises this object into the state: named imports only, AWS clients built inside methods (by the
 * engine), no module-level state. Progress goes to stderr: the host is not connected to the engine, and the
 * Pulumi CLI (3.146.0 and later) passes a dynamic provider's plain output through to the user.
 */
import * as path from "path";
import { formatDiagnostic, sortDiagnostics } from "../core/diagnostics";
import { loadRoster } from "../core/load-roster";
import type { PoolProfile } from "../core/profile";
import { type AppliedDigests, declaredValuesDigest, rosterDigest, usernameDigest } from "../core/user-digest";
import { applyRoster, type ApplyResult, planRoster } from "../engine/reconcile";
import { bindingMismatch, bindingOf, type PoolBinding } from "../engine/pool-binding";
import { createAwsClients } from "../aws/clients";
import { describePool } from "../aws/pool-users";

/** The resource's inputs as the provider receives them. */
export interface RosterInputs {
  usersDir: string;
  profile: PoolProfile;
  logsRoleArn: string;
  rosterDigest: string;
}

/** The resource's outputs: inputs plus what the roster manages. ~38 bytes of state per user, no personal data. */
export interface RosterOutputs extends RosterInputs {
  userPoolId: string;
  managedUsers: number;
  lastApply: Record<string, unknown>;
  failedUsers: string[];
  applied: AppliedDigests;
  /** The pool `applied` describes; absent in state written before the binding existed (treated as unbound). */
  pool?: PoolBinding;
}

/** The engine's run description for these inputs; paths resolve against the project root (the host's cwd). */
function runFor(inputs: RosterInputs, previous: AppliedDigests | undefined, binding: PoolBinding | undefined, full = false) {
  const repoRoot = process.cwd();
  return {
    profile: { ...inputs.profile, logsRoleArn: inputs.logsRoleArn },
    usersDir: path.resolve(repoRoot, inputs.usersDir),
    repoRoot,
    previous,
    binding,
    full,
    progress: (message: string) => process.stderr.write(`cognito-roster: ${message}\n`),
  };
}

/** True when the state's applied record can no longer be trusted for its pool (see engine/pool-binding.ts). */
async function poolDisagrees(state: Partial<RosterOutputs>): Promise<boolean> {
  if (!state.profile || state.applied === undefined) return false;
  const { region, userPoolId } = state.profile;
  const say = (message: string) => process.stderr.write(`cognito-roster: ${message}\n`);
  let aws: ReturnType<typeof createAwsClients> | undefined;
  try {
    aws = createAwsClients(region, userPoolId, { onRetry: say });
    const mismatch = bindingMismatch(userPoolId, { applied: state.applied, binding: state.pool }, await describePool(aws.cognito, userPoolId));
    if (mismatch) say(`${mismatch}: the next update checks every declared user`);
    return mismatch !== undefined;
  } catch (err) {
    say(`could not check pool ${userPoolId} (${(err as Error).name}: ${(err as Error).message}); diffing by the applied record alone`);
    return false;
  } finally {
    aws?.destroy();
  }
}

function outputsFrom(inputs: RosterInputs, result: ApplyResult): RosterOutputs {
  return {
    usersDir: inputs.usersDir,
    profile: inputs.profile,
    logsRoleArn: inputs.logsRoleArn,
    rosterDigest: inputs.rosterDigest,
    userPoolId: inputs.profile.userPoolId,
    managedUsers: Object.keys(result.applied).length,
    lastApply: {
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
    },
    // file:line and Cognito's reason only: usernames are personal data.
    failedUsers: result.failed.map((f) => `${f.file}:${f.line}: ${f.reason}`),
    applied: result.applied,
    pool: result.binding,
  };
}

/**
 * Applies and records. Per-user failures are recorded in `failedUsers`, not thrown: RosterFailures (fed that
 * output) fails the deployment, because an error carrying the outputs cannot cross the host's 64 KB gRPC
 * trailer once the state holds the provider text and more than a few hundred users (see roster-failures.ts).
 */
async function applyAndRecord(inputs: RosterInputs, previous: AppliedDigests | undefined, binding: PoolBinding | undefined): Promise<RosterOutputs> {
  return outputsFrom(inputs, await applyRoster(runFor(inputs, previous, binding)));
}

export const userPoolRosterProvider = {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
    const inputs = news as unknown as RosterInputs;
    const repoRoot = process.cwd();
    const loaded = loadRoster({ usersDir: path.resolve(repoRoot, inputs.usersDir), repoRoot, profile: inputs.profile });
    const failures = sortDiagnostics(loaded.diagnostics)
      .filter((d) => d.severity === "error")
      .map((d) => ({ property: "usersDir", reason: formatDiagnostic(d) }));
    return { inputs: news, failures };
  },

  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const before = olds as unknown as Partial<RosterOutputs>;
    const after = news as unknown as RosterInputs;
    const usersChanged = rosterDigest(before.applied ?? {}) !== after.rosterDigest || (await poolDisagrees(before));
    const settingsChanged =
      JSON.stringify(before.profile) !== JSON.stringify(after.profile) || before.logsRoleArn !== after.logsRoleArn || before.usersDir !== after.usersDir;
    // A new pool is a different resource: its users are not the old pool's users.
    const replaces = before.profile && before.profile.userPoolId !== after.profile.userPoolId ? ["profile"] : [];
    return { changes: usersChanged || settingsChanged, replaces };
  },

  async create(inputs: Record<string, unknown>) {
    const roster = inputs as unknown as RosterInputs;
    const id = `${roster.profile.userPoolId}/roster`;
    return { id, outs: await applyAndRecord(roster, undefined, undefined) };
  },

  async update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const before = olds as unknown as Partial<RosterOutputs>;
    return { outs: await applyAndRecord(news as unknown as RosterInputs, before.applied, before.pool) };
  },

  async read(id: string, props: Record<string, unknown>) {
    const state = props as unknown as RosterOutputs;
    const { userPoolId, usernameCaseSensitive } = state.profile;
    const { plan, pool } = await planRoster(runFor(state, state.applied, state.pool, true));
    const applied: AppliedDigests = { ...(state.applied ?? {}) };
    for (const entry of [...plan.import, ...plan.update, ...plan.disable, ...plan.enable]) {
      const key = usernameDigest(userPoolId, entry.username, usernameCaseSensitive);
      // Only a user whose files still say what was applied can be compared with what was applied: drift.
      if (applied[key] === declaredValuesDigest(entry.user)) delete applied[key];
    }
    const managedUsers = Object.keys(applied).length;
    return { id, props: { ...state, applied, managedUsers, pool: bindingOf(userPoolId, pool, managedUsers) } };
  },

  async delete() {
    // Deliberately nothing: deleting the resource forgets the users; it never deletes them from the pool.
  },
};
