/**
 * What the UserPoolRoster provider does: Pulumi's lifecycle glued to the reconcile engine. The provider Pulumi
 * serialises into the state (user-pool-roster-provider.ts) is only a shim that loads the compiled copy of this
 * module (dist/providers/roster-engine-entry.js) from the project at call time, so `up`, `refresh` and `destroy`
 * always run the project's current engine, and this module is ordinary TypeScript with no serialiser rules.
 *
 * - check: the program validated the users files before it registered the resource and passes the digest of that
 *   validated roster (`rosterDigest`); check only verifies the inputs are whole and does not validate again.
 *   Whether the files still match that digest is verified where it matters: create/update load the files to apply
 *   them and refuse when the digest differs (the files changed after the program validated them).
 * - diff: the state keeps the digests of what was applied. They differ from `rosterDigest` when an apply has work
 *   to do (a new, changed or removed user, or one that failed last time). The digests are a cache of the pool, so
 *   diff also makes ONE AWS call, DescribeUserPool, to check the state's pool binding: a pool rebuilt under the
 *   same id, emptied, or an unbound (older) state is a change, so `pulumi up` repairs it instead of reporting
 *   nothing to do. The same answer checks the stack's settings against the pool (core/pool-settings.ts): a stack
 *   that does not describe its pool fails the preview with one line per setting, as create and update do.
 *   Without AWS access (a credential-less preview) it says so on stderr and diffs by the digests
 *   alone. `pulumi preview` runs only check and diff. Another pool is another resource (the program names the
 *   resource after the pool id), so diff never replaces.
 * - create/update: apply and record what succeeded; users that failed are listed in `failedUsers` and left out
 *   of the applied digests, so the companion RosterFailures resource fails `pulumi up` loudly and the next `up`
 *   retries only them.
 * - read (`pulumi refresh`): a full drift check of the pool against what was APPLIED (not against the files):
 *   a user whose files still say what was applied and whose pool copy differs (or is gone) is dropped from the
 *   applied digests, so the next `up` repairs exactly those; users changed in the files since are pending
 *   changes, not drift, and keep their digest (the rule: core/refresh-drift.ts). The pool binding is renewed from
 *   the pool read.
 * - The state is bound to the pool it describes (`pool`: ARN, creation date, managed users, see
 *   core/pool-binding.ts); update checks it against DescribeUserPool and falls back to a full observation
 *   when the pool is not the one recorded or holds fewer users than it must.
 * - delete: never deletes users. Removing the resource forgets them.
 *
 * Progress goes to stderr: the host is not connected to the engine, and the Pulumi CLI (3.146.0 and later) passes
 * a dynamic provider's plain output through to the user. It must not print personal data.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { loadBaseDeclarations } from "../load/base-users";
import { hasErrors } from "../core/diagnostics";
import { boundedError } from "../core/bounded-error";
import type { DeclaredUser } from "../core/declared-user";
import { loadRoster } from "../load/load-roster";
import type { PoolProfile } from "../core/profile";
import { type AppliedDigests, digestDeclaredUsers, rosterDigest } from "../core/user-digest";
import { appliedAfterRefresh } from "../core/refresh-drift";
import { outputsFrom, type RosterInputs, rosterInputProblems, type RosterOutputs } from "../core/roster-resource-state";
import { applyRoster, planRoster } from "../engine/reconcile";
import { RosterValidationError } from "../engine/roster-run-errors";
import { bindingMismatch, bindingOf, type PoolBinding } from "../core/pool-binding";
import { poolSettingsError } from "../core/pool-settings";
import { describeAwsCall } from "../aws/aws-failure";
import { createAwsClients } from "../aws/clients";
import type { LedgerChange, SignInCodeRecord } from "../core/sign-in-code-record";
import type { PoolDescription } from "../aws/pool-users";
import { poolPorts } from "../aws/ports";
import { accessOnDate, DEFAULT_TIME_ZONE, dateInZone } from "../core/access-dates";
import { appendCodeChange, clearCodeChanges, latestCodeRecord } from "./code-journal";

type Props = Record<string, unknown>;

/** The provider methods the shim forwards to (pulumi.dynamic.ResourceProvider's shape, untyped properties). */
export interface RosterEngine {
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(id: string, olds: Props, news: Props): Promise<{ changes: boolean }>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  read(id: string, props: Props): Promise<{ id: string; props: Props }>;
  delete(id: string, props: Props): Promise<void>;
}

