/**
 * The second reading of an intake spreadsheet, once the first found no problem (cli/intake-check.ts): each row
 * rendered and appended (core/append-users.ts), each users file validated as it fills (findings placed back at their
 * row and column) and written to a temporary file beside its target. Only when every part is valid, no further
 * target exists and the spreadsheet is the one checked are the temporaries renamed over their targets; otherwise
 * they are removed and nothing is written. What was added is printed (stdout) with the users file's file:line.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { type AppendPart, createUsersAppender, newFileDefaults, type UsersAppender } from "../core/append-users";
import type { AttributeValue } from "../core/declared-user";
import type { Diagnostic } from "../core/diagnostics";
import { schemaModeline } from "../core/export-users";
import { placeInSpreadsheet } from "../core/intake-finding-place";
import { createIntakeReader, type IntakeReader, type IntakeRow } from "../core/intake-spreadsheet";
import { createUsersFileChecker } from "../core/users-file";
import { readSpreadsheetRecords } from "../load/spreadsheet-records";
import { fullCollection } from "./full-collection";
import { intakeOptions, type SpreadsheetCheck } from "./intake-check";
import { Findings, fail } from "./intake-findings";
import { display, type IntakeRequest } from "./intake-request";
import { verifiedFlagNotes } from "../core/intake-verified-note";
import { EXIT_OK } from "../core/exit-codes";
import { plural } from "../core/words";

/**
 * The largest users file intake writes: half of what validation reads (10 MiB), so that validating each one as it
 * fills stays well inside the 512 MB an intake may take. Validating a file in process takes about 30 times its size
 * (a 10 MiB one about 320 MB); with 10 MiB files a 50 MB spreadsheet peaked at 524 MiB, with 5 MiB ones at 400 or
 * less (BENCHMARKS.md, "Intake").
 */
const INTAKE_FILE_BYTES = 5 * 1024 * 1024;

/** Writes the intake (see the module's header): exit 0, or 1 with every problem and nothing written. */
export async function writeIntake(request: IntakeRequest, csvFile: string, sheet: SpreadsheetCheck): Promise<number> {
  const targetFile = display(request, request.target);
  const existing = existsSync(request.target) ? readFileSync(request.target, "utf8") : undefined;
  const modeline = schemaModeline(path.relative(request.usersDir, request.target).split(path.sep).join("/"), schemaFromUsersDir(request));
  const defaults = newFileDefaults(request.profile, [...sheet.present]);
  const appender = createUsersAppender(existing, modeline, defaults, INTAKE_FILE_BYTES);
  if ("problem" in appender) return fail(Findings.of([targetNotUsersFile(targetFile, appender.problem)]));
  const groups = groupsToAdd(request.groups, existing);
  // A new office's folder is made for the temporaries; on failure it goes again, so that nothing is left.
  const newFolder = existsSync(path.dirname(request.target)) ? undefined : path.dirname(request.target);
  let written = false;
  const parts = new IntakeParts(request, csvFile, sheet.headers);
  try {
    const problem = await appendRows(request, csvFile, sheet, { appender, parts, groups, targetFile });
    if (problem !== undefined) return fail(Findings.of([problem]));
    // Past the largest users file validation reads, the rest goes to new files beside the target, never over one.
    const taken = parts.temporaries.slice(1).find(({ target }) => existsSync(target));
    if (taken !== undefined) return fail(Findings.of([targetExists(request, targetFile, parts.temporaries.length, taken.target)]));
    if (parts.findings.errors > 0) return fail(parts.findings);
    parts.findings.print();
    for (const note of verifiedFlagNotes(request.profile, [...sheet.present], existing, defaults))
      process.stderr.write(`cognito-roster intake: ${note}\n`);
    if (!request.dryRun) for (const { temporary, target } of parts.temporaries) renameSync(temporary, target);
    written = true;
  } finally {
    for (const { temporary } of parts.temporaries) rmSync(temporary, { force: true });
    if (!written && newFolder !== undefined && existsSync(newFolder)) removeIfEmpty(newFolder);
  }
  printAdded(request, targetFile, sheet, parts);
  return EXIT_OK;
}

