/**
 * The conventions every `roster` command keeps, run as a user runs them (the compiled command in a checkout of
 * its own): --help/-h and `cognito-roster help`, --version, a "did you mean" for a misspelt flag, the same exit codes
 * everywhere (0 ok, 1 problems found or failed, 2 usage or configuration), no colour off a terminal, and one
 * line instead of a stack trace when the build is missing or a port is taken.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { makeCheckout, type RosterCheckout } from "../support/roster-fixture";

const ROOT = path.resolve(__dirname, "../..");
const ROSTER = path.join(ROOT, "bin", "cognito-roster.js");
const COMMANDS = ["validate", "plan", "apply", "start", "export", "intake", "emulator"];
/** Commands that take --users, and arguments that get them past their other required flags. */
const WITH_USERS: Record<string, string[]> = {
  validate: [],
  plan: [],
  apply: ["--yes"],
  export: [],
  intake: ["sheet.csv", "--office", "london"],
  start: [],
};

let checkout: RosterCheckout;
beforeAll(() => {
  checkout = makeCheckout();
  copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(checkout.repoRoot, "Pulumi.dev.yaml"));
  writeFileSync(path.join(checkout.repoRoot, "sheet.csv"), "email\n");
});
afterAll(() => checkout.cleanup());

function roster(args: string[], options: { cwd?: string; bin?: string; env?: NodeJS.ProcessEnv } = {}) {
  // An endpoint nothing listens on: a command that got as far as AWS would fail (exit 1), not hang.
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: "http://127.0.0.1:9",
    AWS_ACCESS_KEY_ID: "x",
    AWS_SECRET_ACCESS_KEY: "x",
    ...options.env,
  };
  const result = spawnSync(process.execPath, [options.bin ?? ROSTER, ...args], {
    cwd: options.cwd ?? checkout.repoRoot,
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  // While sources are being edited the build may be older than them; that warning is tested on its own below.
  const stderr = options.bin ? result.stderr : result.stderr.replace(/^cognito-roster: warning: dist\/ is older than .*\n/m, "");
  return { code: result.status, stdout: result.stdout, stderr };
}

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

describe.each(COMMANDS)("roster %s", (command) => {
  test("--help, -h and `cognito-roster help` print the command's usage on stdout and exit 0", () => {
    for (const args of [
      [command, "--help"],
      [command, "-h"],
      ["help", command],
    ]) {
      const result = roster(args);
      expect({ args, code: result.code }).toEqual({ args, code: 0 });
      expect(result.stdout).toMatch(new RegExp(`^usage: cognito-roster ${command}`));
      expect(result.stdout).not.toMatch(/\u001b\[/);
    }
  });
});

// The emulator's flags are its own (emulator/command.ts); every other command takes --users.
test.each(COMMANDS.filter((c) => c !== "emulator"))(
  "roster %s: a misspelt flag is a usage error (exit 2) naming the closest flag",
  (command) => {
    const result = roster([command, ...(WITH_USERS[command] ?? []), "--user", "users"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown flag --user \(did you mean --users\?\)/);
    expect(result.stdout).toBe("");
  },
);

test.each(Object.keys(WITH_USERS))(
  "a missing users folder is exit 2 from %s, naming the path (never a made-up position; export creates it only when asked)",
  (command) => {
    if (command === "export") {
      // export creates the folder it writes to only with --create-users (a typo would otherwise hold the whole pool);
      // with it, this pool cannot be reached (exit 1).
      expect(roster([command, ...WITH_USERS[command], "--users", "nope", "--create-users"]).code).toBe(1);
    }
    const result = roster([command, ...WITH_USERS[command], "--users", "nope"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the users directory nope does not exist/);
    expect(result.stderr).not.toMatch(/nope:1:1/);
    expectNoStackTrace(result.stderr);
  },
);

test("exit 1 when the work fails: plan, export and apply against an endpoint that does not answer; validate and start with errors", () => {
  checkout.write("london/a.yaml", [{ n: 1 }]);
  for (const command of [["plan"], ["export"], ["apply", "--yes"]]) {
    const result = roster(command);
    expect({ command, code: result.code }).toEqual({ command, code: 1 });
    expect(result.stderr.trim().split("\n").pop()).toMatch(new RegExp(`^cognito-roster ${command[0]}: `)); // progress, then one line saying why
    expectNoStackTrace(result.stderr);
  }
  writeFileSync(path.join(checkout.usersDir, "london", "b.yaml"), "users:\n  - username: 12\n");
  expect(roster(["validate"]).code).toBe(1);
  expect(roster(["start"]).code).toBe(1);
  rmSync(path.join(checkout.usersDir, "london", "b.yaml"));
  expect(roster(["validate"]).code).toBe(0);
});

test("the top level: help, version, unknown command, no command", () => {
  const help = roster(["--help"]);
  expect(help.code).toBe(0);
  for (const command of COMMANDS) expect(help.stdout).toContain(`  ${command} `);
  expect(help.stdout).toMatch(/exit codes: 0 ok, 1 problems found or failed, 2 usage or configuration error/);
  expect(roster(["help"]).code).toBe(0);
  const version = roster(["--version"]);
  expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^cognito-roster \d+\.\d+\.\d+\n$/) });
  const unknown = roster(["vaildate"]);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/unknown command "vaildate" \(did you mean validate\?\)/);
  expect(roster(["help", "nope"]).code).toBe(2);
  const none = roster([]);
  expect(none.code).toBe(2);
  expect(none.stdout).toBe("");
});

