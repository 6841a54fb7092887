/**
 * The `roster` command: dispatches to one subcommand module each, and owns what every command shares — `--help`
 * and `cognito-roster help [command]`, `--version`, and turning an unexpected error into one line instead of a stack trace.
 *
 * Exit codes, the same in every command: 0 ok, 1 problems found or failed, 2 usage or configuration error.
 * Help and the version are results (stdout); usage errors are diagnostics (stderr).
 */
import { existsSync, readFileSync } from "node:fs";
import { withoutUrlCredentials } from "../core/untrusted-text";
import * as path from "node:path";
import { APPLY_USAGE, runApplyCommand } from "./apply-command";
import { closestName, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, wantsHelp } from "./command-line";
import { EXPORT_USAGE, runExportCommand } from "./export-command";
import { INIT_USAGE, runInitCommand } from "./init-command";
import { INTAKE_USAGE, runIntakeCommand } from "./intake-command";
import { PLAN_USAGE, runPlanCommand } from "./plan-command";
import { runStartCommand, START_USAGE } from "./start-command";
import { runValidateCommand, VALIDATE_USAGE } from "./validate-command";
import { runRosterEmulatorCommand } from "./emulator-command";
import { ACTIVATION_USAGE, runActivationCommand } from "./activation-command";

interface Command {
  run: (args: string[]) => Promise<number>;
  summary: string;
  /** Full help: usage line, then what the command does and its flags. Absent: the command prints its own. */
  help?: string;
}

const COMMON_FLAGS = [
  "  --users DIR     the users folder (default users)",
  "  --stack NAME    the stack whose Pulumi.NAME.yaml describes the pool (default dev)",
];

const EXIT_CODES = "exit codes: 0 ok, 1 problems found or failed, 2 usage or configuration error";

function helpText(usage: string, about: string[], flags: string[]): string {
  return [usage, "", ...about, "", "flags:", ...flags, "  -h, --help      this help", "", EXIT_CODES].join("\n");
}

const COMMANDS: Record<string, Command> = {
  validate: {
    run: runValidateCommand,
    summary: "check the users files against the stack profile",
    help: helpText(
      VALIDATE_USAGE,
      [
        "Checks every users file (JSON Schema and Cognito's import rules) and .github/CODEOWNERS;",
        "prints every problem as file:line:col. Needs no AWS credentials.",
      ],
      [...COMMON_FLAGS, "  --format F      text (default) or json"],
    ),
  },
  plan: {
    run: runPlanCommand,
    summary: "show what an apply would change in the pool (read-only)",
    help: helpText(
      PLAN_USAGE,
      [
        "Read-only: what an apply would import, update, disable or enable. Looks up only users changed",
        "since the last apply unless --full. Reports the AWS calls it made.",
      ],
      [
        ...COMMON_FLAGS,
        "  --full          look up every declared user, not only those changed since the last apply",
        "  --format F      text (default), markdown (pull-request comments) or json (a contract for tools)",
        "  --applied FILE  the record of the last apply (default .roster/applied-STACK.json)",
        "  --base-users DIR  the pull request base's users/: names removed users from those files (never from the pool)",
      ],
    ),
  },
  apply: {
    run: runApplyCommand,
    summary: "apply the users files to the pool with import jobs",
    help: helpText(
      APPLY_USAGE,
      [
        "Shows the plan and applies it: new users by Cognito user import jobs, changes by Admin* calls.",
        "Asks on a terminal unless --yes; progress goes to stderr.",
      ],
      [
        ...COMMON_FLAGS,
        "  --applied FILE  the record of the last apply (default .roster/applied-STACK.json)",
        "  --logs-role-arn ARN  the CloudWatch Logs role import jobs use (default: the stack's logsRoleArn)",
        "  --yes           apply without asking",
      ],
    ),
  },
  init: {
    run: runInitCommand,
    summary: "write Pulumi.NAME.yaml from a live pool (the first step of going live)",
    help: helpText(
      INIT_USAGE,
      [
        "Reads the pool's configuration (DescribeUserPool, GetUserPoolMfaConfig) and writes Pulumi.NAME.yaml:",
        "every setting that describes the pool, each with a comment naming where it came from, and the roster's",
        "own policies at their defaults. The file is checked with the project's stack parser before it is written.",
        "An existing file is never overwritten without --force.",
      ],
      [
        "  --stack NAME    the stack to write Pulumi.NAME.yaml for (required)",
        "  --pool ID       the user pool id, REGION_ID (required)",
        "  --region R      the pool's Region (must be the one the pool id names; default: that one)",
        "  --force         overwrite Pulumi.NAME.yaml if it exists",
      ],
    ),
  },
  export: {
    run: runExportCommand,
    summary: "write users files from the live pool (adopt an existing pool)",
    help: helpText(
      EXPORT_USAGE,
      [
        "Reads every user of the stack's pool and writes users files: one folder per local office (from an",
        "attribute or a mapping file), else one folder. Values shared by a whole file go to `defaults`.",
        "Exported users stay unmanaged until the files are merged. Existing files are never overwritten without --force.",
      ],
      [
        ...COMMON_FLAGS,
        "  --office-attribute NAME  the attribute naming each user's office, e.g. custom:office",
        "  --office-map FILE        YAML mapping of username or email domain to office folder",
        "  --exclude FILTER         leave out matching users: ATTRIBUTE=VALUE, ATTRIBUTE^=PREFIX, ATTRIBUTE$=SUFFIX,",
        "                           or status=STATUS (repeatable)",
        "  --file NAME              the file name in each folder (default exported.yaml)",
        "  --force                  overwrite files that exist",
        "  --create-users           create the users folder when it does not exist (without it, refused: a typo)",
      ],
    ),
  },
  intake: {
    run: runIntakeCommand,
    summary: "add trainees from a local office's spreadsheet (CSV)",
    help: helpText(
      INTAKE_USAGE,
      [
        "Reads a CSV export (with or without a BOM), maps its columns to users-file keys and appends the",
        "trainees to users/OFFICE/FILE.yaml, keeping its comments and order. Every spreadsheet problem is",
        "reported by row and column; nothing is written when there is any error, or with --dry-run.",
        "A column named like a users-file key (email, given_name, phone_number, custom:tisId) maps itself.",
      ],
      [
        "  FILE.csv                 the spreadsheet, exported as CSV",
        "  --office NAME            the local office folder under the users folder (required)",
        "  --users DIR              the users folder (default users)",
        "  --stack NAME             the stack whose rules the result must pass (default dev)",
        "  --file NAME              the users file in the office folder (default intake.yaml)",
        "  --map FILE               YAML mapping of CSV column to users-file key (`skip` leaves a column out)",
        "  --column CSV=KEY         one mapping on the command line (repeatable)",
        "  --default-country GB     turn national mobile numbers (07700 900123) into E.164",
        "  --date-format F          how dates are written: dd/mm/yyyy, mm/dd/yyyy or yyyy-mm-dd",
        "  --group NAME             put every new trainee in this group (one the stack manages; repeatable)",
        "  --dry-run                show what would be added; write nothing",
      ],
    ),
  },
  start: {
    run: runStartCommand,
    summary: "validate, plan and apply the example users on the local emulator (npm start)",
    help: helpText(
      START_USAGE,
      [
        "The whole flow on the project's local Cognito emulator (state under .roster/): no AWS account needed.",
        "npm start runs it with --users examples/users: the synthetic samples.",
      ],
      COMMON_FLAGS,
    ),
  },
  activation: {
    run: runActivationCommand,
    summary: "list, per office, the trainees who have never signed in (read-only)",
    help: helpText(
      ACTIVATION_USAGE,
      [
        "Per office (the folder under the users folder), the declared trainees whose status in the pool is",
        "RESET_REQUIRED: never set a password. One filtered ListUsers call per 60 of them, never a scan of the pool.",
      ],
      [
        ...COMMON_FLAGS,
        "  --office NAME   only this office's folder",
        "  --older-than Nd only those in the pool for at least N days (e.g. 7d)",
        "  --format F      text (default), markdown or json",
      ],
    ),
  },
  emulator: { run: runRosterEmulatorCommand, summary: "run the local Cognito emulator" },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    "usage: cognito-roster <command> [flags]",
    "",
    "commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "`cognito-roster help <command>` or `cognito-roster <command> --help` for a command's flags; `cognito-roster --version`.",
    EXIT_CODES,
  ].join("\n");
}

