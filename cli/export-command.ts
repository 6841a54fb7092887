/**
 * `cognito-roster export [--stack NAME] [--users DIR] [--office-attribute NAME | --office-map FILE] [--exclude FILTER]...
 * [--file NAME] [--force]`: adopt an existing pool. Reads every user with ListUsers and writes users files
 * (core/export-users.ts decides their content), then checks them with the project's validator.
 *
 * A thin shell: flags, reading the pool, writing files, output and exit codes. It never overwrites a file
 * without --force, and never writes the applied record: exported users stay unmanaged until the files are merged
 * and applied. Results (files written) go to stdout; progress and notes to stderr, without personal data.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { hasErrors, type Diagnostic } from "../core/diagnostics";
import { exportUsers, officeMapFrom, parseExportFilter, type ExportFilter, type ExportResult, type OfficeRule } from "../core/export-users";
import { ATTRIBUTE_NAME, USERS_FILE_NAME } from "../core/identifier-patterns";
import { loadRoster } from "../load/load-roster";
import type { PoolUser } from "../core/pool-user";
import type { PoolProfile } from "../core/profile";
import { loadStackProfile } from "../load/stack-profile";
import { createUsersFileChecker } from "../core/users-file";
import { normalizeUsername } from "../core/user-digest";
import { poolPorts } from "../aws/ports";
import { commandClients, reportFailure } from "./command-context";
import { formatDiagnosticFor, parseCommandLine, usageError } from "./command-line";
import { STACK_FLAG, USERS_FLAG } from "./flag-table";
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from "../core/exit-codes";
import { commandTable } from "../core/flag-table";
import { plural } from "../core/words";

export const EXPORT = commandTable({
  name: "export",
  summary: "write users files from the live pool (adopt an existing pool)",
  about: [
    "Reads every user of the stack's pool and writes users files: one folder per local office (from an",
    "attribute or a mapping file), else one folder. Values shared by a whole file go to `defaults`.",
    "Exported users stay unmanaged until the files are merged. Existing files are never overwritten without --force.",
  ],
  flags: {
    users: USERS_FLAG,
    stack: STACK_FLAG,
    "office-attribute": {
      type: "string",
      value: "NAME",
      usage: "[--office-attribute NAME | --office-map FILE]",
      help: "the attribute naming each user's office, e.g. custom:office",
    },
    "office-map": { type: "string", value: "FILE", usage: "", help: "YAML mapping of username or email domain to office folder" },
    exclude: {
      type: "string",
      value: "FILTER",
      multiple: true,
      help: ["leave out matching users: ATTRIBUTE=VALUE, ATTRIBUTE^=PREFIX, ATTRIBUTE$=SUFFIX,", "or status=STATUS (repeatable)"],
    },
    file: { type: "string", default: "exported.yaml", value: "NAME", help: "the file name in each folder (default exported.yaml)" },
    force: { type: "boolean", default: false, help: "overwrite files that exist" },
    "create-users": {
      type: "boolean",
      default: false,
      help: "create the users folder when it does not exist (without it, refused: a typo)",
    },
  },
});

const SCHEMA = "schemas/users-file.schema.json";

interface ExportRequest {
  repoRoot: string;
  usersDir: string;
  profile: PoolProfile;
  office: OfficeRule;
  excludes: ExportFilter[];
  fileName: string;
  force: boolean;
}

export async function runExportCommand(args: string[]): Promise<number> {
  const request = exportRequest(args);
  if (typeof request === "string") return usageError(EXPORT, request);
  if (request === undefined) return EXIT_USAGE;
  let pool: PoolRead;
  try {
    pool = await readPool(request.profile);
  } catch (err) {
    return reportFailure("export", err);
  }
  const result = exportFromPool(request, pool);
  for (const note of result.notes) process.stderr.write(`cognito-roster export: ${note}\n`);
  if (!officeMapPlacedAnyone(request, result)) return EXIT_USAGE;
  if (result.files.length === 0) {
    process.stdout.write(`no users to export from ${request.profile.userPoolId}: nothing written\n`);
    return EXIT_OK;
  }
  if (refusedToOverwrite(request, result)) return EXIT_USAGE;
  return writeAndReport(request, result);
}

/** What one read of the pool found: its users, the MFA setting of each (MFA-OPTIONAL pools), managed memberships. */
interface PoolRead {
  poolUsers: PoolUser[];
  mfa: Map<string, boolean>;
  groups: Map<string, string[]>;
}

/** The users files core/export-users.ts makes of the pool, beside what the users folder declares already. */
function exportFromPool(request: ExportRequest, { poolUsers, mfa, groups }: PoolRead): ExportResult {
  return exportUsers(poolUsers, {
    profile: request.profile,
    office: request.office,
    excludes: request.excludes,
    fileName: request.fileName,
    schemaFromUsersDir: path.relative(request.usersDir, path.join(request.repoRoot, SCHEMA)).split(path.sep).join("/"),
    alreadyDeclared: declaredUsernames(request),
    mfaOf: (username) => mfa.get(username),
    groupsOf: (username) => groups.get(username),
  });
}

