/**
 * `cognito-roster intake` on spreadsheets read as streams: a problem in every row is answered with the first 1000 and a
 * count of the rest, and a failed intake leaves nothing behind (no temporary file, no new office folder).
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { makeCheckout, type RosterCheckout } from "../support/roster-fixture";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const ROSTER = path.join(ROOT, "bin", "cognito-roster.js");

let checkout: RosterCheckout;
beforeEach(() => {
  checkout = makeCheckout();
  copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(checkout.repoRoot, "Pulumi.dev.yaml"));
  checkout.write("kss/a.yaml", [{ n: 1 }]);
});
afterEach(() => checkout.cleanup());

function roster(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [ROSTER, ...args], { cwd: checkout.repoRoot, maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: withoutBuildWarning(r.stderr) }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: withoutBuildWarning(e.stderr) }),
  );
}

function withoutBuildWarning(stderr: string): string {
  return stderr.replace(/^cognito-roster: warning: dist\/ is older than .*\n/m, "");
}

function sheet(rows: string[]): void {
  writeFileSync(path.join(checkout.repoRoot, "trainees.csv"), `${rows.join("\r\n")}\r\n`);
}

test("a problem in each of 1500 rows: the first 1000 by row, then how many more; every one counted; nothing written", async () => {
  const rows = Array.from(
    { length: 1500 },
    (_, i) => `trainee.${String(i).padStart(4, "0")}@example.nhs.uk ,+447700900${String(i % 1000).padStart(3, "0")}`,
  );
  sheet(["email,phone_number", ...rows]);
  const result = await roster("intake", "trainees.csv", "--office", "wessex");
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split("\n");
  expect(lines).toHaveLength(1002);
  expect(lines[0]).toMatch(/^trainees\.csv:2:1: error TRAILING_SPACE /);
  expect(lines[999]).toMatch(/^trainees\.csv:1001:1: error TRAILING_SPACE /);
  expect(lines.slice(1000)).toEqual([
    "cognito-roster intake: 500 more findings not shown (the first 1000 are)",
    "cognito-roster intake: 1500 problems; nothing written",
  ]);
  expect(existsSync(path.join(checkout.usersDir, "wessex"))).toBe(false);
});

test("a validator finding in a new office: no folder, no temporary file left behind", async () => {
  sheet(["email,phone_number", "not-an-email,+447700900001"]);
  const result = await roster("intake", "trainees.csv", "--office", "wessex");
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^trainees\.csv:2:1: error INVALID_EMAIL column A \(email\): /m);
  expect(existsSync(path.join(checkout.usersDir, "wessex"))).toBe(false);
});

test("a validator finding in an existing office: the file unchanged and no temporary file beside it", async () => {
  const london = path.join(checkout.usersDir, "london");
  mkdirSync(london);
  const existing = "# yaml-language-server: $schema=../../schemas/users-file.schema.json\nusers:\n";
  writeFileSync(path.join(london, "intake.yaml"), existing);
  sheet(["email,phone_number", "amy.one@example.nhs.uk,+447700900001", "not-an-email,+447700900002"]);
  const result = await roster("intake", "trainees.csv", "--office", "london");
  expect(result.code).toBe(1);
  expect(readFileSync(path.join(london, "intake.yaml"), "utf8")).toBe(existing);
  expect(readdirSync(london)).toEqual(["intake.yaml"]);
});
