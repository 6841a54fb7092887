/**
 * `cognito-roster intake` as an office administrator runs it: a messy spreadsheet export gets every problem at once by
 * row and column and nothing written; a clean one is appended keeping the file's comments, with file:line for
 * each trainee added; duplicates of the roster are refused; --dry-run writes nothing; the result validates.
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { makeCheckout, type RosterCheckout } from "../support/roster-fixture";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const ROSTER = path.join(ROOT, "bin", "cognito-roster.js");

const EXISTING = [
  "# yaml-language-server: $schema=../../schemas/users-file.schema.json",
  "# London trainees. Synthetic people only.",
  "defaults:",
  "  mfa_enabled: true",
  "  email_verified: true # the office checked them",
  "users:",
  "  - username: zara.first@example.nhs.uk # came first",
  "    email: zara.first@example.nhs.uk",
  '    phone_number: "+447700900099" # the dev stack asks every trainee for a mobile',
  "",
].join("\n");

let checkout: RosterCheckout;
let london: string;
beforeEach(() => {
  checkout = makeCheckout();
  copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(checkout.repoRoot, "Pulumi.dev.yaml"));
  checkout.write("kss/a.yaml", [{ n: 1 }]);
  london = path.join(checkout.usersDir, "london", "2026-08.yaml");
  mkdirSync(path.dirname(london));
  writeFileSync(london, EXISTING);
  writeFileSync(path.join(checkout.repoRoot, "columns.yaml"), "Mobile: phone_number\nDate of birth: birthdate\nNotes: skip\n");
});
afterEach(() => checkout.cleanup());

function roster(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [ROSTER, ...args], { cwd: checkout.repoRoot }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: withoutBuildWarning(r.stderr) }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: withoutBuildWarning(e.stderr) }),
  );
}

/** While sources are being edited the build may be older than them (tested in conventions.test.ts). */
function withoutBuildWarning(stderr: string): string {
  return stderr.replace(/^cognito-roster: warning: dist\/ is older than .*\n/m, "");
}

function sheet(rows: string[]): void {
  // What a spreadsheet's "CSV UTF-8" export looks like: a BOM and CRLF line ends.
  writeFileSync(path.join(checkout.repoRoot, "trainees.csv"), `\uFEFF${rows.join("\r\n")}\r\n`);
}

const FLAGS = [
  "trainees.csv",
  "--office",
  "london",
  "--file",
  "2026-08.yaml",
  "--map",
  "columns.yaml",
  "--default-country",
  "GB",
  "--date-format",
  "dd/mm/yyyy",
];

test("every problem in a messy export at once, by row and column; nothing written", async () => {
  sheet([
    "email,Given Name,family_name,Mobile,Date of birth,Notes,Grade",
    "amy.one@example.nhs.uk ,Amy,One,07700 900001,01/02/1990,,",
    "trainee.0001@example.nhs.uk,Ben,Two,07700 900002,30/02/1990,,",
    "cal.three@example.nhs.uk,Cal,Three,01632 960001,,late,",
    "not-an-email,Dee,Four,,,,",
  ]);
  const result = await roster("intake", ...FLAGS);
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split("\n")).toEqual([
    expect.stringMatching(/^trainees\.csv:1:7: error UNMAPPED_COLUMN column G \(Grade\)/),
    'trainees.csv:2:1: error TRAILING_SPACE column A (email): trailing space in "amy.one@example.nhs.uk ": remove it in the spreadsheet',
    expect.stringMatching(
      /^trainees\.csv:3:1: error ALREADY_IN_ROSTER column A \(email\): this username is already declared at users\/kss\/a\.yaml:5$/,
    ),
    expect.stringMatching(/^trainees\.csv:3:5: error INVALID_DATE /),
    expect.stringMatching(/^trainees\.csv:4:4: error INVALID_PHONE /),
    "cognito-roster intake: 5 problems; nothing written",
  ]);
  expect(result.stdout).toBe("");
  expect(readFileSync(london, "utf8")).toBe(EXISTING);
});

test("problems the project's validator finds are placed at their row and column too", async () => {
  sheet(["email,Given Name", "not-an-email,Dee"]);
  const result = await roster("intake", "trainees.csv", "--office", "london", "--file", "2026-08.yaml");
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^trainees\.csv:2:1: error INVALID_EMAIL column A \(email\): /m);
  expect(readFileSync(london, "utf8")).toBe(EXISTING);
});