/**
 * False, having said why, when an office map placed none of the users; otherwise true, having said how many it
 * missed (they go to unassigned/ or their attribute's folder).
 */
function officeMapPlacedAnyone(request: ExportRequest, result: ExportResult): boolean {
  if (result.placedByMap === 0 && result.exported > 0) {
    // Everyone would land in unassigned/: almost always keys of the wrong kind (see docs/users-files.md, "Office map").
    const attributeKeys = request.office.kind === "attribute" ? `, or values of ${request.office.attribute}` : "";
    process.stderr.write(
      `cognito-roster export: the office map matches none of the ${plural(result.exported, "user")} to export ` +
        `(keys are usernames, emails, @domains${attributeKeys}; docs/users-files.md, "Office map"): nothing written\n`,
    );
    return false;
  }
  if (result.placedByMap !== undefined && result.placedByMap < result.exported)
    process.stderr.write(
      `cognito-roster export: ${plural(result.exported - result.placedByMap, "user")} matched no entry of the office map: ` +
        "written to unassigned/ (or their attribute's folder)\n",
    );
  return true;
}

/** True, having named each one, when files to write exist already and --force was not given. */
function refusedToOverwrite(request: ExportRequest, result: ExportResult): boolean {
  const clashes = result.files.filter((f) => existsSync(path.join(request.usersDir, f.path)));
  if (clashes.length === 0 || request.force) return false;
  for (const f of clashes)
    process.stderr.write(`cognito-roster export: ${displayPath(request, f.path)} exists: not overwritten (pass --force to replace it)\n`);
  process.stderr.write("cognito-roster export: nothing written\n");
  return true;
}

/** Writes the files, lists them on stdout, then the validator's findings on them and what to do next; the exit code. */
function writeAndReport(request: ExportRequest, result: ExportResult): number {
  const diagnostics = checkExported(request, result);
  writeFiles(request, result);
  for (const f of result.files) process.stdout.write(`wrote ${displayPath(request, f.path)} (${plural(f.users, "user")})\n`);
  process.stdout.write(
    `exported ${plural(result.exported, "user")} of ${request.profile.userPoolId} into ${plural(result.files.length, "file")}\n`,
  );
  for (const d of diagnostics) process.stderr.write(`${formatDiagnosticFor(d, process.stderr)}\n`);
  if (hasErrors(diagnostics)) {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    process.stderr.write(`cognito-roster export: the exported files have ${plural(errors, "error")} to fix before they can be merged\n`);
    return EXIT_PROBLEMS;
  }
  process.stderr.write(
    "cognito-roster export: next, `cognito-roster validate` and `cognito-roster plan` (it should show no changes); " +
      "the users stay unmanaged until the files are merged\n",
  );
  return EXIT_OK;
}

/** The request, a usage message, or undefined when a configuration problem was already printed. */
function exportRequest(args: string[]): ExportRequest | string | undefined {
  const parsed = parseCommandLine(args, EXPORT);
  if (typeof parsed === "string") return parsed;
  const values = parsed.values;
  const fileName = values.file;
  if (!USERS_FILE_NAME.test(fileName) || fileName.startsWith("."))
    return `--file must be a plain file name ending .yaml or .yml (got ${JSON.stringify(fileName)})`;
  const excludes: ExportFilter[] = [];
  for (const text of values.exclude ?? []) {
    const filter = parseExportFilter(text);
    if (typeof filter === "string") return filter;
    excludes.push(filter);
  }
  const repoRoot = process.cwd();
  const loaded = loadStackProfile(repoRoot, values.stack);
  if (!loaded.profile) {
    for (const d of loaded.diagnostics) process.stderr.write(`${formatDiagnosticFor(d, process.stderr)}\n`);
    return undefined;
  }
  // Neither flag: the stack's cognito-roster:officeAttribute, when it names one.
  const fromStack =
    values["office-attribute"] === undefined && values["office-map"] === undefined ? loaded.profile.officeAttribute : undefined;
  const attribute = values["office-attribute"] ?? fromStack;
  const source = fromStack !== undefined ? "cognito-roster:officeAttribute" : "--office-attribute";
  const office = officeRule(attribute, values["office-map"], repoRoot);
  if (typeof office === "string") return fromStack !== undefined ? office.replace("--office-attribute", source) : office;
  if (attribute?.startsWith("custom:") && loaded.profile.customAttributes[attribute.slice(7)] === undefined) {
    return `${source} ${attribute} is not in the stack's customAttributes (known: ${
      Object.keys(loaded.profile.customAttributes)
        .map((n) => `custom:${n}`)
        .join(", ") || "none"
    })`;
  }
  const usersDir = path.resolve(repoRoot, values.users);
  // A mistyped --users would otherwise write the whole pool into a new folder and succeed.
  if (!values["create-users"] && !(existsSync(usersDir) && statSync(usersDir).isDirectory()))
    return `the users directory ${values.users} does not exist (pass --create-users to create it)`;
  return {
    repoRoot,
    usersDir,
    profile: loaded.profile,
    office,
    excludes,
    fileName,
    force: values.force,
  };
}

