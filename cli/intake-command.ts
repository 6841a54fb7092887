/**
 * `cognito-roster intake FILE.csv --office NAME [--users DIR] [--stack NAME] [--file NAME] [--map FILE] [--column CSV=KEY]...
 * [--default-country GB] [--date-format F] [--dry-run]`: takes in a local office's spreadsheet.
 *
 * A thin shell: this module reads the command line (the request, cli/intake-request.ts); the spreadsheet is then
 * streamed twice, row by row, through core/intake-spreadsheet.ts. The first reading (cli/intake-check.ts) finds every
 * problem, duplicates of anyone the roster already declares included; only when there is none does the second
 * (cli/intake-write.ts) append the entries, run the project's validator over each resulting file, and write (never
 * with --dry-run). Every problem is reported at once, by the spreadsheet's row and column (the first 1000 of them,
 * and how many more: cli/intake-findings.ts). Memory is bounded whatever the spreadsheet's size: rows are never all
 * held, only the users file being filled (at most 5 MiB) and what the duplicate checks need. What was added is
 * printed (stdout) with the users file's file:line.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { isFolderName } from "../core/export-users";
import { USERS_FILE_NAME } from "../core/identifier-patterns";
import { DATE_FORMATS, DEFAULT_COUNTRIES, type DateFormat, type DefaultCountry } from "../core/intake-cell-values";
import { loadStackProfile } from "../load/stack-profile";
import { formatDiagnosticFor, parseCommandLine, usageError } from "./command-line";
import { STACK_FLAG, USERS_FLAG } from "./flag-table";
import { checkSpreadsheet } from "./intake-check";
import { Findings, fail } from "./intake-findings";
import { display, type IntakeRequest } from "./intake-request";
import { writeIntake } from "./intake-write";
import { EXIT_PROBLEMS, EXIT_USAGE } from "../core/exit-codes";
import { commandTable } from "../core/flag-table";
import { plural } from "../core/words";

export const INTAKE = commandTable({
  name: "intake",
  summary: "add trainees from a local office's spreadsheet (CSV)",
  about: [
    "Reads a CSV export (with or without a BOM), maps its columns to users-file keys and appends the",
    "trainees to users/OFFICE/FILE.yaml, keeping its comments and order. Every spreadsheet problem is",
    "reported by row and column; nothing is written when there is any error, or with --dry-run.",
    "A column named like a users-file key (email, given_name, phone_number, custom:tisId) maps itself.",
  ],
  operands: [{ name: "FILE.csv", help: "the spreadsheet, exported as CSV" }],
  flags: {
    office: {
      type: "string",
      value: "NAME",
      required: true,
      help: "the local office folder under the users folder (required)",
    },
    users: USERS_FLAG,
    stack: { ...STACK_FLAG, help: "the stack whose rules the result must pass (default dev)" },
    file: { type: "string", default: "intake.yaml", value: "NAME", help: "the users file in the office folder (default intake.yaml)" },
    map: { type: "string", value: "FILE", help: "YAML mapping of CSV column to users-file key (`skip` leaves a column out)" },
    column: { type: "string", value: "CSV=KEY", multiple: true, help: "one mapping on the command line (repeatable)" },
    "default-country": {
      type: "string",
      choices: DEFAULT_COUNTRIES,
      help: "turn national mobile numbers (07700 900123) into E.164",
    },
    "date-format": {
      type: "string",
      choices: DATE_FORMATS,
      help: "how dates are written: dd/mm/yyyy, mm/dd/yyyy or yyyy-mm-dd",
    },
    group: {
      type: "string",
      value: "NAME",
      multiple: true,
      help: "put every new trainee in this group (one the stack manages; repeatable)",
    },
    "dry-run": { type: "boolean", default: false, help: "show what would be added; write nothing" },
  },
});

export async function runIntakeCommand(args: string[]): Promise<number> {
  const request = intakeRequest(args);
  if (typeof request === "string") return usageError(INTAKE, request);
  if (request === undefined) return EXIT_USAGE;
  const csvFile = display(request, request.csvPath);
  // Two streamed readings of the spreadsheet, neither holding its rows: the first finds every problem the
  // spreadsheet has; only when there is none does the second render, split, validate and write.
  const sheet = await checkSpreadsheet(request, csvFile);
  if ("problem" in sheet) return fail(Findings.of([sheet.problem]));
  if (sheet.rows === 0 && sheet.findings.total === 0) {
    const empty = sheet.emptyRows > 0 ? ` and ${plural(sheet.emptyRows, "empty row")}` : "";
    process.stderr.write(`cognito-roster intake: ${csvFile} has no trainees (only a header${empty}): nothing written\n`);
    return EXIT_PROBLEMS;
  }
  if (sheet.findings.total > 0) return fail(sheet.findings);
  return writeIntake(request, csvFile, sheet);
}

/** The request, a usage message, or undefined when a configuration problem was already printed. */
function intakeRequest(args: string[]): IntakeRequest | string | undefined {
  const parsed = parseCommandLine(args, INTAKE);
  if (typeof parsed === "string") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length === 0) return "name the spreadsheet: cognito-roster intake FILE.csv --office NAME";
  if (values.office === undefined) return "--office NAME is required: the local office folder the trainees go in (e.g. london)";
  if (!isFolderName(values.office))
    return `--office ${JSON.stringify(values.office)} is not a folder name (lower-case letters, digits and -, e.g. north-west)`;
  if (!USERS_FILE_NAME.test(values.file) || values.file.startsWith("."))
    return `--file must be a plain file name ending .yaml or .yml (got ${JSON.stringify(values.file)})`;
  // The table's choices checked --default-country and --date-format.
  const country = values["default-country"];
  const dateFormat = values["date-format"];

  const repoRoot = process.cwd();
  const csvPath = path.resolve(repoRoot, positionals[0]);
  if (!existsSync(csvPath) || !statSync(csvPath).isFile()) return `the spreadsheet ${positionals[0]} does not exist`;
  const usersDir = path.resolve(repoRoot, values.users);
  if (!existsSync(usersDir) || !statSync(usersDir).isDirectory()) return `the users directory ${values.users} does not exist`;
  const columnMap = columnMapping(values.map, values.column ?? [], repoRoot);
  if (typeof columnMap === "string") return columnMap;
  const loaded = loadStackProfile(repoRoot, values.stack);
  if (!loaded.profile) {
    for (const d of loaded.diagnostics) process.stderr.write(`${formatDiagnosticFor(d, process.stderr)}\n`);
    return undefined;
  }
  const groups = [...new Set(values.group ?? [])];
  const managed = Object.keys(loaded.profile.groups ?? {});
  const unknownGroup = groups.find((g) => !managed.includes(g));
  if (unknownGroup !== undefined) {
    const list = managed.length > 0 ? managed.join(", ") : "none";
    return `--group ${JSON.stringify(unknownGroup)}: the stack does not manage that group (it manages: ${list}; see cognito-roster:groups)`;
  }
  return {
    repoRoot,
    csvPath,
    usersDir,
    target: path.join(usersDir, values.office, values.file),
    profile: loaded.profile,
    columnMap,
    defaultCountry: country as DefaultCountry | undefined,
    dateFormat: dateFormat as DateFormat | undefined,
    dryRun: values["dry-run"],
    groups,
  };
}

/** CSV header → key from the --map file, then --column flags (which win). */
function columnMapping(mapFile: string | undefined, columns: readonly string[], repoRoot: string): Map<string, string> | string {
  const map = new Map<string, string>();
  if (mapFile !== undefined) {
    let value: unknown;
    try {
      value = parseYaml(readFileSync(path.resolve(repoRoot, mapFile), "utf8"));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return `cannot read the column map ${mapFile} (${code ?? (err as Error).message.split("\n")[0]})`;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return `${mapFile} must be a YAML mapping of spreadsheet column to users-file key (or skip)`;
    for (const [column, key] of Object.entries(value as Record<string, unknown>)) {
      if (typeof key !== "string") return `${mapFile}: the column "${column}" must map to a users-file key or skip`;
      map.set(column, key);
    }
  }
  for (const spec of columns) {
    const at = spec.lastIndexOf("=");
    if (at <= 0 || at === spec.length - 1) return `--column ${JSON.stringify(spec)} is not CSV=KEY (e.g. --column "Mobile=phone_number")`;
    map.set(spec.slice(0, at), spec.slice(at + 1));
  }
  return map;
}
