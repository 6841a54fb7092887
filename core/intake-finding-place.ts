/**
 * Where a finding of the validator in a users file an intake wrote came from in the spreadsheet: the row of the
 * entry it is in, and the column of the key it is about (a finding about the whole entry stays on the row). Pure:
 * the places each entry landed at come from core/append-users.ts.
 */
import type { AppendPart } from "./append-users";
import type { Diagnostic } from "./diagnostics";
import { columnName } from "./intake-columns";
import type { IntakeRow } from "./intake-spreadsheet";

/** A validator finding in the resulting file, moved to the spreadsheet row and column it came from when it is in a new entry. */
export function placeInSpreadsheet(
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