function officeRule(attribute: string | undefined, mapFile: string | undefined, repoRoot: string): OfficeRule | string {
  let map: ReadonlyMap<string, string> | undefined;
  if (mapFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(path.resolve(repoRoot, mapFile), "utf8");
    } catch (err) {
      return `cannot read the office map ${mapFile} (${(err as NodeJS.ErrnoException).code ?? "error"})`;
    }
    let value: unknown;
    try {
      value = parseYaml(text);
    } catch (err) {
      return `${mapFile}: ${(err as Error).message.split("\n")[0]}`;
    }
    const parsed = officeMapFrom(value);
    if (typeof parsed === "string") return `${mapFile}: ${parsed}`;
    map = parsed;
  }
  if (attribute !== undefined) {
    if (!ATTRIBUTE_NAME.test(attribute))
      return `--office-attribute ${JSON.stringify(attribute)} is not an attribute name (e.g. custom:office)`;
    return { kind: "attribute", attribute, map };
  }
  if (map) return { kind: "map", map };
  return { kind: "single", folder: "exported" };
}

/** Every user of the pool, and for MFA-OPTIONAL pools each user's MFA setting (one AdminGetUser each). */
async function readPool(profile: PoolProfile): Promise<PoolRead> {
  const aws = commandClients(profile);
  try {
    const ports = poolPorts(aws, profile.userPoolId);
    const poolUsers: PoolUser[] = [];
    // In a pool with UsernameAttributes users are named by their email or phone, as the users files name them.
    await ports.users.scanUsers((page) => {
      poolUsers.push(...page);
    }, profile.usernameAttributes);
    const calls = plural(aws.calls.total(), "AWS call");
    process.stderr.write(`cognito-roster export: read ${plural(poolUsers.length, "user")} from ${profile.userPoolId} (${calls})\n`);
    const mfa = new Map<string, boolean>();
    if (profile.mfaConfiguration === "OPTIONAL") {
      for (const user of poolUsers) {
        const on = await ports.users.hasMfa(user.username);
        if (on !== undefined) mfa.set(user.username, on);
      }
      process.stderr.write(`cognito-roster export: read the MFA setting of ${plural(mfa.size, "user")} (MFA is OPTIONAL in this pool)\n`);
    }
    // Memberships of the groups the stack manages, one ListUsersInGroup listing each (others are not the roster's).
    const groups = new Map<string, string[]>();
    const managed = Object.keys(profile.groups ?? {});
    for (const group of managed) {
      await ports.groups.groupMembers(
        group,
        (page) => {
          for (const username of page) groups.set(username, [...(groups.get(username) ?? []), group]);
        },
        profile.usernameAttributes,
      );
    }
    if (managed.length > 0)
      process.stderr.write(`cognito-roster export: read the members of ${plural(managed.length, "managed group")}
`);
    return { poolUsers, mfa, groups };
  } finally {
    aws.destroy();
  }
}

/** Usernames the users folder declares already (none when it does not exist yet). */
function declaredUsernames(request: ExportRequest): (username: string) => boolean {
  if (!existsSync(request.usersDir)) return () => false;
  const loaded = loadRoster({ usersDir: request.usersDir, repoRoot: request.repoRoot, profile: request.profile });
  const caseSensitive = request.profile.usernameCaseSensitive;
  const declared = new Set(loaded.users.map((u) => normalizeUsername(u.username, caseSensitive)));
  return (username) => declared.has(normalizeUsername(username, caseSensitive));
}

/** The project's validator over the files about to be written, so problems are reported before anyone merges them. */
function checkExported(request: ExportRequest, result: ExportResult): Diagnostic[] {
  const check = createUsersFileChecker(request.profile);
  return result.files.flatMap((f) => check(f.text, displayPath(request, f.path)).diagnostics);
}

function writeFiles(request: ExportRequest, result: ExportResult): void {
  for (const f of result.files) {
    const target = path.join(request.usersDir, f.path);
    mkdirSync(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, f.text);
    renameSync(temporary, target);
  }
}

function displayPath(request: ExportRequest, relative: string): string {
  return path.relative(request.repoRoot, path.join(request.usersDir, relative)).split(path.sep).join("/");
}
