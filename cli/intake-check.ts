/**
 * The first reading of an intake spreadsheet (streamed, its rows never all held): every problem it has, its rows
 * against each other (core/intake-spreadsheet.ts) and against everyone the roster already declares, and what the
 * second reading needs (headers, row counts, the keys present, the file's digest to see it did not change).
 */
import type { Diagnostic } from "../core/diagnostics";
import type { IntakeValue } from "../core/intake-cell-values";
import { columnLetter } from "../core/intake-columns";
import { createIntakeReader, type IntakeOptions, type IntakeReader, type IntakeRow } from "../core/intake-spreadsheet";
import { normalizeUsername } from "../core/user-digest";
import { loadRoster } from "../load/load-roster";
import { readSpreadsheetRecords } from "../load/spreadsheet-records";
import { Findings } from "./intake-findings";
import type { IntakeRequest } from "./intake-request";

export interface SpreadsheetCheck {
  headers: string[];
  rows: number;
  emptyRows: number;
  /** Every users-file key some row has a value for (the new file's defaults depend on them). */
  present: Set<string>;
  findings: Findings;
  sha256: string;
}

/** The first reading: every problem of the spreadsheet (its rows against each other and against the roster). */
export async function checkSpreadsheet(request: IntakeRequest, csvFile: string): Promise<SpreadsheetCheck | { problem: Diagnostic }> {
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

/** The options the spreadsheet is read with. */
export function intakeOptions(request: IntakeRequest, csvFile: string): IntakeOptions {
  return {
    profile: request.profile,
    file: csvFile,
    columnMap: request.columnMap,
    defaultCountry: request.defaultCountry,
    dateFormat: request.dateFormat,
  };
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

/** "B (Mobile)": a column as the spreadsheet shows it. */
export function columnName(col: number, headers: readonly string[]): string {
  return `${columnLetter(col)} (${headers[col - 1] ?? ""})`;
}
