/**
 * core/codeowners.ts: users folders no office entry covers, and entries for paths that do not exist, placed in
 * CODEOWNERS; GitHub's matching rules (last match wins, `dir/*` owns direct files only, no owners un-assigns).
 */
import { checkCodeowners, effectiveEntry, parseCodeowners, patternRegExp } from "../../core/codeowners";

const CODEOWNERS = [
  "# offices",
  "*                 @example-org/roster-maintainers",
  "/.github/         @example-org/roster-maintainers",
  "/users/london/    @example-org/office-london",
  "  /users/kss/     @example-org/office-kss # trailing comment",
  "/users/wales/     @example-org/office-wales",
  "",
].join("\n");

const exists = (p: string) => [".github", "users", "users/london", "users/kss", "users/yorkshire"].includes(p);

test("a folder with no entry of its own, and an entry for a folder that does not exist, are reported in CODEOWNERS", () => {
  const diagnostics = checkCodeowners({
    text: CODEOWNERS,
    file: ".github/CODEOWNERS",
    usersDir: "users",
    officeFolders: ["london", "kss", "yorkshire"],
    exists,
  });
  expect(diagnostics.map((d) => [d.file, d.line, d.col, d.code])).toEqual([
    [".github/CODEOWNERS", 6, 1, "CODEOWNERS_FOLDER_NOT_OWNED"],
    [".github/CODEOWNERS", 6, 1, "CODEOWNERS_PATH_MISSING"],
  ]);
  expect(diagnostics[0].message).toBe(
    "users/yorkshire/ has no CODEOWNERS entry of its own (only *, line 2): add a line `/users/yorkshire/ @org/team`",
  );
});

test("an entry covering every office at once, or one with no owners, is not an office's own", () => {
  const text = "/users/ @example-org/roster-maintainers\n/users/london/\n";
  const diagnostics = checkCodeowners({
    text,
    file: "CODEOWNERS",
    usersDir: "users",
    officeFolders: ["london", "kss"],
    exists: () => true,
  });
  expect(diagnostics.map((d) => d.message.split(" ")[0])).toEqual(["users/kss/", "users/london/"]);
});

test("no entry under the users folder: nothing to check", () => {
  expect(
    checkCodeowners({ text: "* @a/b\n", file: "CODEOWNERS", usersDir: "users", officeFolders: ["london"], exists: () => false }),
  ).toEqual([]);
});

test("GitHub's pattern rules", () => {
  expect(patternRegExp("*").test("users/london/a.yaml")).toBe(true);
  expect(patternRegExp("/users/london/").test("users/london/deep/a.yaml")).toBe(true);
  expect(patternRegExp("/users/london/").test("users/londonderry/a.yaml")).toBe(false);
  expect(patternRegExp("docs/*").test("docs/a.md")).toBe(true);
  expect(patternRegExp("docs/*").test("docs/sub/a.md")).toBe(false);
  expect(patternRegExp("apps/").test("x/apps/a.js")).toBe(true);
  expect(patternRegExp("**/logs").test("a/b/logs/x")).toBe(true);
  expect(patternRegExp("*.js").test("a/b.js")).toBe(true);
  const entries = parseCodeowners(CODEOWNERS);
  expect(entries[3]).toEqual({ pattern: "/users/kss/", owners: ["@example-org/office-kss"], line: 5, col: 3 });
  expect(effectiveEntry(entries, "users/kss/a.yaml")?.line).toBe(5);
  expect(effectiveEntry(entries, "README.md")?.line).toBe(2);
});