/** The version in package.json, found from the compiled (dist/cli) or the source (cli) location. */
function rosterVersion(): string {
  for (const candidate of [path.join(__dirname, "..", "package.json"), path.join(__dirname, "..", "..", "package.json")]) {
    if (!existsSync(candidate)) continue;
    const pkg = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "cognito-roster" && pkg.version) return pkg.version;
  }
  return "unknown";
}

export async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined) {
    process.stderr.write(`${usage()}\n`);
    return EXIT_USAGE;
  }
  if (name === "--help" || name === "-h") return printHelp(undefined);
  if (name === "help") return printHelp(rest[0], rest.length > 1 ? rest[1] : undefined);
  if (name === "--version" || name === "-V") {
    process.stdout.write(`cognito-roster ${rosterVersion()}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    const suggestion = closestName(name.replace(/^-+/, ""), Object.keys(COMMANDS));
    const what = name.startsWith("-") ? `unknown flag ${name}` : `unknown command "${name}"`;
    process.stderr.write(
      `cognito-roster: ${what}${suggestion && !name.startsWith("-") ? ` (did you mean ${suggestion}?)` : ""}\n${usage()}\n`,
    );
    return EXIT_USAGE;
  }
  if (command.help && wantsHelp(rest)) {
    process.stdout.write(`${command.help}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    process.stderr.write(`cognito-roster ${name}: ${describeUnexpected(err)}\n`);
    return isUsageProblem(err) ? EXIT_USAGE : EXIT_PROBLEMS;
  }
}

async function printHelp(topic: string | undefined, extra?: string): Promise<number> {
  if (extra !== undefined) {
    process.stderr.write(`cognito-roster help: takes one command name (got "${extra}" too)\n`);
    return EXIT_USAGE;
  }
  if (topic === undefined) {
    process.stdout.write(`${usage()}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[topic];
  if (!command) {
    const suggestion = closestName(topic, Object.keys(COMMANDS));
    process.stderr.write(
      `cognito-roster help: unknown command "${topic}"${suggestion ? ` (did you mean ${suggestion}?)` : ""}\n${usage()}\n`,
    );
    return EXIT_USAGE;
  }
  // A command without help text here (the emulator's) prints its own.
  if (!command.help) return command.run(["--help"]);
  process.stdout.write(`${command.help}\n`);
  return EXIT_OK;
}

/** One line for an error no command caught: a busy port says so plainly; otherwise the error's name and message. */
function describeUnexpected(err: unknown): string {
  const e = err as { code?: string; name?: string; message?: string; port?: number };
  if (e?.code === "EADDRINUSE") {
    return `${e.port === undefined ? "the port" : `port ${e.port}`} is already in use (EADDRINUSE): stop whatever listens there or choose another --port`;
  }
  const message = withoutUrlCredentials((e?.message ?? String(err)).split("\n")[0]);
  return e?.name && e.name !== "Error" ? `${e.name}: ${message}` : message;
}

function isUsageProblem(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === "EADDRINUSE" || code === "EACCES";
}
