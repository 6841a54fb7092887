/**
 * The Cognito user import CSV: renders declared users into the file an import job accepts, and splits a large
 * roster into several such files when one would break Cognito's per-job limits.
 *
 * The dialect is Cognito's, not RFC 4180 (see the reference, "CSV rules"):
 * - the header row first, exactly the header given (GetCSVHeader's, or `csvHeaderForProfile` offline); every
 *   header column is present in every row, in the header's order; a value the user does not declare is blank;
 * - `cognito:username` comes from `username`, `cognito:mfa_enabled` from `mfaEnabled`, every other column from
 *   `attributes[column]`;
 * - nothing is ever quoted; a comma inside a value is written `\,`;
 * - booleans are `TRUE`/`FALSE`; numbers are plain decimal text; `birthdate` (ISO `yyyy-mm-dd`) is `mm/dd/yyyy`;
 * - UTF-8 without a byte-order mark; every line, the last one included, ends with `\n` (a final newline makes a
 *   file a sequence of complete lines, so parts can be measured and concatenated line by line).
 *
 * Values the dialect cannot carry (line breaks, double quotes, backslashes, control characters), attributes the
 * header lacks, and rows over Cognito's 16,000-character limit are rejected by validation long before this point;
 * the renderer still refuses them by throwing an Error that names the column and the user's source file:line,
 * never the value (it may be personal data), rather than write a file Cognito would misread.
 *
 * It renders every user it is given, `enabled` or not: which users an import job should carry (new ones, not
 * leavers) is the planner's decision, not the renderer's.
 *
 * It must not: import Pulumi or AWS, touch the file system, keep module-level mutable state, or log.
 *
 * What csv-stringify's options cannot express, and is therefore done in its `cast` hooks instead:
 * - the `\,` escape: csv-stringify escapes only the quote character, and it wraps any field holding the delimiter
 *   in quotes; with `quote: false` it leaves such a field untouched, so `cast.string` writes the backslash;
 * - refusing characters the dialect cannot carry: csv-stringify would quote them, Cognito would misread them;
 * - `birthdate`'s `mm/dd/yyyy` form (a per-column rule, so it needs the column the cast context names).
 * Splitting by users and bytes is outside a stringifier's concern: rows are rendered once, measured, and grouped.
 */
import { stringify, type CastingContext, type Options } from "csv-stringify/sync";
import { MFA_COLUMN, USERNAME_COLUMN, type AttributeValue, type DeclaredUser } from "./declared-user";
import { ISO_DATE } from "./identifier-patterns";
import { IMPORT_FILE_LIMITS, MAX_CSV_ROW_LENGTH } from "./cognito-quotas";

export interface ImportCsvLimits {
  /** Users (data rows, the header not counted) per file. */
  maxUsers: number;
  /** UTF-8 bytes per file, the header row and every line end included. */
  maxBytes: number;
}

/** Cognito's per-job limits (core/cognito-quotas.ts): 500,000 users and 100 MB a file. */
export const COGNITO_IMPORT_LIMITS: ImportCsvLimits = IMPORT_FILE_LIMITS;

export interface ImportCsvPart {
  /** The file text: header row, then one row per user, each line ending in `\n`. */
  csv: string;
  /** `csv`'s length in UTF-8 bytes. */
  bytes: number;
  /** The part's users in row order: data row i (1-based) is `users[i - 1]`. */
  users: DeclaredUser[];
}

const LINE_END = "\n";
const BIRTHDATE_COLUMN = "birthdate";
/** Rendering this many users per csv-stringify call bounds the memory held by records awaiting rendering. */
const USERS_PER_RENDER_CALL = 10_000;

/**
 * Characters Cognito's CSV has no way to carry: line breaks, Unicode line and paragraph separators included
 * (a reader could start a new row), double quotes and backslashes (their meaning inside an unquoted value is
 * undocumented), and C0/C1 control characters.
 */
