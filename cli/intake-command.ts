/**
 * `cognito-roster intake FILE.csv --office NAME [--users DIR] [--stack NAME] [--file NAME] [--map FILE] [--column CSV=KEY]...
 * [--default-country GB] [--date-format F] [--dry-run]`: takes in a local office's spreadsheet.
 *
 * A thin shell: streams the spreadsheet (load/spreadsheet-records.ts) row by row through core/intake-spreadsheet.ts,
 * which reads each row and appends the entries, refuses duplicates of anyone the roster already declares, runs the
 * project's validator over each resulting file, and writes only when there is no error at all (never with
 * --dry-run). Every problem is reported at once, by the spreadsheet's row and column (the first 1000 of them, and
 * how many more). Memory is bounded whatever the spreadsheet's size: rows are never all held, only the users file
 * being filled (at most 10 MiB) and what the duplicate checks need. What was added is printed (stdout) with the
 * users file's file:line.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import type { AttributeValue } from "../core/declared-user";
import type { Diagnostic } from "../core/diagnostics";
import { schemaModeline, isFolderName } from "../core/export-users";
import { USERS_FILE_NAME } from "../core/identifier-patterns";
import {
  type AppendPart,
  columnLetter,
  createIntakeReader,
  createUsersAppender,
  newFileDefaults,
  DATE_FORMATS,
  DEFAULT_COUNTRIES,
  type DateFormat,
  type DefaultCountry,
  type IntakeReader,
  type IntakeRow,
  type IntakeValue,
} from "../core/intake-spreadsheet";
import { loadRoster } from "../load/load-roster";
import { readSpreadsheetRecords } from "../load/spreadsheet-records";
import type { PoolProfile } from "../core/profile";
import { verifiedFlagNotes } from "./intake-verified-note";
import { loadStackProfile } from "../load/stack-profile";
import { normalizeUsername } from "../core/user-digest";
import { createUsersFileChecker } from "../core/users-file";
import { fullCollection } from "./full-collection";
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, formatDiagnosticFor, parseCommandLine, plural, usageError } from "./command-line";
import { commandTable, STACK_FLAG, USERS_FLAG } from "./flag-table";

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

interface IntakeRequest {
  repoRoot: string;
  csvPath: string;
  usersDir: string;
  target: string;
  profile: PoolProfile;
  columnMap: Map<string, string>;
  defaultCountry?: DefaultCountry;
  dateFormat?: DateFormat;
  dryRun: boolean;
  /** --group: groups every new trainee is put in (each one the stack manages). */
  groups: string[];
}

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
    process.stderr.write(
      `cognito-roster intake: ${csvFile} has no trainees (only a header${sheet.emptyRows > 0 ? ` and ${plural(sheet.emptyRows, "empty row")}` : ""}): nothing written\n`,
    );
    return EXIT_PROBLEMS;
  }
  if (sheet.findings.total > 0) return fail(sheet.findings);
  return writeIntake(request, csvFile, sheet);
}

/**
 * The largest users file intake writes: half of what validation reads (10 MiB), so that validating each one as it
 * fills stays well inside the 512 MB an intake may take. Validating a file in process takes about 30 times its size
 * (a 10 MiB one about 320 MB); with 10 MiB files a 50 MB spreadsheet peaked at 524 MiB, with 5 MiB ones at 400 or
 * less (BENCHMARKS.md, "Intake").
 */
const INTAKE_FILE_BYTES = 5 * 1024 * 1024;

/** Diagnostics printed at most: a spreadsheet with a problem in every row is answered with the first ones and a count. */
const MAX_REPORTED = 1000;

/** The findings of an intake, the first MAX_REPORTED kept to print and every one counted. */
class Findings {
  readonly shown: Diagnostic[] = [];
  total = 0;
  errors = 0;

  static of(diagnostics: readonly Diagnostic[]): Findings {
    const findings = new Findings();
    for (const d of diagnostics) findings.add(d);
    return findings;
  }

  add(d: Diagnostic): void {
    this.total++;
    if (d.severity === "error") this.errors++;
    if (this.shown.length < MAX_REPORTED) this.shown.push(d);
  }

  print(): void {
    const sorted = [...this.shown].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
    for (const d of sorted) process.stderr.write(`${formatDiagnosticFor(d, process.stderr)}\n`);
    if (this.total > this.shown.length)
      process.stderr.write(
        `cognito-roster intake: ${plural(this.total - this.shown.length, "more finding")} not shown (the first ${MAX_REPORTED} are)\n`,
      );
  }
}