test("no colour off a terminal or with NO_COLOR", () => {
  checkout.write("london/a.yaml", [{ n: 1 }]);
  for (const env of [{}, { NO_COLOR: "1" }]) {
    const result = roster(["validate"], { env });
    expect(result.stdout + result.stderr).not.toMatch(/\u001b\[/);
  }
});

describe("bin/cognito-roster.js before a build", () => {
  let fake: string;
  beforeAll(() => {
    fake = mkdtempSync(path.join(tmpdir(), "roster-bin-"));
    mkdirSync(path.join(fake, "bin"));
    copyFileSync(ROSTER, path.join(fake, "bin", "cognito-roster.js"));
  });
  afterAll(() => rmSync(fake, { recursive: true, force: true }));

  test("dist/ missing: one clear line, exit 2, no stack trace", () => {
    const result = roster(["validate"], { cwd: fake, bin: path.join(fake, "bin", "cognito-roster.js") });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "cognito-roster: not built yet: dist/cli/main.js is missing. Run `npm run build` (npm ci runs it too, through the prepare script).\n",
    );
  });

  test("dist/ older than the sources: says so, then runs", () => {
    mkdirSync(path.join(fake, "dist", "cli"), { recursive: true });
    mkdirSync(path.join(fake, "cli"), { recursive: true });
    writeFileSync(path.join(fake, "dist", "cli", "main.js"), "exports.main = async () => { process.stdout.write('ran\\n'); return 0; };\n");
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(path.join(fake, "dist", "cli", "main.js"), old, old);
    writeFileSync(path.join(fake, "cli", "main.ts"), "// newer\n");
    const result = roster(["validate"], { cwd: fake, bin: path.join(fake, "bin", "cognito-roster.js") });
    expect(result).toMatchObject({ code: 0, stdout: "ran\n" });
    expect(result.stderr).toBe("cognito-roster: warning: dist/ is older than cli/main.ts; run `npm run build` to use your changes\n");
  });

  test("a build that cannot load: one line, exit 2", () => {
    writeFileSync(path.join(fake, "dist", "cli", "main.js"), "require('./gone');\n");
    const result = roster(["validate"], { cwd: fake, bin: path.join(fake, "bin", "cognito-roster.js") });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n").pop()).toMatch(
      /^cognito-roster: the build in dist\/ cannot be loaded \(Cannot find module '\.\/gone'.*\)\. Run `npm run build`\.$/,
    );
    expectNoStackTrace(result.stderr);
  });
});

describe("a port already in use", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("cognito-roster emulator says so in one line", () => {
    const result = roster(["emulator", "--port", String(port)]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/EADDRINUSE|in use/);
  });
});

test("the README's emulator example uses a port of its own and stops cleanly with kill", async () => {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const line = /^node bin\/cognito-roster\.js emulator --port (\d+) .*&/m.exec(readme);
  expect(line).not.toBeNull();
  expect(line![1]).not.toBe("9229"); // Node's inspector port
  expect(readme).toMatch(/^EMULATOR=\$!\n(.*\n)*kill \$EMULATOR$/m);
  // The same command (on a free port), stopped the way the README stops it.
  const child = spawn(process.execPath, [ROSTER, "emulator", "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(chunk.toString());
      if (m) resolve(m[0]);
    });
    child.on("exit", (code) => reject(new Error(`emulator exited early (${code})`)));
  });
  expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  // Serving (as it is when someone types `kill` later): the endpoint line is printed a moment before the handler.
  await fetch(endpoint).then((r) => r.arrayBuffer());
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
});

test("credentials in AWS_ENDPOINT_URL are never printed", () => {
  const users = path.join(ROOT, "examples", "users");
  const result = roster(["plan", "--users", users], { env: { AWS_ENDPOINT_URL: "http://ci-user:s3cr3t-token@127.0.0.1:9" } });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("http://***@127.0.0.1:9");
  expect(`${result.stdout}${result.stderr}`).not.toMatch(/s3cr3t|ci-user/);
});
