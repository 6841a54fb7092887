/**
 * Issue 10 item 7: the README's personal-data policy, enforced. The whole flow runs in CI mode (CI=true) — the
 * emulator as `cognito-roster emulator`, then validate, plan in every format, apply, a failing import job, AWS errors that
 * echo a user's data, a removal named from the base's files, `cognito-roster start`, and the Pulumi provider in Pulumi's own
 * host over gRPC — and every output, log and file written is searched for each declared email, phone number,
 * username and name. Only what the README allows may hold one:
 *   - the plan's output on stdout (text, markdown, json), and the plan block `cognito-roster start` prints;
 *   - the emulator's state file and its saved uploads (the stand-in for the pool, which holds the users).
 * Everything else may not: stderr of every command (progress, errors), apply summaries, `.roster/applied-*.json`,
 * the emulator's own stdout and stderr, the provider's outputs and errors and the host's stdout and stderr.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createStackPool } from "../../cli/emulator-pool";
import { loadRoster } from "../../load/load-roster";
import type { PoolProfile } from "../../core/profile";
import { digestDeclaredUsers, rosterDigest } from "../../core/user-digest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { userPoolRosterProvider } from "../../providers/user-pool-roster-provider";
import { installSourceEngine } from "../support/engine-entry";
import { ProviderHost, resourceUrn, serializeProvider, type Props } from "../support/provider-host";
import { LOGS_ROLE, traineeProfile } from "../support/roster-fixture";
import { type EchoProxy, startEchoProxy } from "./echo-proxy";

const ROOT = path.resolve(__dirname, "../..");
const HOOK = path.join(ROOT, "test", "support", "transpile-on-require.js");
const MAIN = path.join(ROOT, "cli", "main.ts");

interface Trainee {
  given: string;
  family: string;
  phone: string;
}

/** Synthetic trainees with names that occur nowhere else, so any hit is theirs. */
const TRAINEES: Trainee[] = [
  { given: "Zanthea", family: "Quorlby", phone: "+447700900401" },
  { given: "Brivelle", family: "Oxtanwick", phone: "+447700900402" },
  { given: "Caspiane", family: "Yarrowmere", phone: "+447700900403" },
  { given: "Dellith", family: "Voskarne", phone: "+447700900404" },
];
/** The new given name of the first trainee (an attribute change that AWS then refuses, echoing it). */
const CHANGED_GIVEN = "Zanthoria";

const emailOf = (t: Trainee) => `${t.given}.${t.family}@example.nhs.uk`.toLowerCase();

/** A users file; `changed` renames the first trainee and, with `group`, puts the second in one more group. */
function usersFile(trainees: readonly Trainee[], changed: { given?: string; group?: string } = {}): string {
  const lines = ["defaults:", "  mfa_enabled: true", "  email_verified: true", "users:"];
  trainees.forEach((t, i) => {
    lines.push(`  - username: ${emailOf(t)}`, `    email: ${emailOf(t)}`);
    lines.push(`    given_name: ${i === 0 && changed.given ? changed.given : t.given}`, `    family_name: ${t.family}`);
    lines.push(`    phone_number: "${t.phone}"`, `    custom:tisId: "${t.phone.slice(-6)}"`);
    if (i === 1 && changed.group) lines.push(`    groups: [${changed.group}]`);
  });
  return `${lines.join("\n")}\n`;
}

/** Every value that identifies a trainee, as it could be printed: username/email, phone (with and without +), names. */
const NEEDLES = [...TRAINEES.flatMap((t) => [emailOf(t), t.phone, t.phone.slice(1), t.given, t.family]), CHANGED_GIVEN];

/** One output, log or file, and whether the policy lets it name users. */
interface Output {
  where: string;
  text: string;
  mayNameUsers: boolean;
}

const outputs: Output[] = [];
function record(where: string, text: string, mayNameUsers = false): void {
  outputs.push({ where, text, mayNameUsers });
}

function hitsIn(text: string): string[] {
  const lower = text.toLowerCase();
  return NEEDLES.filter((n) => lower.includes(n.toLowerCase()));
}

