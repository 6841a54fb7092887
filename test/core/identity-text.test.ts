/**
 * Identities a reviewer can tell apart (issue 21, item 5): invisible code points and decomposed text refused in
 * usernames and emails; compatibility forms and mixed scripts warned with both forms; two users whose identities
 * look alike warned at the second, naming the first.
 */
import { combineFileResults } from "../../core/check-roster";
import type { PoolProfile } from "../../core/profile";
import { fixtureProfile } from "./fixture-cases";
import { checkUsersFileText } from "../support/one-call";

const profile: PoolProfile = { ...fixtureProfile(), usernameMustEqualEmail: false, usernameCaseSensitive: false };
const FILE = "users/x/y.yaml";

function entry(username: string, email = "a@example.com"): string {
  return `  - username: ${JSON.stringify(username)}\n    email: ${JSON.stringify(email)}\n    email_verified: true\n    mfa_enabled: true\n`;
}
const check = (username: string, email?: string) => checkUsersFileText(`users:\n${entry(username, email)}`, FILE, profile);
const findings = (username: string, email?: string) =>
  check(username, email).diagnostics.map((d) => ({ code: d.code, severity: d.severity, line: d.line, message: d.message }));

describe("invisible characters are refused", () => {
  it.each([
    ["Hangul filler", "paul\u3164"],
    ["combining grapheme joiner", "pa\u034ful"],
    ["variation selector", "paul\ufe0f"],
    ["variation selector supplement", "paul\u{e0100}"],
  ])("%s in a username", (_name, username) => {
    const found = findings(username);
    expect(found).toEqual([expect.objectContaining({ code: "IDENTITY_INVISIBLE_CHARACTER", severity: "error", line: 2 })]);
  });

  it("in an email, by the schema's email format (ASCII only)", () => {
    expect(findings("paul", "pa\u034ful@example.com")).toEqual([expect.objectContaining({ code: "INVALID_EMAIL", line: 3 })]);
  });
});

describe("decomposed text is refused with the composed form to write", () => {
  it("NFD é", () => {
    const found = findings("jose\u0301");
    expect(found).toEqual([expect.objectContaining({ code: "IDENTITY_NOT_NFC", severity: "error" })]);
    expect(found[0].message).toContain(JSON.stringify("jos\u00e9"));
    // The composed form passes.
    expect(findings("jos\u00e9")).toEqual([]);
  });
});

describe("look-alikes are warned with both forms", () => {
  it("full-width letters", () => {
    const found = findings("\uff50\uff41\uff55\uff4c");
    expect(found).toEqual([expect.objectContaining({ code: "IDENTITY_LOOKALIKE", severity: "warning" })]);
    expect(found[0].message).toContain('looks like "paul"');
  });

  it("a Cyrillic letter in a Latin name", () => {
    const found = findings("p\u0430ul");
    expect(found).toEqual([expect.objectContaining({ code: "IDENTITY_LOOKALIKE", severity: "warning" })]);
    expect(found[0].message).toContain("mixes Latin and Cyrillic");
    expect(found[0].message).toContain("U+0430");
    expect(found[0].message).toContain('it looks like "paul"');
    expect(check("p\u0430ul").users).toHaveLength(1);
  });

  it("says nothing for names in one script, or Japanese mixing Han and kana", () => {
    expect(findings("zoë")).toEqual([]);
    expect(findings("\u0410\u043d\u043d\u0430")).toEqual([]);
    expect(findings("\u5c71\u7530\u305f\u308d\u3046")).toEqual([]);
  });
});

describe("two users whose identities look alike", () => {
  it("are warned at the second, naming the first, with the differing code points", () => {
    const first = checkUsersFileText(`users:\n${entry("paul", "paul@example.com")}`, "users/a/a.yaml", profile);
    const second = checkUsersFileText(`users:\n${entry("P\u0430ul", "paul2@example.com")}`, "users/b/b.yaml", profile);
    const roster = combineFileResults([first, second], profile);
    const lookalikes = roster.diagnostics.filter((d) => d.code.startsWith("LOOKALIKE_"));
    expect(lookalikes.map((d) => `${d.file}:${d.line} ${d.code} ${d.severity}`)).toEqual(["users/b/b.yaml:2 LOOKALIKE_USERNAME warning"]);
    expect(lookalikes[0].message).toContain('looks like "paul" at users/a/a.yaml:2:15');
    expect(lookalikes[0].message).toContain("U+0430 where the other has U+0061");
  });

  it("an exact duplicate stays a duplicate, not a look-alike", () => {
    const a = checkUsersFileText(`users:\n${entry("zoë", "z1@example.com")}`, "users/a/a.yaml", profile);
    const b = checkUsersFileText(`users:\n${entry("Zoë", "z2@example.com")}`, "users/b/b.yaml", profile);
    expect(combineFileResults([a, b], profile).diagnostics.map((d) => d.code)).toEqual(["DUPLICATE_USERNAME"]);
  });
});
