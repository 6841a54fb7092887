/**
 * Command-line conventions every `cognito-roster` command shares: the one flag parser (from the command's table,
 * cli/flag-table.ts) with a "did you mean" for unknown flags, `--help`, usage errors, plurals, and whether to colour.
 *
 * Exit codes, the same in every command: 0 ok, 1 problems found or the work failed, 2 usage or configuration; a
 * failure's exit code follows from its kind (core/roster-errors.ts) in `exitCodeFor`.
 * It prints only a usage error (`usageError`, on stderr); everything else it returns. It holds no state.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { closestName } from "../core/closest-name";
import { formatDiagnostic, type Diagnostic } from "../core/diagnostics";
import { type CommandTable, type FlagTable, usageLine } from "./flag-table";
import { type ErrorKind, errorKind } from "../core/roster-errors";

export { closestName };

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

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

/** True when the arguments ask for help (`--help` or `-h` before a `--`). */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
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

/** An empty value (`--users=`) or one outside the flag's choices, said as a usage message; undefined when none. */
function valueProblem(values: Record<string, unknown>, flags: FlagTable): string | undefined {
  for (const [name, flag] of Object.entries(flags)) {
    for (const value of [values[name]].flat()) {
      if (typeof value !== "string") continue;
      if (value === "") return `--${name} needs a value`;
      if (flag.choices && !flag.choices.includes(value)) return `--${name} must be ${inWords(flag.choices)} (got ${value})`;
    }
  }
  return undefined;
}

/** `text, markdown or json`. */
function inWords(choices: readonly string[]): string {
  return choices.length < 2 ? choices.join("") : `${choices.slice(0, -1).join(", ")} or ${choices[choices.length - 1]}`;
}

/** Writes `cognito-roster NAME: message` and the usage line to stderr; returns the usage exit code (2). */
export function usageError(table: CommandTable, message: string): number {
  process.stderr.write(`cognito-roster ${table.name}: ${message}\n${usageLine(table)}\n`);
  return EXIT_USAGE;
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

/** `unknown flag --user (did you mean --users?)`; the suggestion only when one is close enough to be a typo. @internal */
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
