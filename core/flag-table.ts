/**
 * A command's flag table — its flags, operands and purpose — and the text derived from it: the usage line and
 * `--help`. cli/ holds each command's table (cli/*-command.ts) and derives the `parseArgs` options from it
 * (cli/command-line.ts); the README's command table is checked against it (test/cli/flag-table.test.ts). The shape
 * is the table's own, not node:util's: what parseArgs takes is copied out of it. Pure.
 */
import { EXIT_CODES_HELP } from "./exit-codes";

/** One flag of a command. `type`, `default` and `multiple` are what `node:util` parseArgs takes. */
interface Flag {
  type: "string" | "boolean";
  default?: string | boolean;
  multiple?: boolean;
  /** The values a string flag accepts; anything else is a usage error naming them. */
  choices?: readonly string[];
  /** The value's placeholder in the usage line and --help (DIR, NAME); defaults to the choices joined by `|`. */
  value?: string;
  /** Shown without brackets in the usage line (the command checks it and says why it is needed). */
  required?: boolean;
  /** The usage line's fragment when it is not `[--name VALUE]` (alternatives, a flag that goes with another); "" omits it. */
  usage?: string;
  /** --help's text for the flag; further strings are continuation lines. */
  help: string | readonly string[];
}

export type FlagTable = Readonly<Record<string, Flag>>;

export interface CommandTable<F extends FlagTable = FlagTable> {
  /** As typed after `cognito-roster`: `plan`, `emulator outbox`. */
  name: string;
  /** One line for the top-level usage. */
  summary: string;
  /** What the command does, for --help (lines). */
  about: readonly string[];
  /** Plain arguments, in order, e.g. intake's `FILE.csv`; absent: the command takes only flags. */
  operands?: readonly { name: string; help: string }[];
  flags: F;
}

/** Keeps the flags' literal types, so that parsed values are typed from the table. */
export function commandTable<const F extends FlagTable>(table: CommandTable<F>): CommandTable<F> {
  return table;
}

/** The value's placeholder (`DIR`, `text|json`), or undefined for a switch. */
function placeholder(flag: Flag): string | undefined {
  if (flag.type === "boolean") return undefined;
  return flag.value ?? flag.choices?.join("|") ?? "VALUE";
}

/** `--users DIR`, `--yes`. */
function flagWithValue(name: string, flag: Flag): string {
  const value = placeholder(flag);
  return value === undefined ? `--${name}` : `--${name} ${value}`;
}

/** The flag as the usage line shows it: `[--users DIR]`, `--stack NAME`, `[--exclude FILTER]...`. */
function usageFragment(name: string, flag: Flag): string {
  if (flag.usage !== undefined) return flag.usage;
  const text = flagWithValue(name, flag);
  return `${flag.required ? text : `[${text}]`}${flag.multiple ? "..." : ""}`;
}

/** The synopsis after `cognito-roster `: `plan [--users DIR] [--stack NAME] …`. @internal */
export function synopsis(table: CommandTable): string {
  const parts = [
    table.name,
    ...(table.operands ?? []).map((o) => o.name),
    ...Object.entries(table.flags).map(([name, flag]) => usageFragment(name, flag)),
  ];
  return parts.filter((p) => p !== "").join(" ");
}

/** `usage: cognito-roster plan [--users DIR] …`: printed under every usage error and first in --help. */
export function usageLine(table: CommandTable): string {
  return `usage: cognito-roster ${synopsis(table)}`;
}

/** The whole --help: usage, what the command does, every operand and flag aligned, then the exit codes. */
export function helpText(table: CommandTable): string {
  const rows: [string, readonly string[]][] = [
    ...(table.operands ?? []).map((o): [string, readonly string[]] => [o.name, [o.help]]),
    ...Object.entries(table.flags).map(([name, flag]): [string, readonly string[]] => [
      flagWithValue(name, flag),
      typeof flag.help === "string" ? [flag.help] : flag.help,
    ]),
    ["-h, --help", ["this help"]],
  ];
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  const lines = rows.flatMap(([left, [first, ...more]]) => [
    `  ${left.padEnd(width)}${first}`,
    ...more.map((line) => `  ${" ".repeat(width)}${line}`),
  ]);
  return [usageLine(table), "", ...table.about, "", "flags:", ...lines, "", EXIT_CODES_HELP].join("\n");
}
