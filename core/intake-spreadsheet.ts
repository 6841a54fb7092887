/**
 * `cognito-roster intake`, the pure part: a local office's spreadsheet (CSV text) in, users-file entries out, with every
 * problem placed at the spreadsheet's own row (its line in the file) and column.
 *
 * Columns map to users-file keys: a column named like a key (`email`, `given_name`, `custom:tisId`, letter case
 * and spaces aside) maps itself; others through the mapping the caller passes (a `--map` file or `--column`
 * flags). Values are never changed behind the user's back: a space around a value is an error, phone numbers
 * become E.164 only with a default country, and dates are read only with an explicit format.
 * No I/O, no AWS; it does not check the entries against the pool profile's rules (the caller runs the project's
 * validator on the result) beyond what it needs to convert values.
 */
import type { Diagnostic, DiagnosticCode } from "./diagnostics";
import { columnLetter, mapColumns, SKIP, usersFileKeys } from "./intake-columns";
import { cellValue, type DateFormat, type DefaultCountry, type IntakeValue } from "./intake-cell-values";
import type { PoolProfile } from "./profile";

export interface IntakeOptions {
  profile: PoolProfile;
  /** The spreadsheet's display path, for diagnostics. */
  file: string;
  /** CSV header → users-file key or `skip`, from --map and --column (--column wins). */
  columnMap: ReadonlyMap<string, string>;
  defaultCountry?: DefaultCountry;
  dateFormat?: DateFormat;
}

export interface IntakeRow {
  /** The line of the spreadsheet file the row starts on (the header is line 1). */
  line: number;
  /** Users-file key → value, in the users-file key order. */
  entry: Record<string, IntakeValue>;
  /** Users-file key → the 1-based column it came from, to place later findings. */
  columnOf: Record<string, number>;
}

/** A spreadsheet csv-parse cannot read, at the line it stopped on. */
export function csvSyntaxProblem(file: string, err: Error & { lines?: number }): Diagnostic {
  return {
    file,
    line: err.lines ?? 1,
    col: 1,
    severity: "error",
    code: "CSV_SYNTAX",
    message: `not readable as CSV: ${err.message.split("\n")[0]}`,
  };
}

export function emptySpreadsheetProblem(file: string): Diagnostic {
  return {
    file,
    line: 1,
    col: 1,
    severity: "error",
    code: "CSV_EMPTY",
    message: "the spreadsheet is empty: the first row must name the columns",
  };
}

/** What one spreadsheet row gave: its entry (none for a row of empty cells) and its problems, by column. */
interface IntakeRowRead {
  row?: IntakeRow;
  diagnostics: Diagnostic[];
}

/**
 * Reads a spreadsheet one row at a time, so that a caller can stream it (cli/intake-command.ts): the header row
 * first, then each row with the line it starts on. It keeps only what the duplicate check needs (each identity and
 * the line it was first seen on), never the rows.
 */
export interface IntakeReader {
  /** Column headers by 1-based index, for messages. */
  headers: string[];
  /** Problems with the header row and the column mapping. */
  headerDiagnostics: Diagnostic[];
  row(record: readonly string[], line: number): IntakeRowRead;
}

export function createIntakeReader(options: IntakeOptions, headers: string[], { duplicates = true } = {}): IntakeReader {
  const headerDiagnostics: Diagnostic[] = [];
  const keys = mapColumns(headers, options, (line, col, code, message) =>
    headerDiagnostics.push({ file: options.file, line, col, severity: "error", code, message }),
  );
  const seen = duplicates ? new Map<string, number>() : undefined;
  return { headers, headerDiagnostics, row: (record, line) => readRow(record, line, { options, headers, keys, seen }) };
}

interface RowContext {
  options: IntakeOptions;
  headers: readonly string[];
  keys: readonly (string | undefined)[];
  /** `username:…` / `email:…` → the line of the row that first had it; none when duplicates are not looked for. */
  seen?: Map<string, number>;
}

function readRow(record: readonly string[], line: number, context: RowContext): IntakeRowRead {
  const { options, headers, keys, seen } = context;
  const diagnostics: Diagnostic[] = [];
  const report = (col: number, code: DiagnosticCode, message: string) =>
    diagnostics.push({ file: options.file, line, col, severity: "error", code, message });
  const place = (col: number) => `column ${columnLetter(col)} (${headers[col - 1]})`;
  if (record.every((cell) => cell === "")) return { diagnostics };
  if (record.length > headers.length)
    report(headers.length + 1, "CSV_EXTRA_CELLS", `row ${line} has ${record.length} cells but the header names ${headers.length} columns`);
  const row: IntakeRow = { line, entry: {}, columnOf: {} };
  const rejected = new Set<string>();
  record.forEach((cell, index) => {
    const col = index + 1;
    const key = keys[index];
    if (key === undefined || key === SKIP || cell === "") return;
    const value = cellValue(key, cell, options, (code, message) => report(col, code, `${place(col)}: ${message}`));
    if (value === undefined) {
      rejected.add(key);
      return;
    }
    row.entry[key] = value;
    row.columnOf[key] = col;
  });
  // One root cause, one message: a rejected email is not also reported as a missing username.
  if (!rejected.has("username") && !rejected.has("email")) deriveUsername(row, options, report);
  for (const key of seen === undefined ? [] : ["username", "email"]) {
    const value = row.entry[key];
    if (typeof value !== "string" || seen === undefined) continue;
    const identity = `${key}:${options.profile.usernameCaseSensitive && key === "username" ? value : value.toLowerCase()}`;
    const first = seen.get(identity);
    if (first !== undefined) {
      // One message per row: a username taken from the email would repeat the same finding.
      const col = row.columnOf[key] ?? 1;
      report(col, "DUPLICATE_IN_SPREADSHEET", `${place(col)}: the same ${key} as row ${first}`);
      break;
    }
    seen.set(identity, line);
  }
  diagnostics.sort((a, b) => a.col - b.col);
  return { row: { ...row, entry: ordered(row.entry, options.profile) }, diagnostics };
}

/** Without a username column, a pool whose usernames are email addresses takes the email. */
function deriveUsername(row: IntakeRow, options: IntakeOptions, fail: (col: number, code: DiagnosticCode, message: string) => void): void {
  if (row.entry.username !== undefined) return;
  if (options.profile.usernameMustEqualEmail && typeof row.entry.email === "string") {
    row.entry.username = row.entry.email;
    row.columnOf.username = row.columnOf.email;
    return;
  }
  fail(
    1,
    "MISSING_USERNAME",
    `row ${row.line} has no username${options.profile.usernameMustEqualEmail ? " and no email to take it from" : ""}`,
  );
}

/** username and email first (as the users files write them), then the users-file key order. */
function ordered(entry: Record<string, IntakeValue>, profile: PoolProfile): Record<string, IntakeValue> {
  const out: Record<string, IntakeValue> = {};
  for (const key of ["username", "email", ...usersFileKeys(profile)]) if (entry[key] !== undefined) out[key] = entry[key];
  return out;
}
