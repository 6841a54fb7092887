/**
 * `cognito-roster validate [--users DIR] [--stack NAME] [--format text|json]`: loads and validates the users tree
 * against the stack's pool profile and prints every diagnostic.
 *
 * A thin shell: argument parsing, output and exit codes only; all checking is in core/. Exit 0 when there is
 * no error (warnings allowed), 1 when there is any error, 2 for a usage or configuration problem.
 */
import { existsSync, statSync } from "node:fs";
import * as path from "node:path";
import { formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from "../core/diagnostics";
import { logLine } from "../core/untrusted-text";
import { summaryLine } from "../core/validate-summary";
import { loadRosterParallel } from "../load/load-roster-parallel";
import { loadStackProfile } from "../load/stack-profile";
import { parseCommandLine, usageError } from "./command-line";
import { codeownersDiagnostics } from "./codeowners-check";
import { STACK_FLAG, USERS_FLAG } from "./flag-table";
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from "../core/exit-codes";
import { commandTable } from "../core/flag-table";

export const VALIDATE = commandTable({
  name: "validate",
  summary: "check the users files against the stack profile",
  about: [
    "Checks every users file (JSON Schema and Cognito's import rules) and .github/CODEOWNERS;",
    "prints every problem as file:line:col. Needs no AWS credentials.",
  ],
  flags: {
    users: USERS_FLAG,
    stack: STACK_FLAG,
    format: { type: "string", default: "text", choices: ["text", "json"], help: "text (default) or json" },
  },
});

interface ValidateArgs {
  usersDir: string;
  stack: string;
  format: "text" | "json";
}

export async function runValidateCommand(args: string[]): Promise<number> {
  const parsed = parseValidateArgs(args);
  if (typeof parsed === "string") return usageError(VALIDATE, parsed);
  const repoRoot = process.cwd();
  const profileResult = loadStackProfile(repoRoot, parsed.stack);
  if (profileResult.profile === undefined) {
    for (const d of profileResult.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    return EXIT_USAGE;
  }
  const usersDir = path.resolve(repoRoot, parsed.usersDir);
  if (!existsSync(usersDir) || !statSync(usersDir).isDirectory()) {
    process.stderr.write(`cognito-roster validate: the users directory ${logLine(parsed.usersDir)} does not exist or is not a directory\n`);
    return EXIT_USAGE;
  }
  const loaded = await loadRosterParallel({ usersDir, repoRoot, profile: profileResult.profile });
  // Local offices own their folders: CODEOWNERS problems are validation findings too (placed in CODEOWNERS).
  const roster = { ...loaded, diagnostics: sortDiagnostics([...loaded.diagnostics, ...codeownersDiagnostics(repoRoot, usersDir)]) };
  if (parsed.format === "json") {
    process.stdout.write(`${JSON.stringify(roster.diagnostics.map(toJsonDiagnostic), null, 2)}\n`);
  } else {
    const lines = roster.diagnostics.map(formatDiagnostic);
    lines.push(summaryLine(roster.diagnostics, roster.fileCount, roster.users.length));
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  return hasErrors(roster.diagnostics) ? EXIT_PROBLEMS : EXIT_OK;
}

/** Returns the arguments, or a message saying what is wrong with them. Accepts `--flag value` and `--flag=value`. @internal */
export function parseValidateArgs(args: string[]): ValidateArgs | string {
  const parsed = parseCommandLine(args, VALIDATE);
  if (typeof parsed === "string") return parsed;
  const { users, stack, format } = parsed.values;
  return { usersDir: users, stack, format: format as ValidateArgs["format"] };
}

function toJsonDiagnostic(d: Diagnostic): Diagnostic {
  return { file: d.file, line: d.line, col: d.col, severity: d.severity, code: d.code, message: d.message };
}
