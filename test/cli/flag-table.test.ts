/**
 * core/flag-table.ts: each command's one table of flags, and what is derived from it — the usage line, --help, the
 * parser's options — and the README's command table, which must name exactly what the tables generate.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { COMMAND_TABLES } from "../../cli/main";
import { EMULATOR_SYNOPSIS } from "../../cli/emulator-command";
import { OUTBOX } from "../../cli/emulator-outbox-command";
import { parseCommandLine } from "../../cli/command-line";
import { commandTable, helpText, synopsis, usageLine } from "../../core/flag-table";

const ROOT = path.resolve(__dirname, "../..");

const SAMPLE = commandTable({
  name: "sample",
  summary: "a sample",
  about: ["What it does."],
  operands: [{ name: "FILE.csv", help: "the sheet" }],
  flags: {
    office: { type: "string", value: "NAME", required: true, help: "the office (required)" },
    users: { type: "string", default: "users", value: "DIR", help: "the users folder" },
    format: { type: "string", default: "text", choices: ["text", "markdown", "json"], help: "the format" },
    either: { type: "string", value: "A", usage: "[--either A | --or B]", help: "one way" },
    or: { type: "string", value: "B", usage: "", help: ["the other way,", "on two lines"] },
    column: { type: "string", value: "CSV=KEY", multiple: true, help: "repeatable" },
    yes: { type: "boolean", default: false, help: "do it" },
  },
});

test("the usage line: operands, required flags bare, optional ones bracketed, repeatable ones with ..., choices joined", () => {
  expect(usageLine(SAMPLE)).toBe(
    "usage: cognito-roster sample FILE.csv --office NAME [--users DIR] [--format text|markdown|json] [--either A | --or B] [--column CSV=KEY]... [--yes]",
  );
});

test("--help: the usage line, what it does, every operand and flag aligned, then -h and the exit codes", () => {
  expect(helpText(SAMPLE).split("\n")).toEqual([
    usageLine(SAMPLE),
    "",
    "What it does.",
    "",
    "flags:",
    "  FILE.csv                     the sheet",
    "  --office NAME                the office (required)",
    "  --users DIR                  the users folder",
    "  --format text|markdown|json  the format",
    "  --either A                   one way",
    "  --or B                       the other way,",
    "                               on two lines",
    "  --column CSV=KEY             repeatable",
    "  --yes                        do it",
    "  -h, --help                   this help",
    "",
    "exit codes: 0 ok, 1 problems found or failed, 2 usage or configuration error",
  ]);
});

test("the parser follows the table: defaults, operands, repeatable flags, choices and empty values", () => {
  expect(parseCommandLine(["a.csv", "--office", "london", "--column", "a=b", "--column=c=d"], SAMPLE)).toEqual({
    values: { office: "london", users: "users", format: "text", yes: false, column: ["a=b", "c=d"] },
    positionals: ["a.csv"],
  });
  expect(parseCommandLine(["--format", "yaml"], SAMPLE)).toBe("--format must be text, markdown or json (got yaml)");
  expect(parseCommandLine(["--users="], SAMPLE)).toBe("--users needs a value");
  expect(parseCommandLine(["--column", "a=b", "--column="], SAMPLE)).toBe("--column needs a value");
  expect(parseCommandLine(["a.csv", "b.csv"], SAMPLE)).toBe('unexpected argument "b.csv"');
});

test("every command's help names each of its flags, and its usage line starts with its name", () => {
  for (const table of [...COMMAND_TABLES, OUTBOX]) {
    const help = helpText(table);
    expect(help.startsWith(`usage: cognito-roster ${table.name} `)).toBe(true);
    const named = [...help.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]);
    expect(named).toEqual(Object.keys(table.flags));
  }
});

/** The README's command table: each row's command cell (unescaped) and its description. */
function readmeCommandRows(): { command: string; description: string }[] {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("| command | what it does |");
  expect(start).toBeGreaterThan(0);
  const rows = readme.slice(start).split("\n\n")[0].split("\n").slice(2);
  return rows.map((row) => {
    const cells = row.replace(/\\\|/g, "\u0000").split("|").slice(1, -1);
    const text = (cell: string) => cell.replace(/\u0000/g, "|").trim();
    return { command: text(cells[0]), description: text(cells[1]) };
  });
}

/** What the tables generate for the README: a row per command with a flag table, the emulator and its outbox. */
function generatedSynopses(): Map<string, string[]> {
  const flagsOf = (table: { flags: object }) => Object.keys(table.flags);
  const entries: [string, string[]][] = [
    ...[...COMMAND_TABLES, OUTBOX].map((t): [string, string[]] => [synopsis(t), flagsOf(t)]),
    [EMULATOR_SYNOPSIS, [...EMULATOR_SYNOPSIS.matchAll(/--([a-z-]+)/g)].map((m) => m[1])],
  ];
  return new Map(entries.map(([text, flags]) => [`\`npx cognito-roster ${text}\``, flags]));
}

test("the README's command table is what the flag tables generate (regenerate a row from the message)", () => {
  const rows = readmeCommandRows().filter((r) => !r.command.startsWith("`npx cognito-roster help"));
  const generated = generatedSynopses();
  expect(rows.map((r) => r.command).sort()).toEqual([...generated.keys()].sort());
  for (const row of rows) {
    // A flag the description mentions is one the command has (a flag renamed in a table is renamed here too).
    const spans = [...row.description.matchAll(/`([^`]*)`/g)].map((m) => m[1]);
    const mentioned = spans.flatMap((span) => [...span.matchAll(/(?:^|\s)--([a-z][a-z-]*)/g)].map((m) => m[1]));
    const known = generated.get(row.command) ?? [];
    expect({ row: row.command, unknown: mentioned.filter((f) => !known.includes(f)) }).toEqual({ row: row.command, unknown: [] });
  }
});
