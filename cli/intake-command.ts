/**
 * `cognito-roster intake FILE.csv --office NAME [--users DIR] [--stack NAME] [--file NAME] [--map FILE] [--column CSV=KEY]...
 * [--default-country GB] [--date-format F] [--dry-run]`: takes in a local office's spreadsheet.
 *
 * A thin shell: reads the files, asks core/intake-spreadsheet.ts to read the spreadsheet and append the entries,
 * refuses duplicates of anyone the roster already declares, runs the project's validator over the result, and
 * writes only when there is no error at all (never with --dry-run). Every problem is reported at once, by the
 * spreadsheet's row and column. What was added is printed (stdout) with the users file's file:line.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import type { AttributeValue } from "../core/declared-user";
import type { Diagnostic } from "../core/diagnostics";
import { schemaModeline, isFolderName } from "../core/export-users";
import { USERS_FILE_NAME } from "../core/identifier-patterns";
import {
  appendUsersWithinLimit,
  type AppendPart,
  columnLetter,
  newFileDefaults,
  DATE_FORMATS,
  DEFAULT_COUNTRIES,
  readIntakeSpreadsheet,
  type DateFormat,
  type DefaultCountry,
  type IntakeRow,
  type IntakeValue,
} from "../core/intake-spreadsheet";
import { loadRoster } from "../load/load-roster";
import type { PoolProfile } from "../core/profile";
import { verifiedFlagNotes } from "./intake-verified-note";
import { loadStackProfile } from "../load/stack-profile";
import { normalizeUsername } from "../core/user-digest";
import { createUsersFileChecker } from "../core/users-file";
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, formatDiagnosticFor, type FlagOptions, parseCommandLine, plural } from "./command-line";

export const INTAKE_USAGE =
  "usage: cognito-roster intake FILE.csv --office NAME [--users DIR] [--stack NAME] [--file NAME] [--map FILE] [--column CSV=KEY]... [--default-country GB] [--date-format dd/mm/yyyy|mm/dd/yyyy|yyyy-mm-dd] [--group NAME]... [--dry-run]";

const INTAKE_OPTIONS = {
  office: { type: "string" },
  users: { type: "string", default: "users" },
  stack: { type: "string", default: "dev" },
  file: { type: "string", default: "intake.yaml" },
  map: { type: "string" },
  column: { type: "string", multiple: true },
  "default-country": { type: "string" },
  "date-format": { type: "string" },
  "dry-run": { type: "boolean", default: false },
  group: { type: "string", multiple: true },
} as const satisfies FlagOptions;

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
  if (typeof request === "string") {
    process.stderr.write(`cognito-roster intake: ${request}\n${INTAKE_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (request === undefined) return EXIT_USAGE;
  const csvFile = display(request, request.csvPath);
  const targetFile = display(request, request.target);
  const text = decodeSpreadsheet(readFileSync(request.csvPath), csvFile);
  if (typeof text !== "string") return fail([text]);

  const sheet = readIntakeSpreadsheet(text, {
    profile: request.profile,
    file: csvFile,
    columnMap: request.columnMap,
    defaultCountry: request.defaultCountry,
    dateFormat: request.dateFormat,
  });
  const problems = [...sheet.diagnostics, ...duplicatesOfRoster(request, sheet.rows, csvFile, sheet.headers)];
  if (sheet.rows.length === 0 && problems.length === 0) {
    process.stderr.write(
      `cognito-roster intake: ${csvFile} has no trainees (only a header${sheet.emptyRows > 0 ? ` and ${plural(sheet.emptyRows, "empty row")}` : ""}): nothing written\n`,
    );
    return EXIT_PROBLEMS;
  }
  if (problems.length > 0) return fail(problems);

  const existing = existsSync(request.target) ? readFileSync(request.target, "utf8") : undefined;
  const modeline = schemaModeline(path.relative(request.usersDir, request.target).split(path.sep).join("/"), schemaFromUsersDir(request));
  const present = [...new Set(sheet.rows.flatMap((r) => Object.keys(r.entry)))];
  const entries = withGroups(
    sheet.rows.map((r) => r.entry),
    request.groups,
    existing,
  );
  const defaults = newFileDefaults(request.profile, present);
  const split = appendUsersWithinLimit(existing, entries, modeline, defaults);
  if (split.problem !== undefined)
    return fail([{ file: targetFile, line: 1, col: 1, severity: "error", code: "TARGET_NOT_USERS_FILE", message: split.problem }]);
  // Past the largest users file validation reads, the rest goes to new files beside the target, never over one.
  const targets = split.parts.map((_, i) => partTarget(request.target, i));
  const taken = targets.slice(1).filter((t) => existsSync(t));
  if (taken.length > 0) {
    const message = `the spreadsheet needs ${split.parts.length} files (each users file is at most 10 MiB) and ${display(request, taken[0])} exists: take it into another --file NAME`;
    return fail([{ file: targetFile, line: 1, col: 1, severity: "error", code: "TARGET_EXISTS", message }]);
  }

  // The project's validator over each resulting file: findings in new entries go back to their row and column.
  const check = createUsersFileChecker(request.profile);
  const placed: Diagnostic[] = [];
  let first = 0;
  split.parts.forEach((part, i) => {
    const rows = sheet.rows.slice(first, first + part.entries);
    for (const d of check(part.text, display(request, targets[i])).diagnostics)
      placed.push(placeInSpreadsheet(d, part.places, rows, csvFile, sheet.headers));
    first += part.entries;
  });
  if (placed.some((d) => d.severity === "error")) return fail(placed);
  for (const d of placed) process.stderr.write(`${formatDiagnosticFor(d, process.stderr)}\n`);

  for (const note of verifiedFlagNotes(request.profile, present, existing, defaults))
    process.stderr.write(`cognito-roster intake: ${note}\n`);
  if (!request.dryRun) {
    split.parts.forEach((part, i) => {
      writeAtomically(targets[i], part.text);
    });
  }
  const verb = request.dryRun ? "would add" : "added";
  let row = 0;
  split.parts.forEach((part, i) => {
    for (const place of part.places) {
      const r = sheet.rows[row++];
      process.stdout.write(`${display(request, targets[i])}:${place.line}: ${verb} ${String(r.entry.username)} (row ${r.line})\n`);
    }
  });
  const skipped = sheet.emptyRows > 0 ? `; ${plural(sheet.emptyRows, "empty row")} skipped` : "";
  const where = split.parts.length > 1 ? `${targetFile} and ${plural(split.parts.length - 1, "new file")} beside it` : targetFile;
  process.stdout.write(
    `${request.dryRun ? "dry run: would add" : "added"} ${plural(sheet.rows.length, "trainee")} to ${where}${skipped}${request.dryRun ? "; nothing written" : ""}\n`,
  );
  return EXIT_OK;
}

/** The target for part `index` of an intake: the file itself, then `intake-2.yaml`, `intake-3.yaml`, … */
function partTarget(target: string, index: number): string {
  if (index === 0) return target;
  const ext = path.extname(target);
  return `${target.slice(0, target.length - ext.length)}-${index + 1}${ext}`;
}

