/**
 * The `cognito-roster` command: dispatches to one subcommand module each, and owns what every command shares — `--help`
 * and `cognito-roster help [command]`, `--version`, and turning an unexpected error into one line instead of a stack trace.
 *
 * Exit codes, the same in every command: 0 ok, 1 problems found or failed, 2 usage or configuration error.
 * Help and the version are results (stdout); usage errors are diagnostics (stderr).
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { APPLY, runApplyCommand } from "./apply-command";
import { EXPORT, runExportCommand } from "./export-command";
import { INIT, runInitCommand } from "./init-command";
import { INTAKE, runIntakeCommand } from "./intake-command";
import { PLAN, runPlanCommand } from "./plan-command";
import { runStartCommand, START } from "./start-command";
import { runValidateCommand, VALIDATE } from "./validate-command";
import { runRosterEmulatorCommand } from "./emulator-command";
import { ACTIVATION, runActivationCommand } from "./activation-command";
import { closestName } from "../core/closest-name";
import { wantsHelp } from "../core/command-line-problems";
import { EXIT_CODES_HELP, EXIT_OK, EXIT_USAGE, exitCodeForUnexpected } from "../core/exit-codes";
import { describeUnexpected } from "../core/unexpected-error";
import { type CommandTable, helpText } from "../core/flag-table";

interface Command {
  run: (args: string[]) => Promise<number>;
  summary: string;
  /** Full help: usage line, then what the command does and its flags. Absent: the command prints its own. */
  help?: string;
}

/** A command with a flag table: its summary and help come from the table. */
function fromTable(table: CommandTable, run: Command["run"]): Command {
  return { run, summary: table.summary, help: helpText(table) };
}

/** Every command with a flag table, in the order the top-level usage and the README list them. */
export const COMMAND_TABLES: readonly CommandTable[] = [VALIDATE, PLAN, APPLY, INIT, EXPORT, INTAKE, START, ACTIVATION];

const COMMANDS: Record<string, Command> = {
  validate: fromTable(VALIDATE, runValidateCommand),
  plan: fromTable(PLAN, runPlanCommand),
  apply: fromTable(APPLY, runApplyCommand),
  init: fromTable(INIT, runInitCommand),
  export: fromTable(EXPORT, runExportCommand),
  intake: fromTable(INTAKE, runIntakeCommand),
  start: fromTable(START, runStartCommand),
  activation: fromTable(ACTIVATION, runActivationCommand),
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
    EXIT_CODES_HELP,
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
    return exitCodeForUnexpected(err);
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