interface SpreadsheetCheck {
  headers: string[];
  rows: number;
  emptyRows: number;
  /** Every users-file key some row has a value for (the new file's defaults depend on them). */
  present: Set<string>;
  findings: Findings;
  sha256: string;
}

/** The first reading: every problem of the spreadsheet (its rows against each other and against the roster). */
async function checkSpreadsheet(request: IntakeRequest, csvFile: string): Promise<SpreadsheetCheck | { problem: Diagnostic }> {
  const known = rosterIdentities(request);
  const findings = new Findings();
  const present = new Set<string>();
  let reader: IntakeReader | undefined;
  let rows = 0;
  let emptyRows = 0;
  const read = await readSpreadsheetRecords(request.csvPath, csvFile, (record, line) => {
    if (reader === undefined) {
      reader = createIntakeReader(intakeOptions(request, csvFile), record);
      for (const d of reader.headerDiagnostics) findings.add(d);
      return;
    }
    const { row, diagnostics } = reader.row(record, line);
    for (const d of diagnostics) findings.add(d);
    if (row === undefined) {
      emptyRows++;
      return;
    }
    rows++;
    for (const key of Object.keys(row.entry)) present.add(key);
    const duplicate = duplicateOfRoster(known, request.profile.usernameCaseSensitive, row, csvFile, reader.headers);
    if (duplicate !== undefined) findings.add(duplicate);
  });
  if ("problem" in read) return read;
  return { headers: reader?.headers ?? [], rows, emptyRows, present, findings, sha256: read.sha256 };
}

function intakeOptions(request: IntakeRequest, csvFile: string) {
  return {
    profile: request.profile,
    file: csvFile,
    columnMap: request.columnMap,
    defaultCountry: request.defaultCountry,
    dateFormat: request.dateFormat,
  };
}

/**
 * The second reading: each row rendered and appended, each users file validated as it fills (findings placed back
 * at their row and column) and written to a temporary file beside its target. Only when every part is valid, no
 * further target exists and the spreadsheet is the one checked are the temporaries renamed over their targets;
 * otherwise they are removed and nothing is written.
 */