test("a clean export is appended, comments and order kept, each trainee printed with file:line; the result validates", async () => {
  sheet([
    "email,Given Name,family_name,Mobile,Date of birth,Notes",
    "amy.one@example.nhs.uk,Amy,One,07700 900001,01/02/1990,",
    ",,,,,",
    "ben.two@example.nhs.uk,Ben,Two,+447700900002,,starts late",
  ]);
  const dry = await roster("intake", ...FLAGS, "--dry-run");
  expect(dry.code).toBe(0);
  expect(dry.stdout).toContain("dry run: would add 2 trainees to users/london/2026-08.yaml; 1 empty row skipped; nothing written");
  expect(readFileSync(london, "utf8")).toBe(EXISTING);

  const result = await roster("intake", ...FLAGS);
  // Which verified flags the new trainees get, and from where (a verified address is where reset codes go).
  expect(result).toMatchObject({
    code: 0,
    stderr: "cognito-roster intake: email_verified: true, from the defaults of the file the trainees are added to\n",
  });
  expect(result.stdout).toBe(
    [
      "users/london/2026-08.yaml:10: added amy.one@example.nhs.uk (row 2)",
      "users/london/2026-08.yaml:16: added ben.two@example.nhs.uk (row 4)",
      "added 2 trainees to users/london/2026-08.yaml; 1 empty row skipped",
      "",
    ].join("\n"),
  );
  const text = readFileSync(london, "utf8");
  expect(text.startsWith(EXISTING)).toBe(true);
  const lines = text.split("\n");
  expect(lines[9]).toBe("  - username: amy.one@example.nhs.uk");
  expect(lines[15]).toBe("  - username: ben.two@example.nhs.uk");
  expect(lines.slice(9, 15)).toEqual([
    "  - username: amy.one@example.nhs.uk",
    "    email: amy.one@example.nhs.uk",
    "    given_name: Amy",
    "    family_name: One",
    "    birthdate: 1990-02-01",
    '    phone_number: "+447700900001"',
  ]);
  expect((await roster("validate")).code).toBe(0);

  // Taking in the same spreadsheet again is refused: they are in the roster now.
  const again = await roster("intake", ...FLAGS);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(
    /^trainees\.csv:2:1: error ALREADY_IN_ROSTER column A \(email\): this username is already declared at users\/london\/2026-08\.yaml:10$/m,
  );
});

test("a new office file is created with the modeline and the defaults the stack requires", async () => {
  sheet(["email,given_name,phone_number", "amy.one@example.nhs.uk,Amy,+447700900001"]);
  const result = await roster("intake", "trainees.csv", "--office", "wessex");
  expect(result.code).toBe(0);
  const created = path.join(checkout.usersDir, "wessex", "intake.yaml");
  expect(existsSync(created)).toBe(true);
  expect(readFileSync(created, "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=../../schemas/users-file.schema.json");
  expect((await roster("validate")).code).toBe(0);
});

test("usage errors are exit 2", async () => {
  sheet(["email", "amy.one@example.nhs.uk"]);
  expect((await roster("intake", "trainees.csv")).code).toBe(2); // no --office
  expect((await roster("intake", "missing.csv", "--office", "london")).code).toBe(2);
  expect((await roster("intake", "trainees.csv", "--office", "London Office")).code).toBe(2);
  expect((await roster("intake", "trainees.csv", "--office", "london", "--date-format", "d/m/y")).code).toBe(2);
  const notUtf8 = path.join(checkout.repoRoot, "latin1.csv");
  writeFileSync(notUtf8, Buffer.from("email,given_name\namy.one@example.nhs.uk,Zo\xeb\n", "latin1"));
  const latin1 = await roster("intake", "latin1.csv", "--office", "london");
  expect(latin1.code).toBe(1);
  expect(latin1.stderr).toMatch(/^latin1\.csv:2:26: error NOT_UTF8 byte 0xEB is not UTF-8/m);
});

test("a new file: intake says it sets email_verified in the defaults, and why; a spreadsheet column is its own source", async () => {
  sheet(["email,Given Name,family_name,Mobile", "amy.one@example.nhs.uk,Amy,One,07700 900001"]);
  const result = await roster(
    "intake",
    "trainees.csv",
    "--office",
    "yorkshire",
    "--file",
    "2026-08.yaml",
    "--column",
    "Mobile=phone_number",
    "--default-country",
    "GB",
  );
  expect(result.code).toBe(0);
  expect(result.stderr).toBe(
    "cognito-roster intake: email_verified: true in the new file's defaults, because the pool auto-verifies email (autoVerifiedAttributes) " +
      "and the stack's contactPolicy requires email verified: reset codes go only to a verified address, so send only addresses " +
      "known to be the trainee's (or add an email_verified column)\n",
  );
  expect(readFileSync(path.join(checkout.usersDir, "yorkshire", "2026-08.yaml"), "utf8")).toMatch(
    /^defaults:\n( {2}.*\n)* {2}email_verified: true$/m,
  );

  sheet(["email,Given Name,family_name,Mobile,email_verified", "bo.two@example.nhs.uk,Bo,Two,07700 900002,true"]);
  const own = await roster(
    "intake",
    "trainees.csv",
    "--office",
    "wales",
    "--file",
    "2026-08.yaml",
    "--column",
    "Mobile=phone_number",
    "--default-country",
    "GB",
  );
  expect(own.code).toBe(0);
  expect(own.stderr).toBe("cognito-roster intake: email_verified: from the spreadsheet's email_verified column, row by row\n");
});