function fail(problems: readonly Diagnostic[]): number {
  const sorted = [...problems].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
  for (const d of sorted) process.stderr.write(`${formatDiagnosticFor(d, process.stderr)}\n`);
  const errors = sorted.filter((d) => d.severity === "error").length;
  process.stderr.write(`cognito-roster intake: ${plural(errors, "problem")}; nothing written\n`);
  return EXIT_PROBLEMS;
}

/** The request, a usage message, or undefined when a configuration problem was already printed. */
function intakeRequest(args: string[]): IntakeRequest | string | undefined {
  const parsed = parseCommandLine(args, INTAKE_OPTIONS, 1);
  if (typeof parsed === "string") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length === 0) return "name the spreadsheet: cognito-roster intake FILE.csv --office NAME";
  if (values.office === undefined) return "--office NAME is required: the local office folder the trainees go in (e.g. london)";
  if (!isFolderName(values.office))
    return `--office ${JSON.stringify(values.office)} is not a folder name (lower-case letters, digits and -, e.g. north-west)`;
  if (!USERS_FILE_NAME.test(values.file) || values.file.startsWith("."))
    return `--file must be a plain file name ending .yaml or .yml (got ${JSON.stringify(values.file)})`;
  const country = values["default-country"];
  if (country !== undefined && !(DEFAULT_COUNTRIES as readonly string[]).includes(country))
    return `--default-country must be one of ${DEFAULT_COUNTRIES.join(", ")} (got ${country})`;
  const dateFormat = values["date-format"];
  if (dateFormat !== undefined && !(DATE_FORMATS as readonly string[]).includes(dateFormat))
    return `--date-format must be one of ${DATE_FORMATS.join(", ")} (got ${dateFormat})`;

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
 * Each new entry with `groups:` for the --group names the file's defaults do not already give (a user's groups
 * are the defaults' and their own together).
 */
