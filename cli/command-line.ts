/**
 * Command-line conventions every `roster` command shares: flag parsing with a "did you mean" for unknown flags,
 * `--help`, plurals, and whether to colour output.
 *
 * Exit codes, the same in every command: 0 ok, 1 problems found or the work failed, 2 usage or configuration.
 * It prints nothing itself (callers decide stdout or stderr) and holds no state.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { closestName } from "../core/closest-name";
import { formatDiagnostic, type Diagnostic } from "../core/diagnostics";
import { type ErrorKind, errorKind } from "../core/roster-errors";

export { closestName };

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/** The one map from a failure's kind (core/roster-errors.ts) to the exit code; an error of no kind is a problem. */
const EXIT_BY_KIND: Record<ErrorKind, number> = {
  config: EXIT_USAGE,
  validation: EXIT_PROBLEMS,
  refused: EXIT_PROBLEMS,
  aws: EXIT_PROBLEMS,
  transient: EXIT_PROBLEMS,
};

export function exitCodeFor(err: unknown): number {
  const kind = errorKind(err);
  return kind === undefined ? EXIT_PROBLEMS : EXIT_BY_KIND[kind];
}

export type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

/** True when the arguments ask for help (`--help` or `-h` before a `--`). */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
}

/**
 * Parses flags strictly: an unknown flag, a missing value or an unexpected argument is a message naming it (and,
 * for a misspelt flag, the closest known one). `maxPositionals` is how many plain arguments the command takes.
 */
export function parseCommandLine<O extends FlagOptions>(args: string[], options: O, maxPositionals = 0) {
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
    if (parsed.positionals.length > maxPositionals) {
      const extra = parsed.positionals[maxPositionals];
      return `unexpected argument "${extra}"${maxPositionals === 0 ? " (this command takes only flags)" : ""}`;
    }
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (err) {
    return describeParseError(err as Error & { code?: string }, Object.keys(options));
  }
}

function describeParseError(err: Error & { code?: string }, known: readonly string[]): string {
  if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const flag = /'(-[^']*)'/.exec(err.message)?.[1] ?? "";
    return unknownFlagMessage(flag, known);
  }
  if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const flag = /'(-[^' ]*)/.exec(err.message)?.[1];
    if (flag && /argument missing/.test(err.message)) return `${flag.split(" ")[0]} needs a value`;
    if (flag && /does not take an argument/.test(err.message)) return `${flag.split("=")[0]} takes no value`;
  }
  return err.message.split("\n")[0];
}

/** `unknown flag --user (did you mean --users?)`; the suggestion only when one is close enough to be a typo. */
export function unknownFlagMessage(flag: string, known: readonly string[]): string {
  const name = flag.replace(/^-+/, "").split("=")[0];
  const suggestion = closestName(name, known);
  return `unknown flag ${flag.split("=")[0]}${suggestion ? ` (did you mean --${suggestion}?)` : ""}`;
}

/** `1 user`, `2 users`; `plural(1, "AWS call")`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * Colour only on a terminal, and never when NO_COLOR is set to anything non-empty (https://no-color.org).
 * FORCE_COLOR is not honoured: tests and CI logs should get the same bytes a pipe gets.
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
  return at < 0
    ? text
    : `${text.slice(0, at + 1)}${paint(d.severity, d.severity === "error" ? "red" : "yellow", true)}${text.slice(at + severity.length - 1)}`;
}
