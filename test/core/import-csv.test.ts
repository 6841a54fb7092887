import * as path from "node:path";
import type { AttributeValue, DeclaredUser } from "../../core/declared-user";
import { MFA_COLUMN, USERNAME_COLUMN } from "../../core/declared-user";
import { COGNITO_IMPORT_LIMITS, splitImportCsv } from "../../core/import-csv";
import { csvHeaderForProfile } from "../../core/profile";
import { loadStackProfile } from "../../load/stack-profile";
import { renderImportCsv } from "../support/one-call";

const repoRoot = path.resolve(__dirname, "../..");
const devProfile = loadStackProfile(repoRoot, "dev").profile;
if (devProfile === undefined) throw new Error("the dev stack profile does not load");
const devHeader = csvHeaderForProfile(devProfile);

let nextLine = 3;
function user(username: string, attributes: Record<string, AttributeValue> = {}, mfaEnabled = true): DeclaredUser {
  const line = nextLine;
  nextLine += 8;
  return {
    username,
    mfaEnabled,
    enabled: true,
    attributes: { email: username, email_verified: true, ...attributes },
    source: { file: "users/london/2026-08.yaml", line, col: 5 },
  };
}

/**
 * A reader of Cognito's dialect, written independently of the renderer: lines end in `\n` (the last included),
 * fields are separated by commas not preceded by a backslash, and `\,` stands for a comma.
 */
function parseCognitoCsv(text: string): { header: string[]; rows: Record<string, string>[] } {
  expect(text.endsWith("\n")).toBe(true);
  const lines = text.slice(0, -1).split("\n");
  const fieldsOf = (line: string) => line.split(/(?<!\\),/).map((field) => field.replace(/\\,/g, ","));
  const header = fieldsOf(lines[0]);
  const rows = lines.slice(1).map((line) => {
    const fields = fieldsOf(line);
    expect(fields).toHaveLength(header.length);
    return Object.fromEntries(header.map((column, i) => [column, fields[i]]));
  });
  return { header, rows };
}

/** What the reader should see for `column` of `u`: the dialect's rules, restated independently. */
function expectedCell(u: DeclaredUser, column: string): string {
  const value = column === USERNAME_COLUMN ? u.username : column === MFA_COLUMN ? u.mfaEnabled : u.attributes[column];
  if (value === undefined) return "";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (column === "birthdate") {
    const [year, month, day] = String(value).split("-");
    return `${month}/${day}/${year}`;
  }
  return String(value);
}

function dataLines(csv: string): string[] {
  return csv.split("\n").slice(1, -1);
}