function withGroups(
  entries: Record<string, IntakeValue>[],
  groups: readonly string[],
  existing: string | undefined,
): Record<string, IntakeValue>[] {
  if (groups.length === 0) return entries;
  let given: unknown;
  try {
    given = existing === undefined ? undefined : (parseYaml(existing) as { defaults?: { groups?: unknown } } | null)?.defaults?.groups;
  } catch {
    given = undefined; // an unreadable file is reported by appendUsers
  }
  const own = groups.filter((g) => !(Array.isArray(given) && given.includes(g)));
  if (own.length === 0) return entries;
  // A list, which AttributeValue does not cover: the users file's `groups` key.
  return entries.map((entry) => ({ ...entry, groups: [...own] as unknown as AttributeValue }));
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

/** UTF-8 text (a BOM is fine: csv-parse removes it), or a diagnostic at the first byte that is not UTF-8. */
function decodeSpreadsheet(bytes: Buffer, file: string): string | Diagnostic {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, at - 1) + 1;
    const line = bytes.subarray(0, lineStart).filter((b) => b === 0x0a).length + 1;
    return {
      file,
      line,
      col: at - lineStart + 1,
      severity: "error",
      code: "NOT_UTF8",
      message: `byte 0x${bytes[at].toString(16).toUpperCase().padStart(2, "0")} is not UTF-8 (a Windows or Latin-1 export?): export the spreadsheet as "CSV UTF-8"`,
    };
  }
}

/** The offset of the first byte that does not start (or belong to) a well-formed UTF-8 character. */
function firstInvalidUtf8(bytes: Buffer): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    try {
      decoder.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return bytes.length;
}

/** New users that the roster already declares (by username or email): one error each, at the row and column. */
function duplicatesOfRoster(request: IntakeRequest, rows: readonly IntakeRow[], csvFile: string, headers: readonly string[]): Diagnostic[] {
  const roster = loadRoster({ usersDir: request.usersDir, repoRoot: request.repoRoot, profile: request.profile });
  const caseSensitive = request.profile.usernameCaseSensitive;
  const usernames = new Map<string, string>();
  const emails = new Map<string, string>();
  for (const u of roster.users) {
    usernames.set(normalizeUsername(u.username, caseSensitive), `${u.source.file}:${u.source.line}`);
    if (typeof u.attributes.email === "string") emails.set(u.attributes.email.toLowerCase(), `${u.source.file}:${u.source.line}`);
  }
  const out: Diagnostic[] = [];
  for (const row of rows) {
    const checks: [string, IntakeValue | undefined, Map<string, string>, string][] = [
      [
        "username",
        row.entry.username,
        usernames,
        typeof row.entry.username === "string" ? normalizeUsername(row.entry.username, caseSensitive) : "",
      ],
      ["email", row.entry.email, emails, String(row.entry.email ?? "").toLowerCase()],
    ];
    for (const [key, value, known, normal] of checks) {
      if (typeof value !== "string") continue;
      const where = known.get(normal);
      if (where === undefined) continue;
      const col = row.columnOf[key] ?? 1;
      out.push({
        file: csvFile,
        line: row.line,
        col,
        severity: "error",
        code: "ALREADY_IN_ROSTER",
        message: `column ${columnName(col, headers)}: this ${key} is already declared at ${where}`,
      });
      break; // one root cause, one message: the email of a duplicate username is the same person
    }
  }
  return out;
}

/** A validator finding in the resulting file, moved to the spreadsheet row and column it came from when it is in a new entry. */
function placeInSpreadsheet(
  d: Diagnostic,
  places: AppendPlaces,
  rows: readonly IntakeRow[],
  csvFile: string,
  headers: readonly string[],
): Diagnostic {
  for (let i = places.length - 1; i >= 0; i--) {
    const place = places[i];
    if (d.line < place.line) continue;
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
  return d;
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

function writeAtomically(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

function display(request: IntakeRequest, file: string): string {
  return path.relative(request.repoRoot, file).split(path.sep).join("/");
}
