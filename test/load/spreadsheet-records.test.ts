/**
 * The streamed spreadsheet reader: records and the lines they start on as the whole-file parse gives them, UTF-8
 * checked across the edges of the chunks it reads (1 MiB), problems placed at their line and column.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { readSpreadsheetRecords } from "../../load/spreadsheet-records";

const CHUNK = 1024 * 1024;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "spreadsheet-records-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function read(bytes: Buffer | string) {
  const file = path.join(dir, "sheet.csv");
  writeFileSync(file, bytes);
  const records: { record: string[]; line: number }[] = [];
  const result = await readSpreadsheetRecords(file, "sheet.csv", (record, line) => records.push({ record, line }));
  return { records, result };
}

test("records with the line each starts on: a BOM removed, CRLF, a quoted cell over two lines, empty rows kept", async () => {
  // As a spreadsheet's "CSV UTF-8" export writes them: CRLF between rows, LF inside a cell.
  const { records, result } = await read('\uFEFFemail,address\r\na@example.com,"Flat 1,\nLeeds"\r\n,\r\nb@example.com,x\r\n');
  expect(records).toEqual([
    { record: ["email", "address"], line: 1 },
    { record: ["a@example.com", "Flat 1,\nLeeds"], line: 2 },
    { record: ["", ""], line: 4 },
    { record: ["b@example.com", "x"], line: 5 },
  ]);
  expect(result).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
});

test("a character split across two chunks is read whole", async () => {
  // The 2-byte ë starts on the last byte of the first chunk.
  const head = "email,given_name\n";
  const filler = `${"a".repeat(CHUNK - 1 - head.length - "Zo".length - 1)}\n`;
  const text = `${head}${filler}Zo\u00eb,x\n`;
  expect(Buffer.byteLength(`${head}${filler}Zo`)).toBe(CHUNK - 1);
  const { records, result } = await read(text);
  expect("sha256" in result).toBe(true);
  expect(records[2].record).toEqual(["Zo\u00eb", "x"]);
});

test("bytes that are not UTF-8 are placed at their line and byte column, in a later chunk too", async () => {
  const head = "email,given_name\n";
  const filler = `${"a".repeat(CHUNK)}\n`;
  const bytes = Buffer.concat([Buffer.from(`${head}${filler}amy@example.com,Zo`), Buffer.from([0xeb]), Buffer.from("\n")]);
  const { result } = await read(bytes);
  expect(result).toEqual({
    problem: expect.objectContaining({
      file: "sheet.csv",
      line: 3,
      col: 19,
      code: "NOT_UTF8",
      message: expect.stringMatching(/^byte 0xEB is not UTF-8/),
    }),
  });
});

test("a character cut off by the end of the file is not UTF-8", async () => {
  const { result } = await read(Buffer.concat([Buffer.from("email\nZo"), Buffer.from([0xc3])]));
  expect(result).toEqual({ problem: expect.objectContaining({ line: 2, col: 3, code: "NOT_UTF8" }) });
});

test("an empty file and a broken quote are problems with a position", async () => {
  expect((await read("")).result).toEqual({ problem: expect.objectContaining({ line: 1, code: "CSV_EMPTY" }) });
  expect((await read('email\n"amy@example.com\n')).result).toEqual({ problem: expect.objectContaining({ code: "CSV_SYNTAX" }) });
});
