/**
 * What a command line asks for or gets wrong, said as a usage message: `--help` anywhere before `--`, an unknown
 * flag (with the closest known one when it is a typo), a missing or empty value, a value given to a switch, a value
 * outside the flag's choices. cli/command-line.ts parses with node:util's parseArgs and turns its errors into these
 * messages. Pure.
 */
import { closestName } from "./closest-name";
import type { FlagTable } from "./flag-table";
import { inWords } from "./words";

/** True when the arguments ask for help (`--help` or `-h` before a `--`). */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
}

/** A parseArgs error (its `code` and message) said as a usage message naming the flag; `known`: the table's flags. */
export function describeParseError(err: Error & { code?: string }, known: readonly string[]): string {
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

/** An empty value (`--users=`) or one outside the flag's choices, said as a usage message; undefined when none. */
export function valueProblem(values: Record<string, unknown>, flags: FlagTable): string | undefined {
  for (const [name, flag] of Object.entries(flags)) {
    for (const value of [values[name]].flat()) {
      if (typeof value !== "string") continue;
      if (value === "") return `--${name} needs a value`;
      if (flag.choices && !flag.choices.includes(value)) return `--${name} must be ${inWords(flag.choices)} (got ${value})`;
    }
  }
  return undefined;
}
