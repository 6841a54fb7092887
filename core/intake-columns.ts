/**
 * Which users-file key each column of an intake spreadsheet holds: a column named like a key (`email`,
 * `given_name`, `custom:tisId`, letter case and spaces aside) maps itself; others through the mapping the caller
 * passes (a `--map` file or `--column` flags), or `skip` to leave a column out on purpose. Every unmapped, wrongly
 * mapped or doubly mapped column is reported on the header row, with the flag that fixes it.
 */
import type { DiagnosticCode } from "./diagnostics";
import { STANDARD_ATTRIBUTES } from "./declared-user";
import type { IntakeOptions } from "./intake-spreadsheet";
import type { PoolProfile } from "./profile";

/** The key a column maps to, or `skip` to leave the column out on purpose. */
export const SKIP = "skip";

/** Every key a users file may declare, for this profile. */
export function usersFileKeys(profile: PoolProfile): string[] {
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

export /** The key of each column (undefined: unmapped, reported). Every unmapped or doubly mapped column is reported. */
function mapColumns(
  headers: readonly string[],
  options: IntakeOptions,
  report: (line: number, col: number, code: DiagnosticCode, message: string) => void,
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
          `column ${columnLetter(col)} (${header}) is mapped to "${mapped}", ` +
            `which is not a users-file key (known: ${known.join(", ")}, or skip)`,
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

/** "B (Mobile)": a column as the spreadsheet shows it. */
export function columnName(col: number, headers: readonly string[]): string {
  return `${columnLetter(col)} (${headers[col - 1] ?? ""})`;
}
