/**
 * Whether a new intake row declares someone the roster already declares, by username (normalised as the pool
 * compares usernames) or by email (letter case aside): one error at the row and column, per row. Pure: the
 * identities are gathered by the caller (cli/intake-check.ts).
 */
import type { Diagnostic } from "./diagnostics";
import type { IntakeValue } from "./intake-cell-values";
import { columnName } from "./intake-columns";
import type { IntakeRow } from "./intake-spreadsheet";
import { normalizeUsername } from "./user-digest";

export /** Everyone the roster already declares: normalised username, and lower-case email, → file:line. */
interface RosterIdentities {
  usernames: Map<string, string>;
  emails: Map<string, string>;
}

export /** A new user the roster already declares (by username or email): an error at the row and column. */
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
