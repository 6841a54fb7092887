/**
 * core/intake-spreadsheet.ts: a spreadsheet export in, users-file entries out, every problem at its row (line)
 * and column, all at once; and appending to a users file keeps its comments and order.
 */
import { newFileDefaults } from "../../core/append-users";
import { columnLetter } from "../../core/intake-columns";
import type { IntakeOptions } from "../../core/intake-spreadsheet";
import { traineeProfile } from "../support/roster-fixture";
import { appendUsers, checkUsersFileText, readIntakeSpreadsheet } from "../support/one-call";

const profile = traineeProfile();
const options = (overrides: Partial<IntakeOptions> = {}): IntakeOptions => ({
  profile,
  file: "sheet.csv",
  columnMap: new Map(),
  ...overrides,
});

test("columns named like users-file keys map themselves, with or without a BOM, CRLF or LF", () => {
  for (const text of [
    "\uFEFFemail,Given Name,family_name,custom:tisId\r\nann.one@example.nhs.uk,Ann,One,1001\r\n",
    "email,Given Name,family_name,custom:tisId\nann.one@example.nhs.uk,Ann,One,1001",
  ]) {
    const result = readIntakeSpreadsheet(text, options());
    expect(result.diagnostics).toEqual([]);
    expect(result.rows).toEqual([
      {
        line: 2,
        entry: {
          username: "ann.one@example.nhs.uk",
          email: "ann.one@example.nhs.uk",
          given_name: "Ann",
          family_name: "One",
          "custom:tisId": "1001",
        },
        columnOf: { email: 1, username: 1, given_name: 2, family_name: 3, "custom:tisId": 4 },
      },
    ]);
  }
});

test("every problem is reported at once, by row and column, one message per root cause", () => {
  const csv = [
    "email,Mobile,DOB,Notes,email_verified",
    "ann.one@example.nhs.uk ,07700 900001,01/02/1990,x,TRUE",
    "bob.two@example.nhs.uk,4.47701E+11,31/02/1990,,yes",
    ",,,,",
    "ann.one@example.nhs.uk,+447700900003,,,",
    "cat.three@example.nhs.uk,01632 960001,,,",
  ].join("\n");
  const result = readIntakeSpreadsheet(
    csv,
    options({
      columnMap: new Map([
        ["Mobile", "phone_number"],
        ["DOB", "birthdate"],
      ]),
      defaultCountry: "GB",
      dateFormat: "dd/mm/yyyy",
    }),
  );
  expect(result.diagnostics.map((d) => [d.line, d.col, d.code])).toEqual([
    [1, 4, "UNMAPPED_COLUMN"],
    [2, 1, "TRAILING_SPACE"],
    [3, 2, "INVALID_PHONE"],
    [3, 3, "INVALID_DATE"],
    [3, 5, "WRONG_TYPE"],
    [6, 2, "INVALID_PHONE"],
  ]);
  expect(result.diagnostics[1].message).toMatch(/^column A \(email\): trailing space/);
  expect(result.emptyRows).toBe(1);
  // Row 5 repeats row 2's email, but row 2's email was rejected: the duplicate is only found once both are clean.
  const clean = readIntakeSpreadsheet("email\nann.one@example.nhs.uk\nANN.ONE@example.nhs.uk\n", options());
  expect(clean.diagnostics.map((d) => [d.line, d.col, d.code])).toEqual([[3, 1, "DUPLICATE_IN_SPREADSHEET"]]);
});

test("UK mobiles become E.164 only with --default-country GB; dates only with a format", () => {
  const csv =
    "email,phone_number,birthdate\nann.one@example.nhs.uk,07700 900001,1990-02-01\nbob.two@example.nhs.uk,+44 (0)7700-900002,01/02/1990\n";
  const without = readIntakeSpreadsheet(csv, options());
  expect(without.diagnostics.map((d) => [d.line, d.col, d.code])).toEqual([
    [2, 2, "INVALID_PHONE"],
    [3, 2, "INVALID_PHONE"],
    [3, 3, "DATE_FORMAT_NEEDED"],
  ]);
  const gb = readIntakeSpreadsheet(csv, options({ defaultCountry: "GB", dateFormat: "dd/mm/yyyy" }));
  expect(gb.diagnostics.map((d) => d.code)).toEqual(["INVALID_DATE"]); // 1990-02-01 is not dd/mm/yyyy
  expect(gb.rows.map((r) => r.entry.phone_number)).toEqual(["+447700900001", "+447700900002"]);
  expect(readIntakeSpreadsheet(csv, options({ defaultCountry: "GB", dateFormat: "mm/dd/yyyy" })).rows[1].entry.birthdate).toBe(
    "1990-01-02",
  );
});

test("a CSV syntax error is one diagnostic at its line; an empty file says what is expected", () => {
  expect(readIntakeSpreadsheet('email\n"unclosed\n', options()).diagnostics.map((d) => d.code)).toEqual(["CSV_SYNTAX"]);
  expect(readIntakeSpreadsheet("", options()).diagnostics.map((d) => d.code)).toEqual(["CSV_EMPTY"]);
  expect(readIntakeSpreadsheet("email;given_name\na@example.com;A\n", options()).diagnostics[0].message).toMatch(/semicolons/);
  expect(columnLetter(1)).toBe("A");
  expect(columnLetter(28)).toBe("AB");
});

test("appending keeps comments and order and says where each entry landed", () => {
  const existing =
    "# yaml-language-server: $schema=../../schemas/users-file.schema.json\n# London, August.\ndefaults:\n  mfa_enabled: true # everyone\n  email_verified: true\nusers:\n  # the first one\n  - username: zed.last@example.nhs.uk\n    email: zed.last@example.nhs.uk\n";
  const appended = appendUsers(
    existing,
    [{ username: "ann.one@example.nhs.uk", email: "ann.one@example.nhs.uk", phone_number: "+447700900001" }],
    "unused",
  );
  expect(appended.text.startsWith(existing)).toBe(true);
  expect(appended.text.slice(existing.length)).toBe(
    '  - username: ann.one@example.nhs.uk\n    email: ann.one@example.nhs.uk\n    phone_number: "+447700900001"\n',
  );
  expect(appended.places).toEqual([{ line: 10, col: 5, keyLines: { username: 10, email: 11, phone_number: 12 } }]);
  expect(checkUsersFileText(appended.text, "users/london/a.yaml", profile).diagnostics).toEqual([]);
});

test("a new file gets the modeline and defaults the profile requires", () => {
  const defaults = newFileDefaults(profile, ["username", "email"]);
  expect(defaults).toEqual({ email_verified: true, mfa_enabled: true });
  const created = appendUsers(
    undefined,
    [{ username: "ann.one@example.nhs.uk", email: "ann.one@example.nhs.uk" }],
    "yaml-language-server: $schema=../../schemas/users-file.schema.json",
    defaults,
  );
  expect(created.text.split("\n")[0]).toBe("# yaml-language-server: $schema=../../schemas/users-file.schema.json");
  expect(checkUsersFileText(created.text, "users/x/intake.yaml", profile).diagnostics).toEqual([]);
  expect(appendUsers("users: [\n", [], "m").problem).toMatch(/not valid YAML/);
});