/** The files changed after the program validated them: applying them would apply a roster nobody validated. */
class RosterChangedError extends Error {
  readonly name = "RosterChangedError";
  readonly kind = "refused";
}

function say(message: string): void {
  process.stderr.write(`cognito-roster: ${message}\n`);
}

/** The engine's run description for these inputs; paths resolve against the project root (the host's cwd). */
function runFor(
  inputs: RosterInputs,
  previous: AppliedDigests | undefined,
  binding: PoolBinding | undefined,
  options: { full?: boolean; users?: DeclaredUser[]; signInCodes?: SignInCodeRecord } = {},
) {
  const repoRoot = process.cwd();
  return {
    ...options,
    profile: { ...inputs.profile, logsRoleArn: inputs.logsRoleArn },
    usersDir: path.resolve(repoRoot, inputs.usersDir),
    repoRoot,
    previous,
    binding,
    progress: say,
    today: dayOf(inputs),
    ...baseFromEnvironment(inputs),
  };
}

/**
 * The users folder as it was before the change being applied (`ROSTER_BASE_USERS`, set by roster-apply.yml from
 * the pushed commit's parent): it only names users no longer declared, so they are found by one read each instead
 * of a scan. It never decides what is declared.
 */
function baseFromEnvironment(inputs: RosterInputs): { base?: ReturnType<typeof loadBaseDeclarations> } {
  const dir = process.env[BASE_USERS_ENV];
  if (!dir || !existsSync(dir)) return {};
  return { base: loadBaseDeclarations(path.resolve(dir), inputs.usersDir, inputs.profile) };
}

const BASE_USERS_ENV = "ROSTER_BASE_USERS";

/** The program's day, or (inputs from before dates) the provider's own in the stack's time zone. */
function dayOf(inputs: RosterInputs): string {
  return inputs.today ?? dateInZone(inputs.profile.timeZone ?? DEFAULT_TIME_ZONE, Date.now());
}

/**
 * The users to apply: the files as they are now, which must be the roster the program validated. Loading them
 * validates them again (the engine needs the users, and the program's copy cannot travel in the inputs), so an
 * invalid file is still refused; a roster that is valid but not the validated one is refused by its digest.
 */
function validatedUsers(inputs: RosterInputs): DeclaredUser[] {
  const repoRoot = process.cwd();
  const { profile } = inputs;
  const loaded = loadRoster({ usersDir: path.resolve(repoRoot, inputs.usersDir), repoRoot, profile });
  if (hasErrors(loaded.diagnostics)) throw new RosterValidationError(loaded.diagnostics);
  const users = accessOnDate(loaded.users, dayOf(inputs));
  const digest = rosterDigest(digestDeclaredUsers(profile.userPoolId, users, profile.usernameCaseSensitive));
  if (digest !== inputs.rosterDigest) {
    throw new RosterChangedError(
      `the users files in ${inputs.usersDir} changed after the Pulumi program validated them; nothing was applied: run the update again`,
    );
  }
  return users;
}

/**
 * True when the state's applied record can no longer be trusted for its pool (see core/pool-binding.ts). The same
 * DescribeUserPool answer checks the stack's settings against the pool: a mismatch fails the preview (RosterConfigError).
 */
async function poolDisagrees(state: Partial<RosterOutputs>, profile: PoolProfile): Promise<boolean> {
  const { region, userPoolId } = profile;
  let aws: ReturnType<typeof createAwsClients> | undefined;
  let pool: PoolDescription;
  try {
    aws = createAwsClients(region, userPoolId, { onRetry: say });
    pool = await poolPorts(aws, userPoolId).users.describePool();
  } catch (err) {
    aws?.destroy();
    say(`could not check pool ${userPoolId} (${(err as Error).name}: ${(err as Error).message}); diffing by the applied record alone`);
    return false;
  }
  aws.destroy();
  const settingsError = poolSettingsError(profile, pool);
  if (settingsError) throw settingsError;
  if (state.applied === undefined || state.profile?.userPoolId !== userPoolId) return false;
  const mismatch = bindingMismatch(userPoolId, { applied: state.applied, binding: state.pool }, pool);
  if (mismatch) say(`${mismatch}: the next update checks every declared user`);
  return mismatch !== undefined;
}

