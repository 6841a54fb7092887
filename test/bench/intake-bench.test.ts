/**
 * A smoke run of the intake benchmark (bench/intake-bench.ts) at a small size: the generated spreadsheet is taken
 * in by `cognito-roster intake` and the harness reads what it wrote. No timing is asserted (speed lives in BENCHMARKS.md).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { prepareCheckout, runIntake, spreadsheetRow, writeSpreadsheet } from "../../bench/intake-bench";

let root: string;
beforeEach(() => {
  root = path.join(mkdtempSync(path.join(tmpdir(), "intake-bench-")), "checkout");
});
afterEach(() => rmSync(path.dirname(root), { recursive: true, force: true }));

test("the generated spreadsheet is synthetic: example.nhs.uk emails, phones in +447700900000–+447700900999", () => {
  for (const i of [0, 1, 999, 1000, 123456]) {
    const row = spreadsheetRow(i);
    expect(row).toMatch(/^trainee\.\d{7}@example\.nhs\.uk,/);
    const phone = /,07700 (900\d{3}),/.exec(row);
    expect(phone).not.toBeNull();
  }
});

test("a 200 kB spreadsheet is taken in, every row, into one validated users file", () => {
  prepareCheckout(root);
  const rows = writeSpreadsheet(path.join(root, "trainees.csv"), 200_000);
  expect(rows).toBeGreaterThan(1000);
  const run = runIntake(root, "trainees.csv", rows, 120);
  expect(run).toMatchObject({ exit: "0", rows, files: 1 });
  expect(run.peakMiB).toBeGreaterThan(0);
  const written = readFileSync(path.join(root, "users", "london", "intake.yaml"), "utf8");
  expect(written.match(/^ {2}- username: /gm)?.length).toBe(rows);
  expect(written).toContain('phone_number: "+447700900999"');
});