/** The users files an intake fills: each validated as it closes and written to a temporary beside its target. */
class IntakeParts {
  readonly findings = new Findings();
  readonly temporaries: { temporary: string; target: string }[] = [];
  /** Per part, the stdout lines naming what it adds. */
  readonly added: string[] = [];
  private readonly check: ReturnType<typeof createUsersFileChecker>;

  constructor(
    private readonly request: IntakeRequest,
    private readonly csvFile: string,
    private readonly headers: readonly string[],
  ) {
    this.check = createUsersFileChecker(request.profile);
  }

  /** Validates a part that is full (or the last one), placing findings back in the spreadsheet, and writes it. */
  finish(part: AppendPart, rows: readonly IntakeRow[]): void {
    const { request, findings } = this;
    const target = partTarget(request.target, this.temporaries.length);
    const shown = display(request, target);
    // Validating up to 10 MiB takes a few hundred megabytes: it starts with the rendering's garbage collected, and
    // its own is collected before the next file, so that the peak is one file's, not the sum of several.
    fullCollection();
    for (const d of this.check(part.text, shown).diagnostics)
      findings.add(placeInSpreadsheet(d, part.places, rows, this.csvFile, this.headers));
    fullCollection();
    const temporary = `${target}.${process.pid}.tmp`;
    if (!request.dryRun && findings.errors === 0) writeTemporary(temporary, part.text);
    this.temporaries.push({ temporary, target });
    const verb = request.dryRun ? "would add" : "added";
    this.added.push(
      part.places.map((place, k) => `${shown}:${place.line}: ${verb} ${String(rows[k].entry.username)} (row ${rows[k].line})\n`).join(""),
    );
  }
}

interface AppendRowsTo {
  appender: UsersAppender;
  parts: IntakeParts;
  /** The --group names each entry gets. */
  groups: readonly string[];
  targetFile: string;
}

/**
 * The second reading itself: each row appended, a part finished whenever the next entry does not fit. The problem
 * that stops it: the spreadsheet changed since the first reading, or an entry cannot be appended.
 */
async function appendRows(
  request: IntakeRequest,
  csvFile: string,
  sheet: SpreadsheetCheck,
  to: AppendRowsTo,
): Promise<Diagnostic | undefined> {
  const { appender, parts, groups, targetFile } = to;
  let reader: IntakeReader | undefined;
  let partRows: IntakeRow[] = [];
  let problem: Diagnostic | undefined;
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
      problem = targetNotUsersFile(targetFile, appended.problem);
      return;
    }
    if (appended.closed !== undefined) {
      parts.finish(appended.closed, partRows);
      partRows = [];
    }
    partRows.push(row);
  });
  if ("problem" in read) problem ??= read.problem;
  else if (read.sha256 !== sheet.sha256) problem ??= changedWhileRead(csvFile);
  if (problem !== undefined) return problem;
  parts.finish(appender.finish(), partRows);
  return undefined;
}

/** What was added (stdout): each entry at its file:line, then one line of totals. */
function printAdded(request: IntakeRequest, targetFile: string, sheet: SpreadsheetCheck, parts: IntakeParts): void {
  for (const lines of parts.added) process.stdout.write(lines);
  const skipped = sheet.emptyRows > 0 ? `; ${plural(sheet.emptyRows, "empty row")} skipped` : "";
  const files = parts.temporaries.length;
  const where = files > 1 ? `${targetFile} and ${plural(files - 1, "new file")} beside it` : targetFile;
  const verb = request.dryRun ? "dry run: would add" : "added";
  process.stdout.write(`${verb} ${plural(sheet.rows, "trainee")} to ${where}${skipped}${request.dryRun ? "; nothing written" : ""}\n`);
}

function targetNotUsersFile(targetFile: string, message: string): Diagnostic {
  return { file: targetFile, line: 1, col: 1, severity: "error", code: "TARGET_NOT_USERS_FILE", message };
}

function targetExists(request: IntakeRequest, targetFile: string, files: number, taken: string): Diagnostic {
  const message =
    `the spreadsheet needs ${files} files (each users file intake writes is at most 5 MiB) ` +
    `and ${display(request, taken)} exists: take it into another --file NAME`;
  return { file: targetFile, line: 1, col: 1, severity: "error", code: "TARGET_EXISTS", message };
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