/**
 * Applies and records. Per-user failures are recorded in `failedUsers`, not thrown: RosterFailures (fed that
 * output) fails the deployment, because an error carrying the outputs travels in one gRPC trailer, which the host
 * cannot send past 64 KB — and the applied digests pass that at about a thousand users (see roster-failures.ts).
 */
async function applyAndRecord(
  inputs: RosterInputs,
  previous: AppliedDigests | undefined,
  binding: PoolBinding | undefined,
  signInCodes?: SignInCodeRecord,
): Promise<RosterOutputs> {
  const users = validatedUsers(inputs);
  if (inputs.profile.sendSignInCode !== "afterImport") {
    return outputsFrom(inputs, await applyRoster(runFor(inputs, previous, binding, { users, signInCodes })), signInCodes);
  }
  // Written ahead as the apply goes (providers/code-journal.ts): a killed update neither loses nor repeats a code.
  const repoRoot = process.cwd();
  const poolId = inputs.profile.userPoolId;
  const codes = latestCodeRecord(repoRoot, poolId, signInCodes);
  const appendSignInCodes = (change: LedgerChange) => appendCodeChange(repoRoot, poolId, change);
  const run = { ...runFor(inputs, previous, binding, { users, ...(codes ? { signInCodes: codes } : {}) }), appendSignInCodes };
  const outputs = outputsFrom(inputs, await applyRoster(run), codes);
  clearCodeChanges(repoRoot, poolId); // the outputs carry the whole record now
  return outputs;
}

const engine: RosterEngine = {
  async check(_olds, news) {
    const failures = rosterInputProblems(news as Partial<RosterInputs>).map((reason) => ({
      property: reason.slice(0, reason.indexOf(":")),
      reason,
    }));
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const before = olds as Partial<RosterOutputs>;
    const after = news as unknown as RosterInputs;
    // Trainees still owed a first sign-in code are work to do, like users that failed.
    const codes = latestCodeRecord(process.cwd(), after.profile.userPoolId, before.signInCodes);
    const codesOwed =
      after.profile.sendSignInCode === "afterImport" && ((codes?.pending.length ?? 0) > 0 || Object.keys(codes?.awaiting ?? {}).length > 0);
    const poolChanged = await poolDisagrees(before, after.profile);
    const usersChanged = codesOwed || rosterDigest(before.applied ?? {}) !== after.rosterDigest || poolChanged;
    const settingsChanged =
      JSON.stringify(before.profile) !== JSON.stringify(after.profile) ||
      before.logsRoleArn !== after.logsRoleArn ||
      before.usersDir !== after.usersDir;
    return { changes: usersChanged || settingsChanged };
  },

  async create(inputs) {
    const roster = inputs as unknown as RosterInputs;
    const id = `${roster.profile.userPoolId}/roster`;
    return { id, outs: { ...(await applyAndRecord(roster, undefined, undefined)) } };
  },

  async update(_id, olds, news) {
    const before = olds as Partial<RosterOutputs>;
    return { outs: { ...(await applyAndRecord(news as unknown as RosterInputs, before.applied, before.pool, before.signInCodes)) } };
  },

  async read(id, props) {
    const state = props as unknown as RosterOutputs;
    const { userPoolId, usernameCaseSensitive } = state.profile;
    const { plan, pool, users, subs } = await planRoster(runFor(state, state.applied, state.pool, { full: true }));
    const applied = appliedAfterRefresh({ userPoolId, caseSensitive: usernameCaseSensitive }, state.applied, { plan, users, subs });
    const managedUsers = Object.keys(applied).length;
    return { id, props: { ...state, applied, managedUsers, pool: bindingOf(userPoolId, pool, managedUsers) } };
  },

  async delete() {
    // Deliberately nothing: deleting the resource forgets the users; it never deletes them from the pool.
  },
};

/** Every engine method with its errors bounded (core/bounded-error.ts). */
function bounded<A extends unknown[], R>(method: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) => method(...args).catch((err: unknown) => Promise.reject(boundedError(err, describeAwsCall)));
}

export const userPoolRosterEngine: RosterEngine = {
  check: bounded(engine.check),
  diff: bounded(engine.diff),
  create: bounded(engine.create),
  update: bounded(engine.update),
  read: bounded(engine.read),
  delete: bounded(engine.delete),
};
