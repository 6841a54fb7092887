/**
 * A spreadsheet (CSV) read as a stream, one record at a time, in bounded memory: the bytes are checked as UTF-8 and
 * fed to csv-parse's streaming parser a chunk at a time, and each record is handed to the caller with the line it
 * starts on (the header is line 1), as core/intake-spreadsheet.ts's rows expect. Nothing of the file is kept but a
 * SHA-256 of its bytes, so a caller reading it twice can tell it did not change in between.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";
import { csvSyntaxProblem, emptySpreadsheetProblem } from "../core/intake-spreadsheet";
import type { Diagnostic } from "../core/diagnostics";
import { firstInvalidUtf8, incompleteUtf8End } from "../core/utf8-bytes";

/** Read in chunks of this size: the memory a read holds is a few of these, whatever the file's size. */
const CHUNK_BYTES = 1024 * 1024;

/** A record (its cells) and the line of the file it starts on. */
export type OnRecord = (record: string[], line: number) => void;

/**
 * Reads `file` (shown as `display` in diagnostics) record by record. The first problem that stops reading (bytes
 * that are not UTF-8, text csv-parse cannot read, no header) is returned with its position; else the bytes' digest.
 */
export async function readSpreadsheetRecords(
  file: string,
  display: string,
  onRecord: OnRecord,
): Promise<{ sha256: string } | { problem: Diagnostic }> {
  const hash = createHash("sha256");
  const utf8 = new Utf8Check(display);
  let records = 0;
  let nextLine = 1;
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: false });
  parser.on("data", ({ record, info }: { record: string[]; info: { lines: number } }) => {
    onRecord(record, nextLine);
    nextLine = info.lines + 1;
    records++;
  });
  async function* checked(): AsyncGenerator<Buffer> {
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
      utf8.check(chunk as Buffer);
      hash.update(chunk as Buffer);
      yield chunk as Buffer;
    }
    utf8.end();
  }
  try {
    await pipeline(checked, parser);
  } catch (err) {
    if (err instanceof NotUtf8) return { problem: err.diagnostic };
    const e = err as Error & { code?: string; lines?: number };
    if (typeof e.code === "string" && e.code.startsWith("CSV_")) return { problem: csvSyntaxProblem(display, e) };
    throw err;
  }
  if (records === 0) return { problem: emptySpreadsheetProblem(display) };
  return { sha256: hash.digest("hex") };
}

class NotUtf8 extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/**
 * Checks bytes as UTF-8 chunk by chunk (a character may straddle two chunks) and, at the first byte that is not,
 * throws its line and column (bytes from the line's start, as the whole-file check before it reported).
 */
class Utf8Check {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  /** Bytes before the current chunk, newlines among them, and the offset just after the last newline. */
  private offset = 0;
  private newlines = 0;
  private lineStart = 0;
  /** The last bytes of the previous chunk, which may begin a character the current chunk ends. */
  private tail = Buffer.alloc(0);

  constructor(private readonly file: string) {}

  check(chunk: Buffer): void {
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.fail(chunk);
    }
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) {
      this.newlines++;
      this.lineStart = this.offset + i + 1;
    }
    this.offset += chunk.length;
    this.tail = Buffer.from(chunk.subarray(Math.max(0, chunk.length - 3)));
  }

  end(): void {
    try {
      this.decoder.decode();
    } catch {
      this.fail(Buffer.alloc(0));
    }
  }

  private fail(chunk: Buffer): never {
    const carry = incompleteUtf8End(this.tail);
    const window = Buffer.concat([this.tail.subarray(this.tail.length - carry), chunk]);
    const start = this.offset - carry;
    const at = firstInvalidUtf8(window);
    let line = this.newlines + 1;
    let lineStart = this.lineStart;
    for (let i = window.indexOf(0x0a); i !== -1 && i < at; i = window.indexOf(0x0a, i + 1)) {
      if (start + i < this.offset) continue; // a newline of the previous chunk, already counted
      line++;
      lineStart = start + i + 1;
    }
    const byte = window[at] ?? 0;
    throw new NotUtf8({
      file: this.file,
      line,
      col: start + at - lineStart + 1,
      severity: "error",
      code: "NOT_UTF8",
      message:
        `byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} is not UTF-8 (a Windows or Latin-1 export?): ` +
        'export the spreadsheet as "CSV UTF-8"',
    });
  }
}