const UNWRITABLE_CHARACTER = /[\u0000-\u001f\u007f-\u009f"\\\u2028\u2029]/;

/**
 * Renders `users` into as few import CSVs as the limits allow, in the users' order: each part holds at most
 * `limits.maxUsers` users and at most `limits.maxBytes` bytes, and starts with the header row. A row that would
 * take its part one byte over the limit starts the next part. No users, no parts.
 *
 * Each row is rendered once. A rendered chunk that fits the current part whole is added whole; only a chunk
 * that straddles a part boundary is cut into lines and placed line by line.
 */
export function splitImportCsv(
  users: readonly DeclaredUser[],
  header: readonly string[],
  limits: ImportCsvLimits = COGNITO_IMPORT_LIMITS,
): ImportCsvPart[] {
  if (!(Number.isInteger(limits.maxUsers) && limits.maxUsers >= 1)) {
    throw new Error(`import CSV limits: maxUsers must be a whole number of at least 1 (got ${limits.maxUsers})`);
  }
  const headerLine = renderHeaderRow(header) + LINE_END;
  const headerBytes = Buffer.byteLength(headerLine, "utf8");
  const parts: ImportCsvPart[] = [];
  let partPieces: string[] = [headerLine];
  let partUsers: DeclaredUser[] = [];
  let partBytes = headerBytes;

  const closePart = () => {
    parts.push({ csv: partPieces.join(""), bytes: partBytes, users: partUsers });
    partPieces = [headerLine];
    partUsers = [];
    partBytes = headerBytes;
  };
  const addLine = (line: string, user: DeclaredUser) => {
    const lineBytes = Buffer.byteLength(line, "utf8");
    if (headerBytes + lineBytes > limits.maxBytes) {
      throw new Error(
        `${placeOf(user)}: the user's import CSV row is ${lineBytes} bytes; ` +
          `with the ${headerBytes}-byte header it cannot fit a file of at most ${limits.maxBytes} bytes`,
      );
    }
    if (partUsers.length === limits.maxUsers || partBytes + lineBytes > limits.maxBytes) closePart();
    partPieces.push(line);
    partUsers.push(user);
    partBytes += lineBytes;
  };

  renderDataChunks(users, header, (chunk) => {
    const chunkBytes = Buffer.byteLength(chunk.lines, "utf8");
    if (partUsers.length + chunk.users.length <= limits.maxUsers && partBytes + chunkBytes <= limits.maxBytes) {
      partPieces.push(chunk.lines);
      for (const user of chunk.users) partUsers.push(user);
      partBytes += chunkBytes;
      return;
    }
    let lineStart = 0;
    for (const user of chunk.users) {
      const lineEnd = chunk.lines.indexOf(LINE_END, lineStart) + LINE_END.length;
      addLine(chunk.lines.slice(lineStart, lineEnd), user);
      lineStart = lineEnd;
    }
  });
  if (partUsers.length > 0) closePart();
  return parts;
}

/** The header row, without its line end; refuses a header Cognito could not have produced for these users. */
function renderHeaderRow(header: readonly string[]): string {
  const seen = new Set<string>();
  for (const column of header) {
    if (column === "" || UNWRITABLE_CHARACTER.test(column) || column.includes(",")) {
      throw new Error(`import CSV header: column ${JSON.stringify(column)} is not an attribute name Cognito's CSV can carry`);
    }
    if (seen.has(column)) throw new Error(`import CSV header: column ${column} appears twice`);
    seen.add(column);
  }
  for (const required of [USERNAME_COLUMN, MFA_COLUMN]) {
    if (!seen.has(required)) throw new Error(`import CSV header: it has no ${required} column, so it is not a user pool's CSV header`);
  }
  return stringify(
    [header as string[]],
    cognitoDialect(() => "the header"),
  ).slice(0, -LINE_END.length);
}

/** Consecutive users' data rows: `lines` holds one row per user, in order, each ending with the line end. */
interface RenderedChunk {
  lines: string;
  users: readonly DeclaredUser[];
}

/**
 * Renders the users' data rows a chunk of users at a time (one csv-stringify call each) and hands each chunk
 * to `emit`, in order. A row never contains a line end (the cast refuses one), so the line ends in a chunk's
 * text mark its rows exactly; they are counted and measured here without cutting the text apart.
 */
function renderDataChunks(users: readonly DeclaredUser[], header: readonly string[], emit: (chunk: RenderedChunk) => void): void {
  const columns = new Set(header);
  for (let chunkStart = 0; chunkStart < users.length; chunkStart += USERS_PER_RENDER_CALL) {
    const chunk = users.slice(chunkStart, chunkStart + USERS_PER_RENDER_CALL);
    const records = chunk.map((user) => recordOf(user, header, columns));
    const options = cognitoDialect((context) => {
      const user = chunk[context.records];
      const column = typeof context.column === "number" ? header[context.column] : String(context.column);
      return `column ${column} of the user declared at ${placeOf(user)}`;
    }, header);
    const lines = stringify(records, options);
    let lineStart = 0;
    let row = 0;
    for (; lineStart < lines.length; row++) {
      const lineEnd = lines.indexOf(LINE_END, lineStart);
      if (lineEnd === -1 || row >= chunk.length) break;
      const rowCharacters = lineEnd - lineStart;
      if (rowCharacters > MAX_CSV_ROW_LENGTH) {
        throw new Error(
          `${placeOf(chunk[row])}: the user's import CSV row is ${rowCharacters} characters; Cognito accepts at most ${MAX_CSV_ROW_LENGTH}`,
        );
      }
      lineStart = lineEnd + LINE_END.length;
    }
    if (row !== chunk.length || lineStart !== lines.length) {
      // Cannot happen while the cast refuses line ends; checked because a miscount would misattribute rows.
      throw new Error(`import CSV: rendered rows do not match the ${chunk.length} users of a chunk`);
    }
    emit({ lines, users: chunk });
  }
}

/** One row's values, in the header's order; `undefined` renders blank. */
function recordOf(user: DeclaredUser, header: readonly string[], columns: ReadonlySet<string>): (AttributeValue | undefined)[] {
  for (const attribute of Object.keys(user.attributes)) {
    if (!columns.has(attribute) || attribute === USERNAME_COLUMN || attribute === MFA_COLUMN) {
      throw new Error(
        `column ${attribute} of the user declared at ${placeOf(user)}: ` +
          "the import CSV header has no such attribute (the user pool lacks it)",
      );
    }
  }
  return header.map((column) =>
    column === USERNAME_COLUMN ? user.username : column === MFA_COLUMN ? user.mfaEnabled : user.attributes[column],
  );
}

/**
 * csv-stringify set up for Cognito's dialect. `describe` names the cell being cast in error messages;
 * `header` (absent for the header row itself) lets the casts apply per-column rules.
 */
function cognitoDialect(describe: (context: CastingContext) => string, header?: readonly string[]): Options {
  const columnOf = (context: CastingContext): string | undefined =>
    header !== undefined && typeof context.column === "number" ? header[context.column] : undefined;
  return {
    delimiter: ",",
    record_delimiter: LINE_END,
    eof: true,
    bom: false,
    header: false,
    // No field is ever quoted, and with no quote character there is nothing for an escape character to escape.
    quote: false,
    quoted: false,
    quoted_empty: false,
    quoted_string: false,
    escape: "",
    // A `+` starts every E.164 phone number; formula escaping would corrupt it.
    escape_formulas: false,
    cast: {
      string: (value, context) => {
        if (UNWRITABLE_CHARACTER.test(value)) {
          throw new Error(
            `${describe(context)}: the value contains a line break, a double quote, a backslash or a control character, ` +
              "which Cognito's import CSV cannot carry",
          );
        }
        const text = columnOf(context) === BIRTHDATE_COLUMN ? usBirthdate(value, () => describe(context)) : value;
        return text.includes(",") ? text.replaceAll(",", "\\,") : text;
      },
      boolean: (value, context) => {
        if (columnOf(context) === BIRTHDATE_COLUMN) throw new Error(`${describe(context)}: the birthdate is not an ISO date (yyyy-mm-dd)`);
        return value ? "TRUE" : "FALSE";
      },
      number: (value, context) => {
        if (columnOf(context) === BIRTHDATE_COLUMN) throw new Error(`${describe(context)}: the birthdate is not an ISO date (yyyy-mm-dd)`);
        const text = String(value);
        if (!Number.isFinite(value) || /e/i.test(text)) {
          throw new Error(`${describe(context)}: the number cannot be written as plain decimal text`);
        }
        return text;
      },
      object: (_value, context) => {
        throw new Error(`${describe(context)}: the value is not a string, number or boolean`);
      },
    },
  };
}

/** ISO `yyyy-mm-dd` → Cognito's `mm/dd/yyyy`; anything else is refused (a `dd/mm` date is never guessed). */
function usBirthdate(value: string, describe: () => string): string {
  const match = ISO_DATE.exec(value);
  if (match === null) throw new Error(`${describe()}: the birthdate is not an ISO date (yyyy-mm-dd)`);
  const [, year, month, day] = match;
  return `${month}/${day}/${year}`;
}

function placeOf(user: DeclaredUser | undefined): string {
  return user === undefined ? "an unknown place" : `${user.source.file}:${user.source.line}`;
}
