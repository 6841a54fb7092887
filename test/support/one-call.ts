/**
 * One-call forms of product functions, for tests only: each runs the product's own path (the checker a load uses,
 * the CSV a job uploads, the intake reader, the tree scan, the applied record) with the setup a test does not
 * care about. The product never needed these shortcuts, so they live here (`knip --production` found them).
 */
import { parse } from "csv-parse/sync";
import { readAppliedRecord } from "../../cli/applied-state";
import type { AppliedDigests } from "../../core/user-digest";
import type { DeclaredUser } from "../../core/declared-user";
import type { Diagnostic } from "../../core/diagnostics";
import { splitImportCsv } from "../../core/import-csv";
import { type AppendResult, appendUsersWithinLimit } from "../../core/append-users";
import type { IntakeValue } from "../../core/intake-cell-values";
import {
  createIntakeReader,
  csvSyntaxProblem,
  emptySpreadsheetProblem,
  type IntakeOptions,
  type IntakeRow,
} from "../../core/intake-spreadsheet";
import type { AttributeValue } from "../../core/declared-user";
import type { PoolProfile } from "../../core/profile";
import { createUsersFileChecker, type UsersFileResult } from "../../core/users-file";
import { scanUsersTree, type UserFileRef } from "../../load/find-user-files";

/** One users file checked on its own (compiles the schema each call). */
export function checkUsersFileText(text: string, file: string, profile: PoolProfile): UsersFileResult {
  return createUsersFileChecker(profile)(text, file);
}

/** All `users` in one import CSV for `header`: the one part `splitImportCsv` makes without limits. */
export function renderImportCsv(users: readonly DeclaredUser[], header: readonly string[]): string {
  const parts = splitImportCsv(users, header, { maxUsers: Number.MAX_SAFE_INTEGER, maxBytes: Number.POSITIVE_INFINITY });
  if (parts.length !== 1) throw new Error(`expected one import CSV part, got ${parts.length}`);
  return parts[0].csv;
}

/** The users files under `usersDir` (the tree scan's files); undefined when it is not a directory. */
export function findUserFiles(usersDir: string, repoRoot: string): UserFileRef[] | undefined {
  return scanUsersTree(usersDir, repoRoot)?.files;
}

/** The applied digests of a record file; undefined when there is no file yet. */
export function readAppliedState(file: string, userPoolId: string): AppliedDigests | undefined {
  return readAppliedRecord(file, userPoolId)?.applied;
}

export interface IntakeResult {
  rows: IntakeRow[];
  /** Column headers by 1-based index, for messages. */
  headers: string[];
  diagnostics: Diagnostic[];
  /** Rows with every cell empty: counted, not read. */
  emptyRows: number;
}

/** A whole spreadsheet's text through the product's intake reader, row by row, as the command streams it. */
export function readIntakeSpreadsheet(csvText: string, options: IntakeOptions): IntakeResult {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(csvText, { bom: true, info: true, relax_column_count: true, skip_empty_lines: false }) as unknown as typeof records;
  } catch (err) {
    return { rows: [], headers: [], diagnostics: [csvSyntaxProblem(options.file, err as Error & { lines?: number })], emptyRows: 0 };
  }
  if (records.length === 0) return { rows: [], headers: [], diagnostics: [emptySpreadsheetProblem(options.file)], emptyRows: 0 };
  const reader = createIntakeReader(options, records[0].record);
  const result: IntakeResult = { rows: [], headers: reader.headers, diagnostics: [...reader.headerDiagnostics], emptyRows: 0 };
  let nextLine = records[0].info.lines + 1;
  for (const { record, info } of records.slice(1)) {
    const read = reader.row(record, nextLine);
    nextLine = info.lines + 1;
    result.diagnostics.push(...read.diagnostics);
    if (read.row === undefined) result.emptyRows++;
    else result.rows.push(read.row);
  }
  result.diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
  return result;
}

/** Entries appended to one users file, however large it grows: the first part `appendUsersWithinLimit` makes without a limit. */
export function appendUsers(
  existing: string | undefined,
  entries: readonly Record<string, IntakeValue>[],
  modeline: string,
  newFileDefaults: Record<string, AttributeValue> = {},
): AppendResult {
  const split = appendUsersWithinLimit(existing, entries, modeline, newFileDefaults, Number.POSITIVE_INFINITY);
  return split.problem !== undefined ? { text: existing ?? "", places: [], problem: split.problem } : split.parts[0];
}
