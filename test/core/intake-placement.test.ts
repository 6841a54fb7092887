/**
 * The pure decisions of an intake that a spreadsheet's reader sees: a validator finding in a written users file
 * placed back at its spreadsheet row and column (core/intake-finding-place.ts), and a row that declares someone the
 * roster already has (core/intake-roster-duplicates.ts). Tables of small cases.
 */
import type { AppendPart } from "../../core/append-users";
import type { Diagnostic, DiagnosticCode } from "../../core/diagnostics";
import { placeInSpreadsheet } from "../../core/intake-finding-place";
import { duplicateOfRoster, type RosterIdentities } from "../../core/intake-roster-duplicates";
import type { IntakeRow } from "../../core/intake-spreadsheet";

const headers = ["Email", "First", "Mobile"];
const finding = (line: number, col: number): Diagnostic => ({
  file: "users/london/intake.yaml",
  line,
  col,
  severity: "error",
  code: "SOME_CODE" as DiagnosticCode,
  message: "what is wrong",
});
// Two entries: rows 2 and 5 of the sheet, at lines 3–4 and 5–6 of the users file (`- ` at column 3, keys at 5).
const places: AppendPart["places"] = [
  { line: 3, col: 5, keyLines: { email: 3, given_name: 4 } },
  { line: 5, col: 5, keyLines: { email: 5, phone_number: 6 } },
];
const rows: IntakeRow[] = [
  { line: 2, entry: {}, columnOf: { email: 1, given_name: 2 } },
  { line: 5, entry: {}, columnOf: { email: 1, phone_number: 3 } },
];

test.each([
  ["a key of the first entry: its row and column", finding(4, 5), { line: 2, col: 2, message: "column B (First): what is wrong" }],
  ["a key of the second entry", finding(6, 5), { line: 5, col: 3, message: "column C (Mobile): what is wrong" }],
  ["the whole entry (left of its first key): the row, column 1", finding(5, 3), { line: 5, col: 1, message: "what is wrong" }],
])("placeInSpreadsheet: %s", (_name, d, expected) => {
  expect(placeInSpreadsheet(d, places, rows, "sheet.csv", headers)).toEqual({ ...d, file: "sheet.csv", ...expected });
});

test("placeInSpreadsheet: a finding above every new entry stays in the users file", () => {
  const d = finding(1, 1);
  expect(placeInSpreadsheet(d, places, rows, "sheet.csv", headers)).toBe(d);
});

const known: RosterIdentities = {
  usernames: new Map([["ann.one@example.nhs.uk", "users/kss/a.yaml:3"]]),
  emails: new Map([["bob.two@example.nhs.uk", "users/kss/b.yaml:7"]]),
};
const row = (entry: IntakeRow["entry"]): IntakeRow => ({ line: 9, entry, columnOf: { username: 2, email: 1 } });

test.each([
  [
    "a username the roster has",
    { username: "ann.one@example.nhs.uk" },
    2,
    "column B (First): this username is already declared at users/kss/a.yaml:3",
  ],
  [
    "an email the roster has, letter case aside",
    { username: "x", email: "Bob.Two@example.nhs.uk" },
    1,
    "column A (Email): this email is already declared at users/kss/b.yaml:7",
  ],
])("duplicateOfRoster: %s", (_name, entry, col, message) => {
  expect(duplicateOfRoster(known, false, row(entry), "sheet.csv", headers)).toEqual({
    file: "sheet.csv",
    line: 9,
    col,
    severity: "error",
    code: "ALREADY_IN_ROSTER",
    message,
  });
});

test.each([
  ["someone new", { username: "cat.three@example.nhs.uk", email: "cat.three@example.nhs.uk" }, false],
  ["a username that differs only in case, in a case-sensitive pool", { username: "Ann.One@example.nhs.uk" }, true],
])("duplicateOfRoster: %s is not a duplicate", (_name, entry, caseSensitive) => {
  expect(duplicateOfRoster(known, caseSensitive, row(entry), "sheet.csv", headers)).toBeUndefined();
});