/** Every output the policy does not allow to name users, with the personal data found in it. */
function violations(): string[] {
  return outputs.filter((o) => !o.mayNameUsers).flatMap((o) => hitsIn(o.text).map((n) => `${o.where}: ${n}`));
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `roster ARGS` from the sources (never a stale dist/) in its own process, in CI mode, without blocking this one. */
function roster(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<Ran> {
  const child = spawnRoster(cwd, env, args);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

function spawnRoster(cwd: string, env: NodeJS.ProcessEnv, args: string[]): ChildProcess {
  const script = `require(${JSON.stringify(HOOK)}); require(${JSON.stringify(MAIN)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;
  return spawn(process.execPath, ["-e", script, ...args], {
    cwd,
    env: { ...process.env, CI: "true", NO_COLOR: "1", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Records a command's stdout and stderr; the plan's stdout may name users, nothing else may. */
async function step(label: string, cwd: string, env: NodeJS.ProcessEnv, args: string[], stdoutMayNameUsers = false): Promise<Ran> {
  const ran = await roster(cwd, env, args);
  record(`${label}: stdout`, ran.stdout, stdoutMayNameUsers);
  record(`${label}: stderr`, ran.stderr);
  return ran;
}

/** Every file under `dir`, recorded; `allowed(file)` says which may name users (inputs and the emulator's pool). */
function recordFiles(label: string, dir: string, allowed: (file: string) => boolean): string[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (name === "node_modules") continue;
      if (statSync(full).isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(dir);
  for (const file of files) record(`${label}: ${path.relative(dir, file)}`, readFileSync(file, "utf8"), allowed(file));
  return files.map((f) => path.relative(dir, f));
}

function makeRepo(prefix: string): { root: string; users: string } {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  writeFileSync(path.join(root, "Pulumi.dev.yaml"), readFileSync(path.join(ROOT, "Pulumi.dev.yaml")));
  const users = path.join(root, "users", "london");
  mkdirSync(users, { recursive: true });
  return { root, users: path.join(users, "privacy.yaml") };
}

const cleanups: (() => Promise<void> | void)[] = [];
async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) await cleanups.pop()!();
}
afterAll(runCleanups);

/** Starts `cognito-roster emulator --stack dev` as its own process and returns its endpoint; its stdout and stderr are recorded at the end. */
async function spawnEmulator(cwd: string, stateFile: string, faults: string[]): Promise<string> {
  const child = spawnRoster(cwd, {}, [
    "emulator",
    "--stack",
    "dev",
    "--port",
    "0",
    "--state",
    stateFile,
    ...faults.flatMap((f) => ["--fault", f]),
  ]);
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
      const line = stdout.match(/^(http:\/\/\S+)\n/m);
      if (line) resolve(line[1]);
    });
    child.once("exit", (code) => reject(new Error(`cognito-roster emulator exited (${code}): ${stderr}`)));
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => {
          record("cognito-roster emulator: stdout", stdout);
          record("cognito-roster emulator: stderr", stderr);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  );
  return endpoint;
}

test("the CLI flow in CI mode: only the plan names users, and AWS messages that echo them are scrubbed", async () => {
  const repo = makeRepo("roster-privacy-cli-");
  cleanups.push(() => rmSync(repo.root, { recursive: true, force: true }));
  writeFileSync(repo.users, usersFile(TRAINEES));
  const emulatorDir = path.join(repo.root, ".emulator");
  mkdirSync(emulatorDir);
  // The first import job fails after one row: three trainees fail with the job's reason.
  const emulator = await spawnEmulator(repo.root, path.join(emulatorDir, "state.json"), ["job-fail-after:1"]);
  const proxy = await startEchoProxy(emulator);
  cleanups.push(() => proxy.stop());
  const env = { AWS_ENDPOINT_URL: proxy.endpoint, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "eu-west-2" };
  const cli = (label: string, args: string[], planOutput = false) => step(label, repo.root, env, args, planOutput);

  expect((await cli("validate", ["validate"])).code).toBe(0);
  for (const format of ["text", "markdown", "json"])
    expect((await cli(`plan --format ${format}`, ["plan", "--format", format], true)).code).toBe(0);

  const failedJob = await cli("apply (import job fails)", ["apply", "--yes"]);
  expect(failedJob.code).toBe(1);
  expect(failedJob.stdout).toMatch(/failed users\/london\/privacy\.yaml:\d+: /);
  expect((await cli("apply (the rest)", ["apply", "--yes"])).code).toBe(0);

  // An attribute change AWS refuses with a message echoing the username, email, phone and names.
  const base = path.join(repo.root, ".base", "users");
  cpSync(path.join(repo.root, "users"), base, { recursive: true });
  writeFileSync(repo.users, usersFile(TRAINEES, { given: CHANGED_GIVEN, group: "kss-admins" }));
  proxy.echoErrorFor("AdminUpdateUserAttributes");
  proxy.echoErrorFor("AdminAddUserToGroup");
  const refused = await cli("apply (AWS echoes the user)", ["apply", "--yes"]);
  expect(refused.code).toBe(1);
  expect(refused.stdout).toMatch(/failed users\/london\/privacy\.yaml:5: .*<user>/);
  expect(refused.stdout).toMatch(/failed users\/london\/privacy\.yaml:11: AdminAddUserToGroup .*<user>/);

  // A read AWS refuses the same way: the error ends the command.
  proxy.clear();
  proxy.echoErrorFor("AdminGetUser");
  const readError = await cli("plan (AWS echoes the user)", ["plan"], true);
  expect(readError.code).toBe(1);
  expect(readError.stderr).toMatch(/InvalidParameterException/);
  expect((await cli("apply (AWS echoes the user on a read)", ["apply", "--yes"])).code).toBe(1);
  proxy.clear();
  expect(proxy.echoes()).toBeGreaterThanOrEqual(2);

  // A pull request removes the last trainee: its plan names them from the base's files, never from the pool.
  writeFileSync(repo.users, usersFile(TRAINEES.slice(0, 3), { given: CHANGED_GIVEN, group: "kss-admins" }));
  const named = await cli("plan --base-users", ["plan", "--format", "json", "--base-users", ".base/users"], true);
  expect(named.code).toBe(0);
  const removed = TRAINEES[3];
  expect(JSON.parse(named.stdout).remove).toEqual([
    expect.objectContaining({ username: emailOf(removed), file: "users/london/privacy.yaml", line: 23, action: "disable" }),
  ]);
  const unnamed = await cli("plan without --base-users", ["plan"], true);
  expect(unnamed.stdout).toMatch(/user [\w-]{16}: disable/);
  expect(unnamed.stdout).not.toContain(emailOf(removed));

  const written = recordFiles(
    "file",
    repo.root,
    (file) =>
      file.startsWith(emulatorDir) || file.startsWith(path.join(repo.root, "users")) || file.startsWith(path.join(repo.root, ".base")),
  );
  expect(written).toContain(path.join(".roster", "applied-dev.json"));
  expect(written).toContain(path.join(".emulator", "state.json"));
});

test("`cognito-roster start` in CI mode: only its plan names users", async () => {
  const repo = makeRepo("roster-privacy-start-");
  cleanups.push(() => rmSync(repo.root, { recursive: true, force: true }));
  writeFileSync(repo.users, usersFile(TRAINEES));
  const started = await roster(repo.root, {}, ["start"]);
  expect(started.code).toBe(0);
  record("cognito-roster start: stderr", started.stderr);
  // The plan (step 3) may name users; the validation, emulator and apply steps may not.
  const planStart = started.stdout.indexOf("\n3. plan\n");
  const applyStart = started.stdout.indexOf("\n4. apply\n");
  expect(planStart).toBeGreaterThan(0);
  expect(applyStart).toBeGreaterThan(planStart);
  record("cognito-roster start: stdout before the plan", started.stdout.slice(0, planStart));
  record("cognito-roster start: the plan", started.stdout.slice(planStart, applyStart), true);
  record("cognito-roster start: stdout after the plan", started.stdout.slice(applyStart));
  const pool = path.join(repo.root, ".roster", "emulator-state");
  const written = recordFiles("start file", repo.root, (file) => file.startsWith(pool) || file.startsWith(path.join(repo.root, "users")));
  expect(written).toContain(path.join(".roster", "applied-dev.json"));
});

test("the Pulumi provider: outputs, errors and the host's output carry no personal data", async () => {
  const emulator: RunningEmulator = await startEmulator();
  cleanups.push(() => emulator.stop());
  const proxy: EchoProxy = await startEchoProxy(emulator.endpoint);
  cleanups.push(() => proxy.stop());
  const repo = makeRepo("roster-privacy-provider-");
  cleanups.push(() => rmSync(repo.root, { recursive: true, force: true }));
  symlinkSync(path.join(ROOT, "node_modules"), path.join(repo.root, "node_modules"), "dir");
  installSourceEngine(repo.root);
  const profile: PoolProfile = traineeProfile();
  await createStackPool(profile, emulator.endpoint);
  const providerText = await serializeProvider(userPoolRosterProvider);
  const host = await ProviderHost.start({
    cwd: repo.root,
    env: {
      CI: "true",
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  });
  cleanups.push(async () => {
    await host.stop();
    record("provider host: stdout", host.stdout());
    record("provider host: stderr", host.stderr());
  });
  const urn = resourceUrn("trainees");
  const inputs = (): Props => {
    const loaded = loadRoster({ usersDir: path.join(repo.root, "users"), repoRoot: repo.root, profile });
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const { logsRoleArn: _role, ...profileInput } = profile;
    return {
      __provider: providerText,
      usersDir: "users",
      profile: profileInput,
      logsRoleArn: LOGS_ROLE,
      rosterDigest: rosterDigest(digestDeclaredUsers(profile.userPoolId, loaded.users, false)),
    };
  };
  const state = (label: string, props: Props) => {
    const { __provider: _code, ...outputs } = props;
    record(`provider ${label}: outputs`, JSON.stringify(outputs));
    return props;
  };

  writeFileSync(repo.users, usersFile(TRAINEES));
  emulator.faults.failJobAfterRows(1);
  const created = await host.create(urn, (await host.check(urn, {}, inputs())).inputs);
  let props = state("create (import job fails)", created.properties);
  expect((props.failedUsers as string[]).length).toBe(3);
  props = state("update (the rest)", (await host.update(created.id, urn, props, inputs())).properties);
  expect(props.failedUsers).toEqual([]);

  writeFileSync(repo.users, usersFile(TRAINEES, { given: CHANGED_GIVEN }));
  proxy.echoErrorFor("AdminUpdateUserAttributes");
  props = state("update (AWS echoes the user)", (await host.update(created.id, urn, props, inputs())).properties);
  expect((props.failedUsers as string[])[0]).toMatch(/^users\/london\/privacy\.yaml:5: .*<user>/);

  proxy.clear();
  proxy.echoErrorFor("AdminGetUser");
  const thrown = await host.update(created.id, urn, props, inputs()).then(
    () => "no error",
    (err: Error) => err.message,
  );
  expect(thrown).toMatch(/InvalidParameterException|Cannot process/);
  record("provider update (AWS echoes the user on a read): error", thrown);
  proxy.clear();
  props = state("refresh", (await host.read(created.id, urn, props)).properties);
});

test("no output, log or file the policy forbids names a user", async () => {
  // Stopping the emulator and the provider host records what they printed.
  await runCleanups();
  expect(outputs.length).toBeGreaterThan(20);
  expect(violations()).toEqual([]);
});

test("the search finds personal data where the policy forbids it (the check can fail)", () => {
  expect(hitsIn(`failed users/london/privacy.yaml:5: for ${emailOf(TRAINEES[1])}`)).toEqual([
    emailOf(TRAINEES[1]),
    "Brivelle",
    "Oxtanwick",
  ]);
  expect(hitsIn("+447700900403 and VOSKARNE")).toEqual(["+447700900403", "447700900403", "Voskarne"]);
  expect(hitsIn("failed users/london/privacy.yaml:5: Cannot process for <user> / <user>")).toEqual([]);
});
