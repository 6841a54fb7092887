/**
 * One table per command: its flags, operands and purpose. The `parseArgs` options (cli/command-line.ts), the usage
 * line, `--help` and the README's command table (checked by test/cli/flag-table.test.ts) are all derived from it,
 * so a flag is added or changed in one place.
 */

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

export const EXIT_CODES_HELP = "exit codes: 0 ok, 1 problems found or failed, 2 usage or configuration error";

/** The flags most commands share; a command may say more in its own help (`{ ...STACK_FLAG, help: "…" }`). */
export const USERS_FLAG = { type: "string", default: "users", value: "DIR", help: "the users folder (default users)" } as const;
export const STACK_FLAG = {
  type: "string",
  default: "dev",
  value: "NAME",
  help: "the stack whose Pulumi.NAME.yaml describes the pool (default dev)",
} as const;
export const APPLIED_FLAG = {
  type: "string",
  value: "FILE",
  help: "the record of the last apply (default .roster/applied-STACK.json)",
} as const;

function placeholder(flag: Flag): string | undefined {
  if (flag.type === "boolean") return undefined;
  return flag.value ?? flag.choices?.join("|") ?? "VALUE";
}

/** `--users DIR`, `--yes`. */
function flagWithValue(name: string, flag: Flag): string {
  const value = placeholder(flag);
  return value === undefined ? `--${name}` : `--${name} ${value}`;
}

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
