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
import { loadRoster } from "../load/load-roster";
import { profileFromConfig, type PoolProfile } from "../core/profile";
import { digestDeclaredUsers, rosterDigest } from "../core/user-digest";
import { accessOnDate, DEFAULT_TIME_ZONE, dateInZone } from "../core/access-dates";
import { RosterFailures } from "../providers/roster-failures";
import { UserPoolRoster } from "../providers/user-pool-roster";
import { ImportLogsRole } from "./logs-role";
import { declareUserGroups } from "./user-groups";

const USERS_DIR_ENV = "ROSTER_USERS_DIR";
const REPO_ROOT_ENV = "ROSTER_REPO_ROOT";

/** The stack outputs: what `pulumi stack output` shows. No personal data. */
export interface RosterStackOutputs {
  userPoolId: pulumi.Output<string>;
  logsRoleArn: pulumi.Output<string>;
  /** Whether the program created the role (false: the stack's `logsRoleArn` setting is used). */
  logsRoleCreated: boolean;
  usersDir: string;
  declaredUsers: number;
  usersFiles: number;
  managedUsers: pulumi.Output<number>;
  lastApply: pulumi.Output<Record<string, unknown>>;
  failedUsers: pulumi.Output<string[]>;
}

export interface RosterPaths {
  /** Absolute directory diagnostics are relative to. */
  repoRoot: string;
  /** Absolute users directory. */
  usersDirAbs: string;
  /** What the resource is given: relative to the project root when inside it (stable across checkouts). */
  usersDirInput: string;
}

export function rosterPaths(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): RosterPaths {
  const repoRoot = path.resolve(cwd, env[REPO_ROOT_ENV] || ".");
  const usersDirAbs = path.resolve(repoRoot, env[USERS_DIR_ENV] || "users");
  const relative = path.relative(repoRoot, usersDirAbs);
  const inside = relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
  return { repoRoot, usersDirAbs, usersDirInput: inside ? relative.split(path.sep).join("/") : usersDirAbs };
}

/** A clean stop: one `file:line:col: error CODE message` line per problem, no stack trace. */
function diagnosticsRunError(heading: string, diagnostics: readonly Diagnostic[]): pulumi.RunError {
  const lines = sortDiagnostics(diagnostics).map(formatDiagnostic);
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
  for (const warning of sortDiagnostics(roster.diagnostics)) pulumi.log.warn(formatDiagnostic(warning));

  // One role per stack, reused by every import job; a stack that names its own role gets nothing created.
  const logsRole =
    profile.logsRoleArn === undefined
      ? new ImportLogsRole("roster-import-logs", { region: profile.region, userPoolId: profile.userPoolId })
      : undefined;
  const logsRoleArn = logsRole?.roleArn ?? pulumi.output(profile.logsRoleArn as string);

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
    // An import job started before the role has its policy cannot write its log.
    { dependsOn: [...(logsRole ? [logsRole.policy] : []), ...groups] },
  );

  // Fails `pulumi up` while any user could not be applied, after the roster has recorded everything else.
  new RosterFailures(`${profile.userPoolId}-failures`, { failedUsers: pool.failedUsers });

  return {
    userPoolId: pool.userPoolId,
    logsRoleArn,
    logsRoleCreated: logsRole !== undefined,
    usersDir: paths.usersDirInput,
    declaredUsers: roster.users.length,
    usersFiles: roster.fileCount,
    managedUsers: pool.managedUsers,
    lastApply: pool.lastApply,
    failedUsers: pool.failedUsers,
  };
}
