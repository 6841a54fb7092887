/**
 * Intake writes what it read, and only files our validator accepts (issue 21, item 3): Number cells keep their
 * digits; values a spreadsheet mangled are refused at row:column; the fixes suggested are ones the command takes;
 * an appended file keeps every existing line byte for byte, or nothing is written.
 */
import { exportUsers } from "../../core/export-users";
import { appendUsersWithinLimit } from "../../core/append-users";
import type { IntakeOptions } from "../../core/intake-spreadsheet";
import type { PoolProfile } from "../../core/profile";
import { fixtureProfile } from "./fixture-cases";
import { appendUsers, checkUsersFileText, readIntakeSpreadsheet } from "../support/one-call";

const base = fixtureProfile();
const profile: PoolProfile = { ...base, customAttributes: { ...base.customAttributes, level: { type: "Number" } } };
const options = (extra: Partial<IntakeOptions> = {}): IntakeOptions => ({ profile, file: "office.csv", columnMap: new Map(), ...extra });

test("places of appended entries are counted from the rendering, every key's line included", () => {
  const appended = appendUsers("users:\n", [{ username: "a@example.com", "custom:tisId": "1", email: "a@example.com" }], "m");
  expect(appended.places).toEqual([{ line: 2, col: 5, keyLines: { username: 2, "custom:tisId": 3, email: 4 } }]);
});

test("a Number cell keeps its digits into the written file, and back", () => {
  const sheet = readIntakeSpreadsheet("email,custom:level\nann.one@example.nhs.uk,12345678901234567890\n", options());
  expect(sheet.diagnostics).toEqual([]);
  const appended = appendUsers(undefined, [{ ...sheet.rows[0].entry, email_verified: true, mfa_enabled: true }], "m");
  expect(appended.text).toContain("custom:level: 12345678901234567890\n");
  const checked = checkUsersFileText(appended.text, "users/x/intake.yaml", profile);
  expect(checked.users[0].attributes["custom:level"]).toBe("12345678901234567890");
});

