/**
 * `cognito-roster validate` end to end: through the compiled `bin/cognito-roster.js` when `dist/cli/main.js` exists, otherwise
 * through `runValidateCommand` with stdout and stderr captured.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseValidateArgs, runValidateCommand } from "../../cli/validate-command";
import { summaryLine } from "../../core/validate-summary";
import { FIXTURE_STACK_FILE, FIXTURES, REPO_ROOT } from "./fixture-cases";

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

const compiledCli = path.join(REPO_ROOT, "dist", "cli", "main.js");

async function validate(cwd: string, args: string[]): Promise<Outcome> {
  if (existsSync(compiledCli)) {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin", "cognito-roster.js"), "validate", ...args], {
      cwd,
      encoding: "utf8",
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }
  const out: string[] = [];
  const err: string[] = [];
  const cwdBefore = process.cwd();
  const stdoutWrite = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const stderrWrite = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  try {
    process.chdir(cwd);
    const code = await runValidateCommand(args);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.chdir(cwdBefore);
    stdoutWrite.mockRestore();
    stderrWrite.mockRestore();
  }
}

/** A scratch repo: a fixture's users tree, and the frozen profile the fixtures are checked with as its dev stack. */
function scratchRepo(fixture: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "roster-validate-"));
  copyFileSync(FIXTURE_STACK_FILE, path.join(dir, "Pulumi.dev.yaml"));
  spawnSync("cp", ["-r", path.join(FIXTURES, fixture, "users"), path.join(dir, "users")]);
  return dir;
}

describe("cognito-roster validate", () => {
  it("exits 0 on the repository's example users and prints the summary", async () => {
    const r = await validate(REPO_ROOT, ["--users", "examples/users"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^0 errors, 0 warnings in \d+ files \(\d+ users\)$/);
  });

  it("stops on the repository's users/, which starts empty (a README only): an empty roster would mean nobody", async () => {
    const r = await validate(REPO_ROOT, []);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^users: error USERS_DIR_EMPTY the users folder holds no \.yaml or \.yml file: add OFFICE\/FILE\.yaml/m);
  });

  it("exits 1 with file:line:col lines in text format", async () => {
    const r = await validate(scratchRepo("invalid/duplicate-username-across-files"), ["--format", "text"]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^users\/london\/2026-08\.yaml:8:15: error DUPLICATE_USERNAME ann\.example@example\.nhs\.uk is also declared at users\/kss\/intake\.yaml:2:15$/,
    );
    expect(lines[lines.length - 1]).toBe("1 error, 0 warnings in 2 files (2 users); 1 path with errors");
  });

  it("prints only the diagnostics array in json format", async () => {
    const r = await validate(scratchRepo("invalid/mfa-missing"), ["--format=json", "--stack", "dev", "--users", "users"]);
    expect(r.code).toBe(1);
    const parsed = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(parsed).toEqual([
      { file: "users/office/people.yaml", line: 2, col: 3, severity: "error", code: "MFA_MISSING", message: expect.any(String) },
    ]);
    expect(Object.keys(parsed[0])).toEqual(["file", "line", "col", "severity", "code", "message"]);
  });

  it("exits 2 on an unknown flag, a missing stack file or a missing users directory", async () => {
    expect((await validate(REPO_ROOT, ["--colour"])).code).toBe(2);
    const noStack = await validate(REPO_ROOT, ["--stack", "nosuchstack"]);
    expect(noStack.code).toBe(2);
    expect(noStack.stderr).toContain("STACK_NOT_FOUND");
    expect((await validate(REPO_ROOT, ["--users", "no-such-users-dir"])).code).toBe(2);
    expect((await validate(REPO_ROOT, ["--format", "xml"])).code).toBe(2);
  });

  it("exits 2 on an invalid profile, printing its diagnostics", async () => {
    const dir = scratchRepo("valid/two-offices");
    writeFileSync(
      path.join(dir, "Pulumi.broken.yaml"),
      "config:\n  aws:region: eu-west-2\n  cognito-roster:userPoolId: eu-west-2_X1\n  cognito-roster:mfaConfiguration: MAYBE\n  cognito-roster:autoVerifiedAttributes: [email]\n",
    );
    const r = await validate(dir, ["--stack", "broken"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("CONFIG_INVALID");
  });

  it("parses arguments and pluralises the summary", () => {
    expect(parseValidateArgs([])).toEqual({ usersDir: "users", stack: "dev", format: "text" });
    expect(parseValidateArgs(["--users", "x", "--stack=prod"])).toEqual({ usersDir: "x", stack: "prod", format: "text" });
    expect(typeof parseValidateArgs(["--users"])).toBe("string");
    expect(summaryLine([], 1, 1)).toBe("0 errors, 0 warnings in 1 file (1 user)");
  });
});
