/**
 * `roster validate [--users DIR] [--stack NAME] [--format text|json]`: loads and validates the users tree
 * against the stack's pool profile and prints every diagnostic.
 *
 * A thin shell: argument parsing, output and exit codes only; all checking is in core/. Exit 0 when there is
 * no error (warnings allowed), 1 when there is any error, 2 for a usage or configuration problem.
 */
import { existsSync, statSync } from "fs";
import * as path from "path";
import { formatDiagnostic, hasErrors, type Diagnostic } from "../core/diagnostics";
import { loadRosterParallel } from "../core/load-roster-parallel";
import { loadStackProfile } from "../core/profile";

export const VALIDATE_USAGE = "usage: roster validate [--users DIR] [--stack NAME] [--format text|json]";

interface ValidateArgs {
  usersDir: string;
  stack: string;
  format: "text" | "json";
}

export async function runValidateCommand(args: string[]): Promise<number> {
  const parsed = parseValidateArgs(args);
  if (typeof parsed === "string") {
    process.stderr.write(`roster validate: ${parsed}\n${VALIDATE_USAGE}\n`);
    return 2;
  }
  const repoRoot = process.cwd();
  const profileResult = loadStackProfile(repoRoot, parsed.stack);
  if (profileResult.profile === undefined) {
    for (const d of profileResult.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    return 2;
  }
  const usersDir = path.resolve(repoRoot, parsed.usersDir);
  if (!existsSync(usersDir) || !statSync(usersDir).isDirectory()) {
    process.stderr.write(`roster validate: the users directory ${parsed.usersDir} does not exist\n`);
    return 2;
  }
  const roster = await loadRosterParallel({ usersDir, repoRoot, profile: profileResult.profile });
  if (parsed.format === "json") {
    process.stdout.write(`${JSON.stringify(roster.diagnostics.map(toJsonDiagnostic), null, 2)}\n`);
  } else {
    const lines = roster.diagnostics.map(formatDiagnostic);
    lines.push(summaryLine(roster.diagnostics, roster.fileCount, roster.users.length));
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  return hasErrors(roster.diagnostics) ? 1 : 0;
}

/** Returns the arguments, or a message saying what is wrong with them. Accepts `--flag value` and `--flag=value`. */
export function parseValidateArgs(args: readonly string[]): ValidateArgs | string {
  const result: ValidateArgs = { usersDir: "users", stack: "dev", format: "text" };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined;
    if (flag === "--users" || flag === "--stack" || flag === "--format") {
      value = flag !== arg ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || value === "") return `${flag} needs a value`;
    }
    switch (flag) {
      case "--users":
        result.usersDir = value as string;
        break;
      case "--stack":
        result.stack = value as string;
        break;
      case "--format":
        if (value !== "text" && value !== "json") return `--format must be text or json (got ${value})`;
        result.format = value;
        break;
      default:
        return arg.startsWith("-") ? `unknown option ${arg}` : `unexpected argument ${arg}`;
    }
  }
  return result;
}

/** `3 errors, 1 warning in 12 files (57 users)`. */
export function summaryLine(diagnostics: readonly Diagnostic[], fileCount: number, userCount: number): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `${plural(errors, "error")}, ${plural(warnings, "warning")} in ${plural(fileCount, "file")} (${plural(userCount, "user")})`;
}

function toJsonDiagnostic(d: Diagnostic): Diagnostic {
  return { file: d.file, line: d.line, col: d.col, severity: d.severity, code: d.code, message: d.message };
}