test.each([
  ["custom:tisId", "4.4779E+11", "SPREADSHEET_SCIENTIFIC"],
  ["custom:level", "4.4779E+11", "SPREADSHEET_SCIENTIFIC"],
  ["username", "4.4779E+11", "SPREADSHEET_SCIENTIFIC"],
  ["custom:tisId", "'0012", "SPREADSHEET_APOSTROPHE"],
  ["given_name", "'Ann", "SPREADSHEET_APOSTROPHE"],
  ["phone_number", "4.47701E+11", "INVALID_PHONE"],
])("%s %s is refused at its row and column (%s)", (column, cell, code) => {
  const sheet = readIntakeSpreadsheet(`email,${column}\nann.one@example.nhs.uk,${cell}\n`, options());
  expect(sheet.diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`)).toContain(`2:2 ${code}`);
});

test("an Excel serial date is refused with the date it stands for", () => {
  const sheet = readIntakeSpreadsheet("email,birthdate\nann.one@example.nhs.uk,31082\n", options({ dateFormat: "dd/mm/yyyy" }));
  expect(sheet.diagnostics).toEqual([expect.objectContaining({ line: 2, col: 2, code: "SPREADSHEET_SERIAL_DATE" })]);
  expect(sheet.diagnostics[0].message).toContain("1985-02-04");
});

test("a column without a header is told to use a --map file, and that mapping is accepted", () => {
  const csv = "email,\nann.one@example.nhs.uk,x\n";
  const before = readIntakeSpreadsheet(csv, options());
  expect(before.diagnostics).toEqual([expect.objectContaining({ code: "UNMAPPED_COLUMN" })]);
  expect(before.diagnostics[0].message).not.toContain('--column "=');
  expect(before.diagnostics[0].message).toContain('"": KEY (or skip)');
  // The hint applied: the --map file's `"": skip`.
  expect(readIntakeSpreadsheet(csv, options({ columnMap: new Map([["", "skip"]]) })).diagnostics).toEqual([]);
});

describe("appending never rewrites an existing line", () => {
  const entry = { username: "bob.two@example.nhs.uk", email: "bob.two@example.nhs.uk" };

  test("quotes, spacing, True and comments stay byte for byte", () => {
    const existing = [
      "# yaml-language-server: $schema=../../schemas/users-file.schema.json",
      "defaults:",
      "  mfa_enabled:   True   # everyone",
      "  email_verified: true",
      "users:",
      "- username: 'ann.one@example.nhs.uk'",
      '  email: "ann.one@example.nhs.uk"',
      "  groups: [ trainees ]",
      "# the end",
    ].join("\n");
    const appended = appendUsers(existing, [entry], "unused");
    expect(appended.problem).toBeUndefined();
    expect(appended.text.startsWith(`${existing}\n`)).toBe(true);
    expect(appended.text.slice(existing.length + 1)).toBe("- username: bob.two@example.nhs.uk\n  email: bob.two@example.nhs.uk\n");
    expect(appended.places).toEqual([{ line: 10, col: 3, keyLines: { username: 10, email: 11 } }]);
    expect(checkUsersFileText(appended.text, "users/x/a.yaml", profile).users).toHaveLength(2);
  });

  test("an empty users: takes items below it", () => {
    const appended = appendUsers("defaults:\n  mfa_enabled: true\n  email_verified: true\nusers:\n", [entry], "unused");
    expect(appended.text).toBe(
      "defaults:\n  mfa_enabled: true\n  email_verified: true\nusers:\n  - username: bob.two@example.nhs.uk\n    email: bob.two@example.nhs.uk\n",
    );
  });

  test("an empty users: [] loses its [] (the one change), and a comment after it stays", () => {
    const appended = appendUsers("defaults:\n  mfa_enabled: true\n  email_verified: true\nusers: [] # none yet\n", [entry], "unused");
    expect(appended.text).toBe(
      "defaults:\n  mfa_enabled: true\n  email_verified: true\nusers: # none yet\n  - username: bob.two@example.nhs.uk\n    email: bob.two@example.nhs.uk\n",
    );
    expect(checkUsersFileText(appended.text, "users/x/a.yaml", profile).users).toHaveLength(1);
  });

  test.each([
    ["users: [a@example.com]\n", "flow list"],
    ["users:\n  - username: a@example.com\ndefaults:\n  mfa_enabled: true\n", "not the last key"],
    ["defaults:\n  mfa_enabled: true\n", "no users: list"],
  ])("%j cannot be appended to without rewriting: nothing written, and the fixes the command accepts", (existing, why) => {
    const appended = appendUsers(existing, [entry], "unused");
    expect(appended.problem).toContain(why);
    expect(appended.problem).toContain("--file NAME");
    expect(appended.text).toBe(existing);
  });
});

describe("output split before the users file limit", () => {
  const entries = Array.from({ length: 30 }, (_, i) => ({
    username: `trainee.${i}@example.nhs.uk`,
    email: `trainee.${i}@example.nhs.uk`,
    address: `Flat ${i}, ${"Long Street Name ".repeat(5).trim()}, Leeds`,
  }));

  test("intake fills the target, then new files, each within the limit, every entry once and in order", () => {
    const existing =
      "# m\ndefaults:\n  mfa_enabled: true\n  email_verified: true\nusers:\n  - username: first@example.nhs.uk\n    email: first@example.nhs.uk\n";
    const split = appendUsersWithinLimit(existing, entries, "m", { mfa_enabled: true, email_verified: true }, 2000);
    expect(split.problem).toBeUndefined();
    expect(split.parts.length).toBeGreaterThan(2);
    expect(split.parts[0].text.startsWith(existing)).toBe(true);
    for (const part of split.parts) expect(Buffer.byteLength(part.text, "utf8")).toBeLessThanOrEqual(2000);
    const usernames = split.parts.flatMap((part, i) => {
      const checked = checkUsersFileText(part.text, `users/x/intake-${i}.yaml`, profile);
      expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(part.places).toHaveLength(part.entries);
      return checked.users.map((u) => u.username);
    });
    expect(usernames).toEqual(["first@example.nhs.uk", ...entries.map((e) => e.username)]);
  });

  test("export splits an office past the limit into exported.yaml, exported-2.yaml, …", () => {
    const pool = entries.map((e) => ({
      username: e.username,
      enabled: true,
      status: "CONFIRMED",
      attributes: { email: e.email, email_verified: "true", address: e.address },
    }));
    const result = exportUsers(pool, {
      profile,
      office: { kind: "single", folder: "leeds" },
      excludes: [],
      fileName: "exported.yaml",
      schemaFromUsersDir: "../schemas/users-file.schema.json",
      maxFileBytes: 2000,
    });
    expect(result.files.map((f) => f.path).slice(0, 2)).toEqual(["leeds/exported.yaml", "leeds/exported-2.yaml"]);
    expect(result.files.reduce((n, f) => n + f.users, 0)).toBe(30);
    for (const f of result.files) {
      expect(Buffer.byteLength(f.text, "utf8")).toBeLessThanOrEqual(2000);
      expect(checkUsersFileText(f.text, `users/${f.path}`, profile).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    }
  });
});
