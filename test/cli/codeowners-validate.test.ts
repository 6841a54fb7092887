/**
 * `cognito-roster validate` reports, with positions in .github/CODEOWNERS, a users folder no entry of its own covers and
 * an entry for a folder that does not exist; a CODEOWNERS covering every office is quiet.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { makeCheckout, type RosterCheckout } from "../support/roster-fixture";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const ROSTER = path.join(ROOT, "bin", "cognito-roster.js");

let checkout: RosterCheckout;
beforeAll(() => {
  checkout = makeCheckout();
  copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(checkout.repoRoot, "Pulumi.dev.yaml"));
  checkout.write("london/a.yaml", [{ n: 1 }]);
  checkout.write("kss/a.yaml", [{ n: 2 }]);
  mkdirSync(path.join(checkout.repoRoot, ".github"));
});
afterAll(() => checkout.cleanup());

function validate() {
  return run(process.execPath, [ROSTER, "validate"], { cwd: checkout.repoRoot }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
}

test("an office folder without its own entry and an entry for a missing folder are errors placed in CODEOWNERS", async () => {
  writeFileSync(
    path.join(checkout.repoRoot, ".github", "CODEOWNERS"),
    "* @example-org/maintainers\n/users/london/ @example-org/office-london\n/users/wales/ @example-org/office-wales\n",
  );
  const result = await validate();
  expect(result.code).toBe(1);
  expect(result.stdout).toContain(
    ".github/CODEOWNERS:3:1: error CODEOWNERS_FOLDER_NOT_OWNED users/kss/ has no CODEOWNERS entry of its own (only *, line 1)",
  );
  expect(result.stdout).toContain(".github/CODEOWNERS:3:1: error CODEOWNERS_PATH_MISSING /users/wales/ does not exist in the repository");
});

test("every office owned, every entry real: no findings", async () => {
  writeFileSync(
    path.join(checkout.repoRoot, ".github", "CODEOWNERS"),
    "* @example-org/maintainers\n/users/london/ @example-org/office-london\n/users/kss/ @example-org/office-kss\n",
  );
  const result = await validate();
  expect(result).toMatchObject({ code: 0 });
  expect(result.stdout).not.toMatch(/CODEOWNERS/);
});
