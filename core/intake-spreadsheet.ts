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
import { Document, isMap, isScalar, isSeq, type Node, type Pair } from "yaml";
import { parseYamlTree } from "./yaml-tree";
import type { AttributeValue } from "./declared-user";
import { STANDARD_ATTRIBUTES } from "./declared-user";
import type { Diagnostic } from "./diagnostics";
import { ISO_DATE } from "./identifier-patterns";
import type { PoolProfile } from "./profile";
import { NUMBER_TEXT_TAG, NumberText } from "./number-text";
import { MAX_USERS_FILE_BYTES } from "./users-file-bytes";

export type DateFormat = "dd/mm/yyyy" | "mm/dd/yyyy" | "yyyy-mm-dd";
export const DATE_FORMATS: readonly DateFormat[] = ["dd/mm/yyyy", "mm/dd/yyyy", "yyyy-mm-dd"];
export const DEFAULT_COUNTRIES = ["GB"] as const;
export type DefaultCountry = (typeof DEFAULT_COUNTRIES)[number];

/** The key a column maps to, or `skip` to leave the column out on purpose. */
const SKIP = "skip";

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

const BOOLEAN_KEYS: readonly string[] = ["email_verified", "phone_number_verified", "mfa_enabled", "enabled"];

/** Every key a users file may declare, for this profile. */
function usersFileKeys(profile: PoolProfile): string[] {
  return ["username", ...STANDARD_ATTRIBUTES, ...Object.keys(profile.customAttributes).map((n) => `custom:${n}`), "mfa_enabled", "enabled"];
}