async function writeIntake(request: IntakeRequest, csvFile: string, sheet: SpreadsheetCheck): Promise<number> {
  const targetFile = display(request, request.target);
  const existing = existsSync(request.target) ? readFileSync(request.target, "utf8") : undefined;
  const modeline = schemaModeline(path.relative(request.usersDir, request.target).split(path.sep).join("/"), schemaFromUsersDir(request));
  const defaults = newFileDefaults(request.profile, [...sheet.present]);
  const appender = createUsersAppender(existing, modeline, defaults, INTAKE_FILE_BYTES);
  if ("problem" in appender)
    return fail(
      Findings.of([{ file: targetFile, line: 1, col: 1, severity: "error", code: "TARGET_NOT_USERS_FILE", message: appender.problem }]),
    );
  const groups = groupsToAdd(request.groups, existing);
  // A new office's folder is made for the temporaries; on failure it goes again, so that nothing is left.
  const newFolder = existsSync(path.dirname(request.target)) ? undefined : path.dirname(request.target);
  let written = false;
  const check = createUsersFileChecker(request.profile);
  const findings = new Findings();
  const temporaries: { temporary: string; target: string }[] = [];
  const added: string[] = [];
  const verb = request.dryRun ? "would add" : "added";
  let partRows: IntakeRow[] = [];
  let problem: Diagnostic | undefined;

  const finishPart = (part: AppendPart, rows: readonly IntakeRow[]) => {
    const target = partTarget(request.target, temporaries.length);
    const shown = display(request, target);
    // Validating up to 10 MiB takes a few hundred megabytes: it starts with the rendering's garbage collected, and
    // its own is collected before the next file, so that the peak is one file's, not the sum of several.
    fullCollection();
    for (const d of check(part.text, shown).diagnostics) findings.add(placeInSpreadsheet(d, part.places, rows, csvFile, sheet.headers));
    fullCollection();
    const temporary = `${target}.${process.pid}.tmp`;
    if (!request.dryRun && findings.errors === 0) writeTemporary(temporary, part.text);
    temporaries.push({ temporary, target });
    added.push(
      part.places.map((place, k) => `${shown}:${place.line}: ${verb} ${String(rows[k].entry.username)} (row ${rows[k].line})\n`).join(""),
    );
  };

  try {
    let reader: IntakeReader | undefined;
    const read = await readSpreadsheetRecords(request.csvPath, csvFile, (record, line) => {
      if (reader === undefined) {
        // The first reading checked duplicates; this one keeps no identities.
        reader = createIntakeReader(intakeOptions(request, csvFile), record, { duplicates: false });
        return;
      }
      const { row, diagnostics } = reader.row(record, line);
      if (diagnostics.length > 0) problem ??= changedWhileRead(csvFile);
      if (row === undefined || problem !== undefined) return;
      const entry = groups.length > 0 ? { ...row.entry, groups: [...groups] as unknown as AttributeValue } : row.entry;
      const appended = appender.add(entry);
      if ("problem" in appended) {
        problem = { file: targetFile, line: 1, col: 1, severity: "error", code: "TARGET_NOT_USERS_FILE", message: appended.problem };
        return;
      }
      if (appended.closed !== undefined) {
        finishPart(appended.closed, partRows);
        partRows = [];
      }
      partRows.push(row);
    });
    if ("problem" in read) problem ??= read.problem;
    else if (read.sha256 !== sheet.sha256) problem ??= changedWhileRead(csvFile);
    if (problem !== undefined) return fail(Findings.of([problem]));
    finishPart(appender.finish(), partRows);
    partRows = [];

    // Past the largest users file validation reads, the rest goes to new files beside the target, never over one.
    const taken = temporaries.slice(1).find(({ target }) => existsSync(target));
    if (taken !== undefined) {
      const message = `the spreadsheet needs ${temporaries.length} files (each users file intake writes is at most 5 MiB) and ${display(request, taken.target)} exists: take it into another --file NAME`;
      return fail(Findings.of([{ file: targetFile, line: 1, col: 1, severity: "error", code: "TARGET_EXISTS", message }]));
    }
    if (findings.errors > 0) return fail(findings);
    findings.print();
    for (const note of verifiedFlagNotes(request.profile, [...sheet.present], existing, defaults))
      process.stderr.write(`cognito-roster intake: ${note}\n`);
    if (!request.dryRun) for (const { temporary, target } of temporaries) renameSync(temporary, target);
    written = true;
  } finally {
    for (const { temporary } of temporaries) rmSync(temporary, { force: true });
    if (!written && newFolder !== undefined && existsSync(newFolder)) removeIfEmpty(newFolder);
  }

  for (const lines of added) process.stdout.write(lines);
  const skipped = sheet.emptyRows > 0 ? `; ${plural(sheet.emptyRows, "empty row")} skipped` : "";
  const where = temporaries.length > 1 ? `${targetFile} and ${plural(temporaries.length - 1, "new file")} beside it` : targetFile;
  process.stdout.write(
    `${request.dryRun ? "dry run: would add" : "added"} ${plural(sheet.rows, "trainee")} to ${where}${skipped}${request.dryRun ? "; nothing written" : ""}\n`,
  );
  return EXIT_OK;
}

function changedWhileRead(csvFile: string): Diagnostic {
  return {
    file: csvFile,
    line: 1,
    col: 1,
    severity: "error",
    code: "SPREADSHEET_CHANGED",
    message: "the spreadsheet changed while it was being read: run the intake again once it is saved",
  };
}

/** The target for part `index` of an intake: the file itself, then `intake-2.yaml`, `intake-3.yaml`, … */
function partTarget(target: string, index: number): string {
  if (index === 0) return target;
  const ext = path.extname(target);
  return `${target.slice(0, target.length - ext.length)}-${index + 1}${ext}`;
}