/** A deterministic shuffle (seeded LCG), so a failure reproduces. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const jane = user("jane.doe@example.nhs.uk", {
  given_name: "Jane",
  family_name: "Doe",
  phone_number: "+447700900123",
  phone_number_verified: false,
  birthdate: "1985-02-01",
  address: "Flat 2, 10 High Street, Leeds",
  "custom:tisId": "47165",
});

describe("renderImportCsv: Cognito's dialect", () => {
  const csv = renderImportCsv([jane], devHeader);
  const lines = csv.split("\n");

  it("writes the header given as the first row, and one row per user", () => {
    expect(lines[0]).toBe(devHeader.join(","));
    expect(lines).toHaveLength(3);
  });

  it("ends every line, the last included, with \\n and never \\r", () => {
    expect(csv.endsWith("\n")).toBe(true);
    expect(lines[2]).toBe("");
    expect(csv).not.toContain("\r");
  });

  it("writes UTF-8 without a byte-order mark", () => {
    const withAccent = renderImportCsv([user("zoe@example.com", { given_name: "Zoë" })], devHeader);
    const bytes = Buffer.from(withAccent, "utf8");
    expect(bytes.subarray(0, 3)).not.toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(withAccent.charCodeAt(0)).not.toBe(0xfeff);
    expect(bytes.toString("utf8")).toContain(",Zoë,");
  });

  it("puts every header column in every row, blank when the user does not declare it", () => {
    const fields = lines[1].split(/(?<!\\),/);
    expect(fields).toHaveLength(devHeader.length);
    expect(fields[devHeader.indexOf("nickname")]).toBe("");
    expect(fields[devHeader.indexOf("updated_at")]).toBe("");
  });

  it("takes cognito:username from username and cognito:mfa_enabled from mfaEnabled", () => {
    const fields = lines[1].split(/(?<!\\),/);
    expect(fields[devHeader.indexOf(USERNAME_COLUMN)]).toBe("jane.doe@example.nhs.uk");
    expect(fields[devHeader.indexOf(MFA_COLUMN)]).toBe("TRUE");
    const off = renderImportCsv([user("mfa.off@example.com", {}, false)], devHeader);
    expect(dataLines(off)[0].split(",")[devHeader.indexOf(MFA_COLUMN)]).toBe("FALSE");
  });

  it("never quotes, and writes a comma inside a value as \\,", () => {
    expect(csv).not.toContain('"');
    expect(lines[1]).toContain(",Flat 2\\, 10 High Street\\, Leeds,");
    const edges = renderImportCsv([user("edge@example.com", { address: ",,a,", given_name: "," })], devHeader);
    const row = dataLines(edges)[0];
    expect(row).toContain(",\\,\\,a\\,,");
    expect(row).toContain(",\\,,");
  });

  it("writes booleans as TRUE and FALSE", () => {
    const fields = lines[1].split(/(?<!\\),/);
    expect(fields[devHeader.indexOf("email_verified")]).toBe("TRUE");
    expect(fields[devHeader.indexOf("phone_number_verified")]).toBe("FALSE");
  });

  it("writes birthdate yyyy-mm-dd as mm/dd/yyyy", () => {
    const fields = lines[1].split(/(?<!\\),/);
    expect(fields[devHeader.indexOf("birthdate")]).toBe("02/01/1985");
  });

  it("writes numbers as plain decimal text", () => {
    const header = [...devHeader, "custom:grade"];
    const row = dataLines(renderImportCsv([user("n@example.com", { updated_at: 1700000000, "custom:grade": 0 })], header))[0].split(",");
    expect(row[header.indexOf("updated_at")]).toBe("1700000000");
    expect(row[header.indexOf("custom:grade")]).toBe("0");
  });

  it("leaves a leading + alone (no spreadsheet formula escaping)", () => {
    const fields = lines[1].split(/(?<!\\),/);
    expect(fields[devHeader.indexOf("phone_number")]).toBe("+447700900123");
  });

  it("starts with the header row: the header's columns, comma-separated", () => {
    expect(lines[0]).toBe(devHeader.join(","));
  });
});

describe("renderImportCsv: values the dialect cannot carry are refused, naming column and place, never the value", () => {
  it.each([
    ["a line feed", "Secret\nValue"],
    ["a carriage return", "Secret\rValue"],
    ["a double quote", 'Secret"Value'],
    ["a backslash", "Secret\\Value"],
    ["a tab", "Secret\tValue"],
    ["a NUL", "Secret\u0000Value"],
    ["a DEL", "Secret\u007fValue"],
    ["a C1 control", "Secret\u0085Value"],
    ["a line separator", "Secret\u2028Value"],
  ])("%s", (_what, value) => {
    const bad = user("bad@example.com", { given_name: value });
    const render = () => renderImportCsv([jane, bad], devHeader);
    expect(render).toThrow(/given_name/);
    expect(render).toThrow(`users/london/2026-08.yaml:${bad.source.line}`);
    expect(render).toThrow(/cannot carry/);
    expect(render).not.toThrow(/Secret/);
  });

  it("refuses a username the dialect cannot carry", () => {
    const bad = { ...user("x@example.com"), username: "Secret\nName" };
    expect(() => renderImportCsv([bad], devHeader)).toThrow(/cognito:username of the user declared at users\/london\/2026-08\.yaml:\d+/);
  });

  it("refuses an attribute the header lacks (the pool does not have it)", () => {
    const bad = user("bad@example.com", { "custom:grade": "ST3" });
    expect(() => renderImportCsv([bad], devHeader)).toThrow(
      `column custom:grade of the user declared at users/london/2026-08.yaml:${bad.source.line}: the import CSV header has no such attribute`,
    );
  });

  it("refuses a birthdate that is not ISO yyyy-mm-dd rather than guess", () => {
    const bad = user("bad@example.com", { birthdate: "01/02/1985" });
    expect(() => renderImportCsv([bad], devHeader)).toThrow(/column birthdate .*not an ISO date/);
    expect(() => renderImportCsv([bad], devHeader)).not.toThrow(/1985/);
  });

  it("refuses a number with no plain decimal form", () => {
    const header = [...devHeader, "custom:grade"];
    expect(() => renderImportCsv([user("n@example.com", { "custom:grade": 1e21 })], header)).toThrow(/custom:grade.*plain decimal/);
    expect(() => renderImportCsv([user("n@example.com", { "custom:grade": Number.NaN })], header)).toThrow(/custom:grade/);
  });

  it("refuses a row over Cognito's 16,000 characters", () => {
    const long = user("long@example.com", { address: "a".repeat(16_000) });
    expect(() => renderImportCsv([long], devHeader)).toThrow(`users/london/2026-08.yaml:${long.source.line}: the user's import CSV row is`);
    expect(() => renderImportCsv([user("ok@example.com", { address: "a".repeat(15_800) })], devHeader)).not.toThrow();
  });

  it("refuses a header without cognito:username or with a column twice", () => {
    expect(() =>
      renderImportCsv(
        [jane],
        devHeader.filter((c) => c !== USERNAME_COLUMN),
      ),
    ).toThrow(/no cognito:username column/);
    expect(() => renderImportCsv([jane], [...devHeader, "email"])).toThrow(/email appears twice/);
  });
});

describe("renderImportCsv: header order comes from the header given", () => {
  const users = [jane, user("amir.khan@example.com", { given_name: "Amir", family_name: "Khan", "custom:tisId": "9" }, false)];

  it.each([1, 2, 3])("shuffled header (seed %i)", (seed) => {
    const header = shuffled(devHeader, seed);
    expect(header).not.toEqual(devHeader);
    const parsed = parseCognitoCsv(renderImportCsv(users, header));
    expect(parsed.header).toEqual(header);
    const firstRowInOrder = dataLines(renderImportCsv(users, header))[0].split(/(?<!\\),/);
    expect(firstRowInOrder[header.indexOf("given_name")]).toBe("Jane");
    expect(firstRowInOrder[header.indexOf(USERNAME_COLUMN)]).toBe("jane.doe@example.nhs.uk");
    parsed.rows.forEach((row, i) => {
      for (const column of header) expect([column, row[column]]).toEqual([column, expectedCell(users[i], column)]);
    });
  });
});

describe("round trip through a reader of the same dialect", () => {
  it("gives back every value", () => {
    const users = [
      jane,
      user("o'brien@example.nhs.uk", { given_name: "Siobhán", family_name: "O'Brien", address: "1, 2,, 3 ,end,", "custom:tisId": "," }),
      user("kim@example.com", { given_name: "김", family_name: "Lê Văn", nickname: "a,b,c", phone_number_verified: true }, false),
      user("blank@example.com", { given_name: "", middle_name: "x" }),
    ];
    const header = shuffled(devHeader, 7);
    const parsed = parseCognitoCsv(renderImportCsv(users, header));
    expect(parsed.header).toEqual(header);
    expect(parsed.rows).toHaveLength(users.length);
    parsed.rows.forEach((row, i) => {
      expect(row).toEqual(Object.fromEntries(header.map((column) => [column, expectedCell(users[i], column)])));
    });
  });
});

describe("splitImportCsv", () => {
  const manyUsers = (count: number, attributes: (i: number) => Record<string, AttributeValue> = () => ({})) =>
    Array.from({ length: count }, (_, i) => user(`user${i}@example.com`, attributes(i)));

  function expectWellFormed(parts: ReturnType<typeof splitImportCsv>, limits = COGNITO_IMPORT_LIMITS) {
    for (const part of parts) {
      expect(part.csv.startsWith(`${devHeader.join(",")}\n`)).toBe(true);
      expect(part.bytes).toBe(Buffer.byteLength(part.csv, "utf8"));
      expect(part.bytes).toBeLessThanOrEqual(limits.maxBytes);
      expect(part.users.length).toBeGreaterThan(0);
      expect(part.users.length).toBeLessThanOrEqual(limits.maxUsers);
      const rows = parseCognitoCsv(part.csv).rows;
      expect(rows.map((row) => row[USERNAME_COLUMN])).toEqual(part.users.map((u) => u.username));
    }
  }

  it("splits by user count, keeping order and putting the header on every part", () => {
    const users = manyUsers(7);
    const limits = { maxUsers: 3, maxBytes: COGNITO_IMPORT_LIMITS.maxBytes };
    const parts = splitImportCsv(users, devHeader, limits);
    expect(parts.map((p) => p.users.length)).toEqual([3, 3, 1]);
    expect(parts.flatMap((p) => p.users)).toEqual(users);
    expectWellFormed(parts, limits);
  });

  it("does not open an empty part when the count is an exact multiple", () => {
    const parts = splitImportCsv(manyUsers(6), devHeader, { maxUsers: 3, maxBytes: COGNITO_IMPORT_LIMITS.maxBytes });
    expect(parts.map((p) => p.users.length)).toEqual([3, 3]);
  });

  it("gives the same rows as renderImportCsv", () => {
    const users = manyUsers(10, (i) => ({ address: `${i}, Some Road` }));
    const parts = splitImportCsv(users, devHeader, { maxUsers: 4, maxBytes: COGNITO_IMPORT_LIMITS.maxBytes });
    expect(parts.flatMap((p) => dataLines(p.csv))).toEqual(dataLines(renderImportCsv(users, devHeader)));
  });

  it("gives no parts for no users", () => {
    expect(splitImportCsv([], devHeader)).toEqual([]);
  });

  describe("by bytes, at the exact boundary", () => {
    // Multi-byte names, so counting characters instead of UTF-8 bytes would put the boundary elsewhere.
    const users = manyUsers(3, (i) => ({ given_name: "Zoë".repeat(i + 1), family_name: "Ó Súilleabháin" }));
    const headerBytes = Buffer.byteLength(`${devHeader.join(",")}\n`, "utf8");
    const lineBytes = dataLines(renderImportCsv(users, devHeader)).map((line) => Buffer.byteLength(`${line}\n`, "utf8"));

    it("keeps a part that fills the limit exactly", () => {
      const maxBytes = headerBytes + lineBytes[0] + lineBytes[1];
      const parts = splitImportCsv(users, devHeader, { maxUsers: 500_000, maxBytes });
      expect(parts.map((p) => p.users.length)).toEqual([2, 1]);
      expect(parts[0].bytes).toBe(maxBytes);
      expectWellFormed(parts, { maxUsers: 500_000, maxBytes });
    });

    it("starts a new part when a row would go one byte over", () => {
      const maxBytes = headerBytes + lineBytes[0] + lineBytes[1] - 1;
      const parts = splitImportCsv(users, devHeader, { maxUsers: 500_000, maxBytes });
      expect(parts.map((p) => p.users.length)).toEqual([1, 1, 1]);
      expectWellFormed(parts, { maxUsers: 500_000, maxBytes });
    });

    it("refuses a user whose row cannot fit any part", () => {
      const maxBytes = headerBytes + lineBytes[2] - 1;
      expect(() => splitImportCsv(users, devHeader, { maxUsers: 500_000, maxBytes })).toThrow(
        `users/london/2026-08.yaml:${users[2].source.line}: the user's import CSV row is ${lineBytes[2]} bytes`,
      );
    });
  });

  it("applies both limits together: whichever is reached first closes the part", () => {
    const users = manyUsers(9);
    const headerBytes = Buffer.byteLength(`${devHeader.join(",")}\n`, "utf8");
    const lineBytes = Buffer.byteLength(`${dataLines(renderImportCsv(users.slice(0, 1), devHeader))[0]}\n`);
    // user0..user9 rows all have the same length (one-digit numbers), so 4 rows fit by bytes, 3 by count.
    expect(splitImportCsv(users, devHeader, { maxUsers: 3, maxBytes: headerBytes + 4 * lineBytes }).map((p) => p.users.length)).toEqual([
      3, 3, 3,
    ]);
    expect(splitImportCsv(users, devHeader, { maxUsers: 5, maxBytes: headerBytes + 4 * lineBytes }).map((p) => p.users.length)).toEqual([
      4, 4, 1,
    ]);
  });

  it("defaults to Cognito's limits", () => {
    expect(COGNITO_IMPORT_LIMITS).toEqual({ maxUsers: 500_000, maxBytes: 100_000_000 });
  });

  it("splits 500,001 users into 500,000 and 1 with the real limits", () => {
    const users: DeclaredUser[] = Array.from({ length: 500_001 }, (_, i) => ({
      username: `u${i}@example.com`,
      mfaEnabled: true,
      enabled: true,
      attributes: { email: `u${i}@example.com`, email_verified: true },
      source: { file: "users/big.yaml", line: i + 1, col: 5 },
    }));
    const parts = splitImportCsv(users, devHeader);
    expect(parts.map((p) => p.users.length)).toEqual([500_000, 1]);
    expect(parts[0].users[499_999]).toBe(users[499_999]);
    expect(parts[1].users[0]).toBe(users[500_000]);
    expect(parts[1].csv).toBe(`${devHeader.join(",")}\n${dataLines(renderImportCsv([users[500_000]], devHeader))[0]}\n`);
    const lastLines = parts[0].csv.slice(-200).split("\n");
    expect(lastLines[lastLines.length - 2]).toContain(",u499999@example.com");
  });

  it("splits at the real 100 MB limit, filling each part as far as the next row allows", () => {
    // ~4 KB rows: about 25,000 users fill 100 MB, so the byte limit, not the count, decides.
    const users = manyUsers(30_000, (i) => ({ address: `${i} `.padEnd(4000, "x") }));
    const parts = splitImportCsv(users, devHeader);
    expect(parts).toHaveLength(2);
    const limit = 100_000_000;
    expect(parts[0].bytes).toBeLessThanOrEqual(limit);
    const nextLineBytes = Buffer.byteLength(`${dataLines(parts[1].csv)[0]}\n`);
    expect(parts[0].bytes + nextLineBytes).toBeGreaterThan(limit);
    expect(parts[0].bytes).toBe(Buffer.byteLength(parts[0].csv));
    expect(parts[0].users.length + parts[1].users.length).toBe(30_000);
  });
});
