/**
 * The first reading of an intake spreadsheet (streamed, its rows never all held): every problem it has, its rows
 * against each other (core/intake-spreadsheet.ts) and against everyone the roster already declares, and what the
 * second reading needs (headers, row counts, the keys present, the file's digest to see it did not change).
 */
import type { Diagnostic } from "../core/diagnostics";
import { duplicateOfRoster, type RosterIdentities } from "../core/intake-roster-duplicates";
import { createIntakeReader, type IntakeOptions, type IntakeReader } from "../core/intake-spreadsheet";
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

function rosterIdentities(request: IntakeRequest): RosterIdentities {
  const roster = loadRoster({ usersDir: request.usersDir, repoRoot: request.repoRoot, profile: request.profile });
  const known: RosterIdentities = { usernames: new Map(), emails: new Map() };
  for (const u of roster.users) {
    known.usernames.set(normalizeUsername(u.username, request.profile.usernameCaseSensitive), `${u.source.file}:${u.source.line}`);
    if (typeof u.attributes.email === "string") known.emails.set(u.attributes.email.toLowerCase(), `${u.source.file}:${u.source.line}`);
  }
  return known;
}