/** `A`, `B`, … `Z`, `AA`: the column letter a spreadsheet shows. */
export function columnLetter(index: number): string {
  let n = index;
  let letters = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
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
  const report = (col: number, code: string, message: string) =>
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

/** The key of each column (undefined: unmapped, reported). Every unmapped or doubly mapped column is reported. */
function mapColumns(
  headers: readonly string[],
  options: IntakeOptions,
  report: (line: number, col: number, code: string, message: string) => void,
): (string | undefined)[] {
  const known = usersFileKeys(options.profile);
  const byLooseName = new Map(known.map((k) => [looseName(k), k]));
  const used = new Map<string, number>();
  const keys = headers.map((header, index) => {
    const col = index + 1;
    const mapped = options.columnMap.get(header);
    let key: string | undefined;
    if (mapped !== undefined) {
      if (mapped !== SKIP && !known.includes(mapped)) {
        report(
          1,
          col,
          "UNKNOWN_KEY",
          `column ${columnLetter(col)} (${header}) is mapped to "${mapped}", which is not a users-file key (known: ${known.join(", ")}, or skip)`,
        );
        return undefined;
      }
      key = mapped;
    } else {
      key = byLooseName.get(looseName(header));
      if (key === undefined) {
        const hint =
          header.trim() !== header
            ? " (the header has a leading or trailing space)"
            : headers.length === 1 && /[;\t]/.test(header)
              ? " (the file looks separated by semicolons or tabs: export it as CSV, comma separated)"
              : "";
        report(1, col, "UNMAPPED_COLUMN", `column ${columnLetter(col)} (${header}) is not a users-file key${hint}: ${mappingHint(header)}`);
        return undefined;
      }
    }
    if (key !== SKIP) {
      const other = used.get(key);
      if (other !== undefined)
        report(1, col, "COLUMN_MAPPED_TWICE", `columns ${columnLetter(other)} and ${columnLetter(col)} both map to ${key}`);
      else used.set(key, col);
    }
    return key;
  });
  for (const header of options.columnMap.keys()) {
    if (!headers.includes(header))
      report(
        1,
        1,
        "MAPPED_COLUMN_MISSING",
        `the mapping names a column "${header}" the spreadsheet does not have (columns: ${headers.join(", ")})`,
      );
  }
  return keys;
}

/**
 * How to map or skip a column, in a form the command accepts: `--column "H=KEY"` needs a header that is not empty
 * and that a shell passes through double quotes unchanged; any other header goes in a --map file (YAML keys can be
 * any text, the empty one included).
 */
function mappingHint(header: string): string {
  if (header !== "" && !/["$`\\!]/.test(header))
    return `map it with --column "${header}=KEY" or leave it out with --column "${header}=skip"`;
  const name = header === "" ? "the column has no header" : "its header cannot be passed safely in --column";
  return `${name}: give it a header in the spreadsheet, or map it in a --map file with the line ${JSON.stringify(header)}: KEY (or skip)`;
}

/** `Given Name`, `given-name`, `GIVEN_NAME` → `given_name`: how a header matches a key. */
function looseName(text: string): string {
  return text.toLowerCase().replace(/[\s-]+/g, "_");
}

function cellValue(
  key: string,
  cell: string,
  options: IntakeOptions,
  fail: (code: string, message: string) => void,
): IntakeValue | undefined {
  if (cell.trim() !== cell) {
    const where = cell.trimEnd() !== cell ? (cell.trimStart() !== cell ? "leading and trailing space" : "trailing space") : "leading space";
    fail(
      where === "trailing space" ? "TRAILING_SPACE" : "LEADING_SPACE",
      `${where} in ${JSON.stringify(cell)}: remove it in the spreadsheet`,
    );
    return undefined;
  }
  const mangled = spreadsheetMangling(key, cell);
  if (mangled !== undefined) {
    fail(mangled.code, mangled.message);
    return undefined;
  }
  if (BOOLEAN_KEYS.includes(key)) {
    if (/^true$/i.test(cell)) return true;
    if (/^false$/i.test(cell)) return false;
    fail("WRONG_TYPE", `${key} must be TRUE or FALSE (got ${JSON.stringify(cell)})`);
    return undefined;
  }
  if (key === "phone_number") return phoneValue(cell, options.defaultCountry, fail);
  if (key === "birthdate") return dateValue(cell, options.dateFormat, fail);
  const custom = key.startsWith("custom:") ? options.profile.customAttributes[key.slice(7)] : undefined;
  if (custom?.type === "Number") {
    if (!/^-?\d+$/.test(cell)) {
      fail("WRONG_TYPE", `${key} must be a whole number (got ${JSON.stringify(cell)})`);
      return undefined;
    }
    // The digits as written, never a float: 12345678901234567890 stays 20 digits.
    return new NumberText(cell);
  }
  return cell;
}

/** Keys holding identifiers, whose digits a spreadsheet must not reformat (phone numbers have their own check). */
const IDENTIFIER_KEYS: readonly string[] = ["username", "email", "preferred_username"];

/**
 * What a spreadsheet does to a value before it is exported, refused rather than guessed back: the apostrophe it uses
 * to mark text (`'0123`), a long number shown in scientific notation (`4.4779E+11`: the digits after the fifth are
 * gone), and a date kept as its serial number (`31082`, days since 1899-12-30 in Excel's calendar).
 */
function spreadsheetMangling(key: string, cell: string): { code: string; message: string } | undefined {
  if (cell.startsWith("'"))
    return {
      code: "SPREADSHEET_APOSTROPHE",
      message: `${JSON.stringify(cell)} starts with an apostrophe, the spreadsheet's mark for text: remove it in the spreadsheet and export again`,
    };
  const identifier = IDENTIFIER_KEYS.includes(key) || key.startsWith("custom:");
  if (identifier && /^[-+]?\d+(\.\d+)?[eE][-+]?\d+$/.test(cell))
    return {
      code: "SPREADSHEET_SCIENTIFIC",
      message: `${JSON.stringify(cell)} is a number the spreadsheet turned into scientific notation, which loses digits: format the column as text and export again`,
    };
  if (key === "birthdate" && /^\d{4,5}(\.\d+)?$/.test(cell)) {
    const serial = Math.floor(Number(cell));
    const date = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
    return {
      code: "SPREADSHEET_SERIAL_DATE",
      message: `${JSON.stringify(cell)} is a date the spreadsheet exported as its serial number (${date} in Excel's calendar): format the column as a date (or text) and export again`,
    };
  }
  return undefined;
}

/** E.164 as written, or — only with a default country — a national mobile number made E.164. */
function phoneValue(cell: string, country: DefaultCountry | undefined, fail: (code: string, message: string) => void): string | undefined {
  if (/^\+[1-9]\d{1,14}$/.test(cell)) return cell;
  if (/e\+?\d+$/i.test(cell)) {
    fail(
      "INVALID_PHONE",
      `${JSON.stringify(cell)} is a number the spreadsheet turned into scientific notation: format the column as text and export again`,
    );
    return undefined;
  }
  if (country === undefined) {
    fail(
      "INVALID_PHONE",
      `${JSON.stringify(cell)} is not E.164 (+ then country code and digits, e.g. +447700900123); --default-country GB converts UK numbers`,
    );
    return undefined;
  }
  const digits = cell.replace(/[\s().-]/g, "");
  const uk = /^(?:\+44(?:0)?|0044|44|0)(7\d{9})$/.exec(digits);
  if (!uk) {
    fail("INVALID_PHONE", `${JSON.stringify(cell)} is not a UK mobile number (07… with 11 digits, or +44 7…)`);
    return undefined;
  }
  return `+44${uk[1]}`;
}

/** An ISO date from a cell written in the declared format; dates that do not exist are errors. */
function dateValue(cell: string, format: DateFormat | undefined, fail: (code: string, message: string) => void): string | undefined {
  if (format === undefined) {
    if (ISO_DATE.test(cell) && isRealDate(cell)) return cell;
    fail(
      "DATE_FORMAT_NEEDED",
      `${JSON.stringify(cell)}: say how dates are written with --date-format dd/mm/yyyy (or mm/dd/yyyy, yyyy-mm-dd); they are never guessed`,
    );
    return undefined;
  }
  const pattern = format === "yyyy-mm-dd" ? /^(\d{4})-(\d{1,2})-(\d{1,2})$/ : /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
  const m = pattern.exec(cell);
  if (!m) {
    fail("INVALID_DATE", `${JSON.stringify(cell)} is not a date written ${format}`);
    return undefined;
  }
  const [year, month, day] =
    format === "yyyy-mm-dd" ? [m[1], m[2], m[3]] : format === "dd/mm/yyyy" ? [m[3], m[2], m[1]] : [m[3], m[1], m[2]];
  const iso = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  if (!isRealDate(iso)) {
    fail("INVALID_DATE", `${JSON.stringify(cell)} is not a date that exists (read as ${format})`);
    return undefined;
  }
  return iso;
}

function isRealDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

/** Without a username column, a pool whose usernames are email addresses takes the email. */
function deriveUsername(row: IntakeRow, options: IntakeOptions, fail: (col: number, code: string, message: string) => void): void {
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

/** What one file an intake writes holds: its text and where each appended entry is. @internal exported for its tests */
export interface AppendResult {
  text: string;
  /** Per appended entry, in order: the line of its `- ` and the line of each key. */
  places: { line: number; col: number; keyLines: Record<string, number> }[];
  /** Set when the existing file cannot take entries (not a users file); nothing else is then meaningful. */
  problem?: string;
}

/** A value intake writes: an attribute value, or a Number attribute's exact digits (core/number-text.ts). */
export type IntakeValue = AttributeValue | NumberText;

/** One file an intake writes: the target (existing text first) or a new file after it, with the entries it holds. */
export interface AppendPart extends AppendResult {
  entries: number;
}

/**
 * Appends entries to a users file's `users:` list as new lines after the existing text, which is kept byte for byte:
 * not one existing line is rewritten (a reformatting YAML round trip would change quotes, spacing or `True`).
 * That needs `users:` to be the file's last top-level key, a block list (or empty); otherwise nothing is written
 * and the problem says so, with the fixes the command accepts. Creates the file (modeline first) when there is none.
 * Split so that no file passes `maxBytes` (the largest users file validation reads): the target takes
 * the entries that fit, in order, and each further new file (modeline and defaults first) the next ones. Nothing of
 * the existing text is rewritten. `problem` when the target cannot be appended to, or one entry alone is too big.
 * @internal exported for its tests
 */
export function appendUsersWithinLimit(
  existing: string | undefined,
  entries: readonly Record<string, IntakeValue>[],
  modeline: string,
  newFileDefaults: Record<string, AttributeValue> = {},
  maxBytes = MAX_USERS_FILE_BYTES,
): { parts: AppendPart[]; problem?: string } {
  const appender = createUsersAppender(existing, modeline, newFileDefaults, maxBytes);
  if ("problem" in appender) return { parts: [], problem: appender.problem };
  const parts: AppendPart[] = [];
  for (const entry of entries) {
    const added = appender.add(entry);
    if ("problem" in added) return { parts: [], problem: added.problem };
    if (added.closed !== undefined) parts.push(added.closed);
  }
  parts.push(appender.finish());
  return { parts };
}

/**
 * `appendUsersWithinLimit` one entry at a time, holding only the part being filled: `add` hands back the part an
 * entry closed (when it did not fit), `finish` the last one. Each entry is rendered once, its places counted from
 * the rendering, so the work is linear in the entries.
 */
export interface UsersAppender {
  add(entry: Record<string, IntakeValue>): { closed?: AppendPart } | { problem: string };
  finish(): AppendPart;
}

export function createUsersAppender(
  existing: string | undefined,
  modeline: string,
  newFileDefaults: Record<string, AttributeValue> = {},
  maxBytes = MAX_USERS_FILE_BYTES,
): UsersAppender | { problem: string } {
  const target = appendTarget(existing ?? newUsersFileText(modeline, newFileDefaults));
  if ("problem" in target) return target;
  const fresh = newUsersFileText(modeline, newFileDefaults);
  const open = (base: string, indent: number): OpenPart => {
    const text = base === "" || base.endsWith("\n") ? base : `${base}\n`;
    return { base: text, indent, items: [], places: [], bytes: Buffer.byteLength(text, "utf8"), nextLine: countLines(text) + 1 };
  };
  let part = open(target.text, target.indent);
  const close = (p: OpenPart): AppendPart => ({ text: p.base + p.items.join(""), places: p.places, entries: p.items.length });
  return {
    add(entry) {
      let item = renderItems([entry], part.indent);
      let closed: AppendPart | undefined;
      if (part.bytes + Buffer.byteLength(item, "utf8") > maxBytes) {
        closed = close(part);
        part = open(fresh, 2);
        item = renderItems([entry], part.indent);
        if (part.bytes + Buffer.byteLength(item, "utf8") > maxBytes)
          return { problem: `one entry is larger than a users file may be (${maxBytes} bytes)` };
      }
      part.places.push(itemPlace(item, part.indent, part.nextLine));
      part.nextLine += countLines(item);
      part.items.push(item);
      part.bytes += Buffer.byteLength(item, "utf8");
      return { closed };
    },
    finish: () => close(part),
  };
}

interface OpenPart {
  base: string;
  indent: number;
  items: string[];
  places: AppendResult["places"];
  bytes: number;
  /** The line the next item starts on. */
  nextLine: number;
}

/**
 * Where a rendered item lands when it starts on `line`: the line of its `- `, the column of its first key, and the
 * line of each of its keys. Counted from the rendering, not by parsing the result: a 10 MiB file parsed by the yaml
 * package would take over a gigabyte (core/yaml-tree.ts).
 */
function itemPlace(item: string, indent: number, line: number): AppendResult["places"][number] {
  const keyAt = new RegExp(`^ {${indent + 2}}([^\\s#-]\\S*?):(?: |$)`);
  const lines = item.split("\n");
  lines.pop(); // the text after the item's last line break
  const keyLines: Record<string, number> = {};
  lines.forEach((text, i) => {
    const key = i === 0 ? /^ *- (\S+?):(?: |$)/.exec(text) : keyAt.exec(text);
    if (key !== null) keyLines[key[1]] = line + i;
  });
  return { line, col: indent + 3, keyLines };
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * The text new items follow and the column they start at (that of the existing items, else 2), or why entries cannot
 * be appended to this file without changing one of its lines. The one change made: an empty `users: []` (the
 * documented way to write "no users yet") loses its `[]`, so items can follow it.
 */
function appendTarget(text: string): { text: string; indent: number } | { problem: string } {
  const indent = appendIndent(text);
  if (typeof indent === "number") return { text, indent };
  if (!("emptyFlow" in indent)) return indent;
  const [start, end] = indent.emptyFlow;
  let before = start;
  while (before > 0 && text[before - 1] === " ") before--;
  return { text: text.slice(0, before) + text.slice(end), indent: 2 };
}

function appendIndent(text: string): number | { problem: string } | { emptyFlow: [number, number] } {
  // The project's bounded parse (a plain 10 MiB file in its fast path), not the yaml package's on the whole text.
  const tree = parseYamlTree(text);
  if (tree.unusable) return { problem: `the file is not valid YAML (${tree.problems[0]?.message ?? "unreadable"}): fix it first` };
  const elsewhere = "or take the spreadsheet into a new file with --file NAME";
  if (tree.root === null) return { problem: `the file has no users: list: add a line users: at its end, ${elsewhere}` };
  if (!isMap(tree.root)) return { problem: "the file is not a users file (a mapping with users:)" };
  const pairs = tree.root.items as Pair<Node, Node | null>[];
  const last = pairs[pairs.length - 1];
  const lastKey = last === undefined ? undefined : String((last.key as unknown as { value: unknown }).value);
  if (lastKey !== "users") {
    const has = pairs.some((p) => String((p.key as unknown as { value: unknown }).value) === "users");
    return {
      problem: has
        ? `users: is not the last key of the file, so new entries cannot go at its end without rewriting it: move users: to the end, ${elsewhere}`
        : `the file has no users: list: add a line users: at its end, ${elsewhere}`,
    };
  }
  const users = last.value;
  if (users === null || (isScalar(users) && users.value === null)) return 2;
  if (!isSeq(users)) return { problem: "users: in the file is not a list" };
  if (users.flow && users.items.length === 0 && users.range) return { emptyFlow: [users.range[0], users.range[1]] };
  if (users.flow)
    return {
      problem: `users: is written as a flow list ([…]), which new entries cannot follow without rewriting it: write it as a block list (users: on its own line, "- " items below), ${elsewhere}`,
    };
  const first = users.items[0] as Node | undefined;
  const offset = first?.range?.[0];
  if (offset === undefined) return 2;
  // The item's own column is after its "- ": the dash is two columns to the left.
  return Math.max(0, tree.linePos(offset).col - 3);
}

/** The entries as block-list items at `indent`, each line of the yaml package's rendering shifted right. */
function renderItems(entries: readonly Record<string, IntakeValue>[], indent: number): string {
  const rendered = new Document(entries, { customTags: [NUMBER_TEXT_TAG] }).toString({ lineWidth: 0 });
  const pad = " ".repeat(indent);
  return rendered
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => `${pad}${line}\n`)
    .join("");
}

function newUsersFileText(modeline: string, defaults: Record<string, AttributeValue>): string {
  const lines = [`# ${modeline}`];
  if (Object.keys(defaults).length > 0) {
    lines.push("# Defaults chosen by `cognito-roster intake` from the stack profile; change them if they do not fit.");
    lines.push(new Document({ defaults }).toString().trimEnd());
  }
  lines.push("users:", "");
  return lines.join("\n");
}

/**
 * Defaults for a new users file, from the stack profile: the MFA setting an ON or OFF pool requires, and
 * `email_verified: true` when the pool auto-verifies email (an import row needs a verified auto-verified attribute;
 * the office vouches for the addresses it sends). OPTIONAL MFA and phone verification are left to the spreadsheet.
 */
export function newFileDefaults(profile: PoolProfile, columnsPresent: readonly string[]): Record<string, AttributeValue> {
  const defaults: Record<string, AttributeValue> = {};
  if (profile.autoVerifiedAttributes.includes("email") && columnsPresent.includes("email") && !columnsPresent.includes("email_verified"))
    defaults.email_verified = true;
  if (profile.mfaConfiguration !== "OPTIONAL" && !columnsPresent.includes("mfa_enabled"))
    defaults.mfa_enabled = profile.mfaConfiguration === "ON";
  return defaults;
}
