/**
 * A fresh clone (issue 19.1): `users/` holds only its README, the samples are in `examples/users/`, and `npm start`
 * applies them to the emulator (twice: the second run has nothing to do), while validating `users/` stops with
 * USERS_DIR_EMPTY. The clone is the repository's tracked files; the compiled command runs from this checkout
 * (a clone would run `npm ci` first), with the arguments `npm start` gives it in the clone's package.json.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const ROSTER = path.join(ROOT, "bin", "cognito-roster.js");

let clone: string;
beforeAll(() => {
  clone = mkdtempSync(path.join(tmpdir(), "roster-clone-"));
  const tracked = execFileSync("git", ["ls-files", "-z", "--", "Pulumi.dev.yaml", "package.json", "users", "examples"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  for (const file of tracked) {
    mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
    cpSync(path.join(ROOT, file), path.join(clone, file));
  }
});
afterAll(() => rmSync(clone, { recursive: true, force: true }));

/** `npm start` as the clone's package.json defines it, with `node bin/cognito-roster.js` being this checkout's command. */
function npmStart() {
  const script: string = JSON.parse(readFileSync(path.join(clone, "package.json"), "utf8")).scripts.start;
  const [node, bin, ...args] = script.split(" ");
  expect([node, bin]).toEqual(["node", "bin/cognito-roster.js"]);
  const env = { ...process.env };
  delete env.AWS_ENDPOINT_URL;
  return spawnSync(process.execPath, [ROSTER, ...args], { cwd: clone, env, encoding: "utf8" });
}

test("users/ starts with its README only; the samples are under examples/users/", () => {
  expect(readdirSync(path.join(clone, "users"))).toEqual(["README.md"]);
  expect(readdirSync(path.join(clone, "examples", "users")).sort()).toEqual(["kss", "london", "north-west", "yorkshire"]);
});

test("npm start applies the example tree to the emulator, and a second run has nothing to do", () => {
  const first = npmStart();
  expect(first.status).toBe(0);
  expect(first.stdout).toMatch(/^1\. validate examples\/users against stack dev$/m);
  expect(first.stdout).toMatch(/^ {3}13 users in 5 files, no errors$/m);
  expect(first.stdout).toMatch(/applied to eu-west-2_Tr41n33s0: 12 imported, .* 0 failed/);
  const second = npmStart();
  expect(second.status).toBe(0);
  expect(second.stdout).toContain("nothing to do");
});

test("cognito-roster validate on the empty users/ stops with USERS_DIR_EMPTY and says where the samples are", () => {
  const r = spawnSync(process.execPath, [ROSTER, "validate"], { cwd: clone, encoding: "utf8" });
  expect(r.status).toBe(1);
  expect(r.stdout).toContain("error USERS_DIR_EMPTY");
  expect(r.stdout).toContain("examples/users");
});
