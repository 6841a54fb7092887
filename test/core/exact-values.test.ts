/**
 * Values reach the pool exactly as written (issue 21, item 1): Number custom attributes are the decimal text the file
 * holds, whichever YAML parser read it; forms YAML would change are refused with the value they mean; an empty
 * string is absent everywhere.
 */
import { differingAttributes } from "../../core/compare-attributes";
import { exportUsers } from "../../core/export-users";
import { compareWholeNumbers, numberFormProblem } from "../../core/number-text";
import { csvHeaderForProfile, type PoolProfile } from "../../core/profile";
import { fixtureProfile } from "./fixture-cases";
import { checkUsersFileText, renderImportCsv } from "../support/one-call";

const base = fixtureProfile();
const profile: PoolProfile = {
  ...base,
  customAttributes: { ...base.customAttributes, level: { type: "Number" }, grade: { type: "Number", minValue: -5, maxValue: 10 } },
};
const FILE = "users/x/y.yaml";

/** A one-user file; `extra` lines go in the entry; `padding` forces the yaml package's parse (an anchor). */
function fileWith(extra: string[], fullParser = false): string {
  return [
    "users:",
    `  - username: ${fullParser ? "&u " : ""}a@example.com`,
    "    email: a@example.com",
    "    email_verified: true",
    "    mfa_enabled: true",
    ...extra.map((l) => `    ${l}`),
    "",
  ].join("\n");
}

const check = (extra: string[], fullParser = false) => checkUsersFileText(fileWith(extra, fullParser), FILE, profile);
const codes = (extra: string[], fullParser = false) => check(extra, fullParser).diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`);

describe.each([false, true])("Number custom attributes (yaml package's parse: %s)", (fullParser) => {
  it.each(["12345678901234567890", "-98765432109876543210", "007", "-0", "0", "42"])(
    "keeps %s digit for digit into the user, the CSV and the comparison",
    (digits) => {
      const r = check([`custom:level: ${digits}`], fullParser);
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(r.users[0].attributes["custom:level"]).toBe(digits);
      const csv = renderImportCsv(r.users, csvHeaderForProfile(profile));
      expect(csv.split("\n")[1].split(",")).toContain(digits);
      const pool = { username: "a@example.com", enabled: true, status: "CONFIRMED", attributes: { "custom:level": digits } };
      expect(differingAttributes(r.users[0], pool)).not.toContain("custom:level");
    },
  );

  it.each([
    ["0x1F", "31"],
    ["0o17", "15"],
    ["1e21", "1000000000000000000000"],
    ["+5", "5"],
    ["2.5e1", "25"],
  ])("refuses %s with the decimal whole number it means (%s), at the value", (written, meant) => {
    const r = check([`custom:level: ${written}`], fullParser);
    expect(r.users).toEqual([]);
    const d = r.diagnostics.find((x) => x.code === "CUSTOM_ATTRIBUTE_INVALID");
    expect(d).toMatchObject({ line: 6, col: 19 });
    expect(d?.message).toContain(`${written} is not written as a decimal whole number`);
    expect(d?.message).toContain(`write ${meant}`);
  });

  it.each(["2.5", "-.5"])("refuses %s: not a whole number", (written) => {
    expect(codes([`custom:level: ${written}`], fullParser)).toEqual(["6:19 CUSTOM_ATTRIBUTE_INVALID"]);
  });

  it.each([".inf", ".nan"])("refuses %s as no number at all (the schema's type)", (written) => {
    expect(codes([`custom:level: ${written}`], fullParser)).toEqual(["6:19 WRONG_TYPE"]);
  });

  it("checks the bounds exactly, far beyond a float's precision", () => {
    expect(codes(["custom:grade: 10"], fullParser)).toEqual([]);
    expect(codes(["custom:grade: 10000000000000000001"], fullParser)).toEqual(["6:19 CUSTOM_ATTRIBUTE_INVALID"]);
    expect(codes(["custom:grade: -6"], fullParser)).toEqual(["6:19 CUSTOM_ATTRIBUTE_INVALID"]);
  });

  it("warns that leading zeros and -0 read as another number, showing the exact value", () => {
    const r = check(["custom:level: 007"], fullParser);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: "NUMBER_NOT_CANONICAL", severity: "warning", line: 6, col: 19 })]);
    expect(r.diagnostics[0].message).toContain('"007"');
    expect(r.users).toHaveLength(1);
  });

  it("keeps the exact text of a Number value that comes from defaults", () => {
    const text = `defaults:\n  custom:level: 12345678901234567890\n${fileWith([], fullParser)}`;
    const r = checkUsersFileText(text, FILE, profile);
    expect(r.users[0].attributes["custom:level"]).toBe("12345678901234567890");
  });

  it("tells a quoted Number to be written unquoted, digits intact", () => {
    const r = check(['custom:level: "0012"'], fullParser);
    expect(r.diagnostics.map((d) => d.message)).toEqual(["custom:level is a Number attribute: write 0012 unquoted"]);
  });
});

describe("empty strings mean absent", () => {
  it("drops an empty value from the user, so the full comparison never reports it", () => {
    const r = check(['middle_name: ""']);
    expect(r.diagnostics).toEqual([]);
    expect(r.users[0].attributes).not.toHaveProperty("middle_name");
    const pool = {
      username: "a@example.com",
      enabled: true,
      status: "CONFIRMED",
      attributes: { email: "a@example.com", email_verified: "true" },
    };
    expect(differingAttributes(r.users[0], pool)).toEqual([]);
  });

  it("an empty value in an entry overrides a default: that user has none", () => {
    const text = `defaults:\n  nickname: Ann\n${fileWith(['nickname: ""'])}`;
    expect(checkUsersFileText(text, FILE, profile).users[0].attributes).not.toHaveProperty("nickname");
  });

  it("export never writes an empty value", () => {
    const result = exportUsers(
      [
        {
          username: "a@example.com",
          enabled: true,
          status: "CONFIRMED",
          attributes: { email: "a@example.com", email_verified: "true", middle_name: "" },
        },
      ],
      {
        profile,
        office: { kind: "single", folder: "x" },
        excludes: [],
        fileName: "y.yaml",
        schemaFromUsersDir: "../schemas/users-file.schema.json",
      },
    );
    expect(result.files[0].text).not.toContain("middle_name");
  });
});

describe("export writes Number attributes digit for digit", () => {
  it.each(["007", "-0", "12345678901234567890", "42"])("%s survives export and validate", (digits) => {
    const result = exportUsers(
      [
        {
          username: "a@example.com",
          enabled: true,
          status: "CONFIRMED",
          attributes: { email: "a@example.com", email_verified: "true", "custom:level": digits },
        },
      ],
      {
        profile,
        office: { kind: "single", folder: "x" },
        excludes: [],
        fileName: "y.yaml",
        schemaFromUsersDir: "../schemas/users-file.schema.json",
      },
    );
    const r = checkUsersFileText(result.files[0].text, FILE, profile);
    expect(r.users[0].attributes["custom:level"]).toBe(digits);
  });
});

describe("number-text", () => {
  it("compares whole numbers of any size exactly", () => {
    expect(compareWholeNumbers("12345678901234567891", "12345678901234567890")).toBe(1);
    expect(compareWholeNumbers("-0", 0)).toBe(0);
  });

  it("has no problem with decimal whole numbers, and names the value of the other forms", () => {
    expect(numberFormProblem("-12")).toBeUndefined();
    expect(numberFormProblem("1E3")).toContain("write 1000");
    expect(numberFormProblem("-0x10")).toContain("not a whole number");
  });
});
