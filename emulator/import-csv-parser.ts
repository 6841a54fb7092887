/**
 * Cognito's import CSV dialect: UTF-8 without byte-order mark, one user per line, no quoting, a comma
 * inside a value written `\,`, values trimmed, a header naming every pool column exactly once.
 *
 * File-level problems (encoding, BOM, header, limits) make the file unparseable — the whole job fails.
 * Row-level problems (column count, characters the dialect has no encoding for) fail that row only.
 * This module does not know about users; `import-row-check.ts` judges the values.
 */

const MAX_ROW_CHARS = 16_000;
const MAX_DATA_ROWS = 500_000;
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

interface ParsedCsv {
  header: string[];
  /** Data lines, unsplit (split lazily with `splitRow` so a 500,000-row file is not held twice). */
  lines: string[];
}

export type CsvParseResult = { ok: true; csv: ParsedCsv } | { ok: false; reason: string };

/** Parses the file's structure; `expectedHeader` is the pool's GetCSVHeader list. */
export function parseImportCsv(bytes: Buffer, expectedHeader: readonly string[]): CsvParseResult {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { ok: false, reason: "The CSV file starts with a byte-order mark; it must be UTF-8 without BOM." };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: "The CSV file is not valid UTF-8." };
  }
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.endsWith("\r")) lines[i] = l.slice(0, -1);
    if (lines[i].length > MAX_ROW_CHARS)
      return { ok: false, reason: `Line ${i} of the CSV file is longer than ${MAX_ROW_CHARS} characters.` };
  }
  if (lines.length === 0 || lines[0].trim() === "") return { ok: false, reason: "The CSV file has no header row." };
  const headerLine = lines.shift() as string;
  if (lines.length > MAX_DATA_ROWS) return { ok: false, reason: `The CSV file has more than ${MAX_DATA_ROWS} users.` };
  const split = splitRow(headerLine);
  if (!split.ok) return { ok: false, reason: "The CSV header could not be parsed." };
  const header = split.fields;
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) return { ok: false, reason: `The CSV header names column ${h} more than once.` };
    seen.add(h);
  }
  const unexpected = header.filter((h) => !expectedHeader.includes(h));
  if (unexpected.length > 0) return { ok: false, reason: `Unexpected headers in the CSV file: ${unexpected.join(", ")}.` };
  const missing = expectedHeader.filter((h) => !seen.has(h));
  if (missing.length > 0) return { ok: false, reason: `The CSV header is missing columns: ${missing.join(", ")}.` };
  return { ok: true, csv: { header, lines } };
}

export type SplitResult = { ok: true; fields: string[] } | { ok: false; reason: string };

/** Splits one line on unescaped commas and trims each value. */
export function splitRow(line: string): SplitResult {
  // Fast path: most rows have neither escapes nor quotes.
  if (line.indexOf("\\") < 0 && line.indexOf('"') < 0) {
    const fields = line.split(",");
    for (let i = 0; i < fields.length; i++) fields[i] = fields[i].trim();
    return { ok: true, fields };
  }
  const fields: string[] = [];
  let current = "";
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x5c /* \ */) {
      if (line.charCodeAt(i + 1) !== 0x2c) return { ok: false, reason: "The row contains a backslash that does not escape a comma." };
      current += `${line.slice(start, i)},`;
      i++;
      start = i + 1;
    } else if (c === 0x2c /* , */) {
      fields.push((current + line.slice(start, i)).trim());
      current = "";
      start = i + 1;
    } else if (c === 0x22 /* " */) {
      return { ok: false, reason: "The row contains a quote character; values must not be quoted." };
    }
  }
  fields.push((current + line.slice(start)).trim());
  return { ok: true, fields };
}
