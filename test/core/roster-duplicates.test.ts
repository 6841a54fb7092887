import { findDuplicateUsers } from "../../core/roster-duplicates";
import type { UserIdentity } from "../../core/user-identity";

const at = (file: string, line: number) => ({ file, line, col: 15 });
const id = (username: string, file: string, line: number, userIndex: number, email?: string): UserIdentity =>
  email
    ? { username, usernamePlace: at(file, line), email, emailPlace: { file, line: line + 1, col: 12 }, userIndex }
    : { username, usernamePlace: at(file, line), userIndex };

describe("findDuplicateUsers", () => {
  const files = [
    [id("Ann", "a.yaml", 2, 0, "ann@example.com"), id("bob", "a.yaml", 7, 1, "bob@example.com")],
    [id("ann", "b.yaml", 3, 0, "other@example.com"), id("cat", "b.yaml", 8, 1, "BOB@example.com")],
  ];

  it("reports the second place, naming the first, case-insensitively", () => {
    const r = findDuplicateUsers(files, false);
    expect(r.diagnostics).toMatchObject([
      { file: "b.yaml", line: 3, code: "DUPLICATE_USERNAME", message: expect.stringContaining("also declared at a.yaml:2:15") },
      { file: "b.yaml", line: 9, code: "DUPLICATE_EMAIL", message: expect.stringContaining("bob at a.yaml:8:12") },
    ]);
    expect(r.duplicateUserIndexes.map((s) => [...s])).toEqual([[], [0, 1]]);
  });

  it("treats usernames differing in case as different when the pool is case-sensitive", () => {
    expect(findDuplicateUsers(files, true).diagnostics.map((d) => d.code)).toEqual(["DUPLICATE_EMAIL"]);
  });
});

describe("phone numbers where the pool makes them unique", () => {
  const phone = (username: string, line: number, userIndex: number, number: string, verified: boolean): UserIdentity => ({
    username,
    usernamePlace: at("a.yaml", line),
    phone: number,
    phonePlace: { file: "a.yaml", line: line + 2, col: 19 },
    ...(verified ? { phoneVerified: true } : {}),
    userIndex,
  });
  const files = [
    [phone("ann", 2, 0, "+447700900101", true), phone("bob", 8, 1, "+447700900101", true), phone("cat", 14, 2, "+447700900101", false)],
  ];

  it("as an alias: the second verified holder is DUPLICATE_PHONE at its phone, naming the first; an unverified one is no alias", () => {
    const r = findDuplicateUsers(files, false, { uniquePhone: "verified" });
    expect(r.diagnostics).toMatchObject([
      {
        file: "a.yaml",
        line: 10,
        col: 19,
        code: "DUPLICATE_PHONE",
        message: expect.stringContaining("verified phone_number of ann at a.yaml:4:19"),
      },
    ]);
    expect(r.duplicateUserIndexes.map((s) => [...s])).toEqual([[1]]);
  });

  it("as a username attribute: every second holder, verified or not", () => {
    const r = findDuplicateUsers(files, false, { uniquePhone: "all" });
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["DUPLICATE_PHONE", 10],
      ["DUPLICATE_PHONE", 16],
    ]);
  });

  it("is no problem where the phone number is neither", () => {
    expect(findDuplicateUsers(files, false).diagnostics).toEqual([]);
  });
});