function fail(findings: Findings): number {
  findings.print();
  process.stderr.write(`cognito-roster intake: ${plural(findings.errors, "problem")}; nothing written\n`);
  return EXIT_PROBLEMS;
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
  if (unknownGroup !== undefined)
    return `--group ${JSON.stringify(unknownGroup)}: the stack does not manage that group (it manages: ${managed.length > 0 ? managed.join(", ") : "none"}; see cognito-roster:groups)`;
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

/**
 * The --group names each new entry gets as `groups:`: those the file's defaults do not already give (a user's groups
 * are the defaults' and their own together).
 */
function groupsToAdd(groups: readonly string[], existing: string | undefined): string[] {
  if (groups.length === 0) return [];
  let given: unknown;
  try {
    given = existing === undefined ? undefined : (parseYaml(existing) as { defaults?: { groups?: unknown } } | null)?.defaults?.groups;
  } catch {
    given = undefined; // an unreadable file is reported by the appender
  }
  return groups.filter((g) => !(Array.isArray(given) && given.includes(g)));
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

/** Everyone the roster already declares: normalised username, and lower-case email, → file:line. */
interface RosterIdentities {
  usernames: Map<string, string>;
  emails: Map<string, string>;
}

function rosterIdentities(request: IntakeRequest): RosterIdentities {
  const roster = loadRoster({ usersDir: request.usersDir, repoRoot: request.repoRoot, profile: request.profile });
  const known: RosterIdentities = { usernames: new Map(), emails: new Map() };
  for (const u of roster.users) {
    known.usernames.set(normalizeUsername(u.username, request.profile.usernameCaseSensitive), `${u.source.file}:${u.source.line}`);
    if (typeof u.attributes.email === "string") known.emails.set(u.attributes.email.toLowerCase(), `${u.source.file}:${u.source.line}`);
  }
  return known;
}

/** A new user the roster already declares (by username or email): an error at the row and column. */
function duplicateOfRoster(
  known: RosterIdentities,
  caseSensitive: boolean,
  row: IntakeRow,
  csvFile: string,
  headers: readonly string[],
): Diagnostic | undefined {
  const checks: [string, IntakeValue | undefined, Map<string, string>, string][] = [
    [
      "username",
      row.entry.username,
      known.usernames,
      typeof row.entry.username === "string" ? normalizeUsername(row.entry.username, caseSensitive) : "",
    ],
    ["email", row.entry.email, known.emails, String(row.entry.email ?? "").toLowerCase()],
  ];
  for (const [key, value, names, normal] of checks) {
    if (typeof value !== "string") continue;
    const where = names.get(normal);
    if (where === undefined) continue;
    const col = row.columnOf[key] ?? 1;
    // One root cause, one message: the email of a duplicate username is the same person.
    return {
      file: csvFile,
      line: row.line,
      col,
      severity: "error",
      code: "ALREADY_IN_ROSTER",
      message: `column ${columnName(col, headers)}: this ${key} is already declared at ${where}`,
    };
  }
  return undefined;
}

/** A validator finding in the resulting file, moved to the spreadsheet row and column it came from when it is in a new entry. */
function placeInSpreadsheet(
  d: Diagnostic,
  places: AppendPlaces,
  rows: readonly IntakeRow[],
  csvFile: string,
  headers: readonly string[],
): Diagnostic {
  // The last entry starting at or above the finding's line (a binary search: a part holds tens of thousands).
  let low = 0;
  let high = places.length - 1;
  let i = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (places[mid].line <= d.line) {
      i = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  if (i === -1) return d;
  const place = places[i];
  // A finding about the whole entry points at its `- `, left of the first key: it belongs to the row, not a column.
  const aboutEntry = d.line === place.line && d.col < place.col;
  const key = aboutEntry ? undefined : Object.entries(place.keyLines).find(([, line]) => line === d.line)?.[0];
  const col = key !== undefined ? rows[i].columnOf[key] : undefined;
  return {
    ...d,
    file: csvFile,
    line: rows[i].line,
    col: col ?? 1,
    message: col !== undefined ? `column ${columnName(col, headers)}: ${d.message}` : d.message,
  };
}

type AppendPlaces = AppendPart["places"];

function columnName(col: number, headers: readonly string[]): string {
  return `${columnLetter(col)} (${headers[col - 1] ?? ""})`;
}

function schemaFromUsersDir(request: IntakeRequest): string {
  return path
    .relative(request.usersDir, path.join(request.repoRoot, "schemas", "users-file.schema.json"))
    .split(path.sep)
    .join("/");
}

function removeIfEmpty(folder: string): void {
  try {
    rmdirSync(folder);
  } catch {
    // not empty: someone else's file is there now, which is theirs to keep
  }
}

function writeTemporary(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function display(request: IntakeRequest, file: string): string {
  return path.relative(request.repoRoot, file).split(path.sep).join("/");
}
