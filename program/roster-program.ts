/**
 * The Pulumi program: stack config → pool profile, `users/` → validated roster, then the logs role (unless the stack
 * names one) and the one UserPoolRoster resource for the pool.
 *
 * It validates everything before registering anything, so a pull request with a bad users file fails `pulumi
 * preview` with every diagnostic and leaves no half-registered stack behind. It runs no AWS calls of its own except
 * the caller-identity lookup for the role's policy; the provider does the work.
 *
 * Where the users live is read from the environment so tests (and odd layouts) can point elsewhere:
 *   ROSTER_USERS_DIR  the users directory, relative to ROSTER_REPO_ROOT or absolute (default `users`)
 *   ROSTER_REPO_ROOT  the directory diagnostics are relative to (default: the working directory, which Pulumi sets
 *                     to the project directory)
 * and, read by the provider: ROSTER_BASE_USERS, the users folder before the change (roster-apply.yml), which only
 * names users no longer declared so they are found without a scan.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from "../core/diagnostics";
import { preformattedLine } from "../core/untrusted-text";
import { loadRoster } from "../load/load-roster";
import { profileFromConfig, type PoolProfile } from "../core/profile";
import { digestDeclaredUsers, rosterDigest } from "../core/user-digest";
import { accessOnDate, DEFAULT_TIME_ZONE, dateInZone } from "../core/access-dates";
import { RosterFailures } from "../providers/roster-failures";
import { UserPoolRoster } from "../providers/user-pool-roster";
import { declareUserGroups } from "./user-groups";
import { declareSignInReminders } from "./sign-in-reminders";

const USERS_DIR_ENV = "ROSTER_USERS_DIR";
const REPO_ROOT_ENV = "ROSTER_REPO_ROOT";

/** The stack outputs: what `pulumi stack output` shows. No personal data. */
export interface RosterStackOutputs {
  userPoolId: pulumi.Output<string>;
  logsRoleArn: pulumi.Output<string>;
  usersDir: string;
  declaredUsers: number;
  usersFiles: number;
  managedUsers: pulumi.Output<number>;
  lastApply: pulumi.Output<Record<string, unknown>>;
  failedUsers: pulumi.Output<string[]>;
}

/** @internal exported for its tests */
export interface RosterPaths {
  /** Absolute directory diagnostics are relative to. */
  repoRoot: string;
  /** Absolute users directory. */
  usersDirAbs: string;
  /** What the resource is given: relative to the project root when inside it (stable across checkouts). */
  usersDirInput: string;
}

/** @internal exported for its tests */
export function rosterPaths(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): RosterPaths {
  const repoRoot = path.resolve(cwd, env[REPO_ROOT_ENV] || ".");
  const usersDirAbs = path.resolve(repoRoot, env[USERS_DIR_ENV] || "users");
  const relative = path.relative(repoRoot, usersDirAbs);
  const inside = relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
  return { repoRoot, usersDirAbs, usersDirInput: inside ? relative.split(path.sep).join("/") : usersDirAbs };
}

const MISSING_LOGS_ROLE =
  "cognito-roster:logsRoleArn is not set: import jobs need a CloudWatch Logs role, which a person creates once " +
  '(docs/running-for-real.md, "The CloudWatch Logs role"); set its ARN in the stack config. Nothing was changed.';

/** A clean stop: one `file:line:col: error CODE message` line per problem, no stack trace. */
function diagnosticsRunError(heading: string, diagnostics: readonly Diagnostic[]): pulumi.RunError {
  // Pulumi's pull-request comment shows errors and warnings inside a raw <pre>: no tag may start there.
  const lines = sortDiagnostics(diagnostics).map((d) => preformattedLine(formatDiagnostic(d)));
  return new pulumi.RunError(`${heading}\n${lines.join("\n")}`);
}

/** The profile from the stack config the engine hands the program (structured values arrive as JSON text). */
function programProfile(config: Record<string, string> = pulumi.runtime.allConfig()): PoolProfile {
  const result = profileFromConfig(config, () => ({ file: `Pulumi.${pulumi.getStack()}.yaml`, line: 1, col: 1 }));
  if (result.profile === undefined || hasErrors(result.diagnostics)) {
    throw diagnosticsRunError("The stack configuration is invalid:", result.diagnostics);
  }
  return result.profile;
}

export async function rosterProgram(): Promise<RosterStackOutputs> {
  const profile = programProfile();
  const paths = rosterPaths();

  const roster = loadRoster({ usersDir: paths.usersDirAbs, repoRoot: paths.repoRoot, profile });
  if (hasErrors(roster.diagnostics)) {
    const errors = roster.diagnostics.filter((d) => d.severity === "error").length;
    throw diagnosticsRunError(`${errors} problem(s) in ${paths.usersDirInput}; nothing was changed:`, roster.diagnostics);
  }
  for (const warning of sortDiagnostics(roster.diagnostics)) pulumi.log.warn(preformattedLine(formatDiagnostic(warning)));

  // One role per stack, created once by a person, never by this program: the apply role holds no IAM write at all.
  if (profile.logsRoleArn === undefined) throw new pulumi.RunError(MISSING_LOGS_ROLE);
  const logsRoleArn = pulumi.output(profile.logsRoleArn);

  // The stack's groups (program/user-groups.ts): the roster applies memberships only once they exist.
  const groups = declareUserGroups(profile);

  // Users as on today in the stack's time zone (startDate/endDate): a date that passes changes the digest, so the
  // daily scheduled `up` applies it. The provider applies the same day.
  const today = dateInZone(profile.timeZone ?? DEFAULT_TIME_ZONE, Date.now());
  const onToday = accessOnDate(roster.users, today);
  const digest = rosterDigest(digestDeclaredUsers(profile.userPoolId, onToday, profile.usernameCaseSensitive));
  const pool = new UserPoolRoster(
    // Named for the pool it owns: the pool id never changes for a pool, its display name can.
    `${profile.userPoolId}-users`,
    { usersDir: paths.usersDirInput, profile, logsRoleArn, rosterDigest: digest, today },
    { dependsOn: groups },
  );

  // Fails `pulumi up` while any user could not be applied, after the roster has recorded everything else.
  new RosterFailures(`${profile.userPoolId}-failures`, { failedUsers: pool.failedUsers });

  // Reminders to trainees still waiting to sign in, recorded in this stack's state before they are sent.
  declareSignInReminders(profile, paths.usersDirInput, pool);

  return {
    userPoolId: pool.userPoolId,
    logsRoleArn,
    usersDir: paths.usersDirInput,
    declaredUsers: roster.users.length,
    usersFiles: roster.fileCount,
    managedUsers: pool.managedUsers,
    lastApply: pool.lastApply,
    failedUsers: pool.failedUsers,
  };
}
