/**
 * Command-line conventions every `cognito-roster` command shares: the one flag parser (from the command's table,
 * cli/flag-table.ts) with a "did you mean" for unknown flags, `--help`, usage errors, plurals, and whether to colour.
 *
 * Exit codes, the same in every command: 0 ok, 1 problems found or the work failed, 2 usage or configuration; a
 * failure's exit code follows from its kind (core/roster-errors.ts) in `exitCodeFor`.
 * It prints only a usage error (`usageError`, on stderr); everything else it returns. It holds no state.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { describeParseError, valueProblem } from "../core/command-line-problems";
import { formatDiagnostic, type Diagnostic } from "../core/diagnostics";
import { EXIT_USAGE } from "../core/exit-codes";
import { type CommandTable, type FlagTable, usageLine } from "../core/flag-table";

/** The `parseArgs` options of a flag table: only what parseArgs takes, typed as the table so values are typed from it. */
function parseOptions<F extends FlagTable>(flags: F): F {
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [name, flag] of Object.entries(flags)) {
    options[name] = {
      type: flag.type,
      ...(flag.multiple ? { multiple: true } : {}),
      ...(flag.default === undefined ? {} : { default: flag.default }),
    };
  }
  return options as F;
}

/**
 * The one flag parser of every command, from its table: an unknown flag, a missing or empty value, a value outside
 * the flag's choices or an unexpected argument is a message naming it (and, for a misspelt flag, the closest known
 * one). The command takes as many plain arguments as its table has operands.
 */
export function parseCommandLine<F extends FlagTable>(args: string[], table: Pick<CommandTable<F>, "flags" | "operands">) {
  const maxPositionals = table.operands?.length ?? 0;
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: F; strict: true; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args, options: parseOptions(table.flags), strict: true, allowPositionals: true });
  } catch (err) {
    return describeParseError(err as Error & { code?: string }, Object.keys(table.flags));
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals];
    return `unexpected argument "${extra}"${maxPositionals === 0 ? " (this command takes only flags)" : ""}`;
  }
  const problem = valueProblem(parsed.values as Record<string, unknown>, table.flags);
  return problem ?? { values: parsed.values, positionals: parsed.positionals };
}

/** Writes `cognito-roster NAME: message` and the usage line to stderr; returns the usage exit code (2). */
export function usageError(table: CommandTable, message: string): number {
  process.stderr.write(`cognito-roster ${table.name}: ${message}\n${usageLine(table)}\n`);
  return EXIT_USAGE;
}

/**
 * Colour only on a terminal, and never when NO_COLOR is set to anything non-empty (https://no-color.org).
 * FORCE_COLOR is not honoured: tests and CI logs should get the same bytes a pipe gets.
 * @internal exported for its tests
 */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

/** Wraps `text` in an ANSI colour when `enabled`; otherwise returns it unchanged. */
function paint(text: string, colour: "red" | "yellow" | "green" | "bold", enabled: boolean): string {
  if (!enabled) return text;
  const codes = { red: 31, yellow: 33, green: 32, bold: 1 } as const;
  return `\u001b[${codes[colour]}m${text}\u001b[0m`;
}

/** A diagnostic as `formatDiagnostic` prints it, its severity coloured when the stream is a terminal. */
export function formatDiagnosticFor(d: Diagnostic, stream: { isTTY?: boolean }): string {
  const text = formatDiagnostic(d);
  if (!colourEnabled(stream)) return text;
  const severity = ` ${d.severity} `;
  const at = text.indexOf(severity);
  if (at < 0) return text;
  const painted = paint(d.severity, d.severity === "error" ? "red" : "yellow", true);
  return `${text.slice(0, at + 1)}${painted}${text.slice(at + severity.length - 1)}`;
}
