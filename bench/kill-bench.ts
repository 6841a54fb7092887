/**
 * Kill benchmark (issue 20 item 5, at the issue's size): `cognito-roster apply` of N new trainees with sign-in codes on
 * (`sendSignInCode: afterImport`), in a process of its own, stopped with SIGTERM or SIGKILL while it polls its
 * import job (right after its first DescribeUserImportJob was answered); then `cognito-roster apply --yes` again
 * until `cognito-roster plan` has nothing to do. The fault matrix runs the same kills with 10 trainees
 * (RELIABILITY.md); here they run at 20,000, against the emulator in this process (no quotas; the job imports at
 * N/5 rows a second, so it is still running when the kill lands).
 *
 * Counted from outside the product: codes the emulator delivered per trainee (sent twice must be 0), trainees in
 * the pool awaiting their first password who were never sent one (0), declared trainees missing from the pool (0),
 * pool users per declared address beyond one (0), and the re-runs needed (≤ 1).
 *
 * The re-runs are the CLI's `main()` in this process with the engine's waits on a virtual clock: the roster paces
 * codes at 20 a second (engine/send-sign-in-codes.ts), 1,000 s of pacing for 20,000, which says nothing about
 * exactly-once; the emulator and the SDK run in real time.
 *
 *   npx tsc -p . && nice -n 10 node dist/bench/kill-bench.js [--size 20000] [--no-write]
 *
 * Writes the `bench:kill` section of BENCHMARKS.md. Synthetic users only (bench/generate-users.ts).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  CognitoIdentityProviderClient,
  DescribeUserImportJobCommand,
  ListUserImportJobsCommand,
  ListUsersCommand,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { startEmulator, type RunningEmulator } from "../emulator";
import { loadStackProfile } from "../load/stack-profile";
import { createStackPool } from "../cli/emulator-pool";
import { main } from "../cli/main";
import * as backoff from "../engine/backoff";
import { generateUsers } from "./generate-users";
import { writeMarkedSection } from "./benchmarks-section";

const START = "<!-- bench:kill:start -->";
const END = "<!-- bench:kill:end -->";
/** The project root, from bench/ (tests) or dist/bench/ (the compiled run). */
const PROJECT_ROOT = path.resolve(__dirname, path.basename(path.dirname(__dirname)) === "dist" ? "../.." : "..");
const BIN = path.join(PROJECT_ROOT, "bin", "cognito-roster.js");
const STACK = "dev";
const MAX_RERUNS = 3;

export interface KillBenchResult {
  size: number;
  signal: "SIGTERM" | "SIGKILL";
  /** The job's status and imported rows when the process was stopped. */
  jobAtKill: string;
  reruns: number | undefined;
  codesDelivered: number;
  sentTwice: number;
  owedNeverSent: number;
  lost: number;
  duplicated: number;
  seconds: number;
}

/** A checkout: the dev stack with codes on, and `size` generated trainees under users/. */
function makeCheckout(size: number): { root: string; users: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "roster-kill-bench-"));
  const stack = fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${STACK}.yaml`), "utf8");
  fs.writeFileSync(path.join(root, `Pulumi.${STACK}.yaml`), `${stack.trimEnd()}\n  cognito-roster:sendSignInCode: afterImport\n`);
  const users = path.join(root, "users");
  generateUsers({ count: size, seed: 20, usersDir: users });
  return { root, users };
}

function environment(endpoint: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

/** `cognito-roster apply --yes` in a process of its own, stopped with `signal` once it has polled its job once. */
async function killedApply(
  emulator: RunningEmulator,
  checkout: { root: string; users: string },
  signal: "SIGTERM" | "SIGKILL",
): Promise<string> {
  emulator.resetCallCounts();
  const child = spawn(process.execPath, [BIN, "apply", "--yes", "--stack", STACK, "--users", checkout.users], {
    cwd: checkout.root,
    env: environment(emulator.endpoint),
    stdio: "ignore",
  });
  const ended = new Promise<void>((resolve) => child.on("close", () => resolve()));
  let finished = false;
  void ended.then(() => (finished = true));
  while (!finished && (emulator.callCounts().DescribeUserImportJob ?? 0) === 0) await delay(10);
  if (finished) throw new Error("the apply ended before it polled its job: nothing was killed");
  // The process is between two polls (the next is at least a second away): the job as it stands when it is stopped.
  const job = await latestJob(emulator);
  child.kill(signal);
  await ended;
  return `${job.Status}, ${job.ImportedUsers ?? 0} imported`;
}

async function latestJob(emulator: RunningEmulator): Promise<{ Status?: string; ImportedUsers?: number; JobId?: string }> {
  const profile = devProfile();
  const client = sdk(emulator, profile.region);
  try {
    const out = await client.send(new ListUserImportJobsCommand({ UserPoolId: profile.userPoolId, MaxResults: 1 }));
    const id = out.UserImportJobs?.[0]?.JobId;
    if (!id) return {};
    const job = await client.send(new DescribeUserImportJobCommand({ UserPoolId: profile.userPoolId, JobId: id }));
    return job.UserImportJob ?? {};
  } finally {
    client.destroy();
  }
}

/** Waits (real time) until the pool's latest import job has ended, so the re-runs find it finished. */
async function jobEnded(emulator: RunningEmulator): Promise<void> {
  for (;;) {
    const job = await latestJob(emulator);
    if (!["Created", "Pending", "InProgress", "Stopping"].includes(job.Status ?? "")) return;
    await delay(200);
  }
}

/** `cognito-roster <args>` in this process (stdout and stderr swallowed), with the engine's waits on a virtual clock. */
async function cliInProcess(
  checkout: { root: string; users: string },
  endpoint: string,
  args: string[],
): Promise<{ code: number; stdout: string }> {
  const system = backoff.SYSTEM_CLOCK as { now: () => number; sleep: (ms: number) => Promise<void> };
  const saved = {
    now: system.now,
    sleep: system.sleep,
    cwd: process.cwd(),
    env: process.env,
    out: process.stdout.write,
    err: process.stderr.write,
  };
  let skew = 0;
  let stdout = "";
  system.now = () => Date.now() + skew;
  system.sleep = async (ms) => {
    skew += Math.max(0, ms);
    await delay(0);
  };
  process.chdir(checkout.root);
  process.env = environment(endpoint);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return { code: await main([...args, "--stack", STACK, "--users", checkout.users]), stdout };
  } finally {
    Object.assign(system, { now: saved.now, sleep: saved.sleep });
    process.chdir(saved.cwd);
    process.env = saved.env;
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
}

/** Applies again until the plan has nothing to do (no change, no code owed); the applies needed, or undefined. */
async function converge(checkout: { root: string; users: string }, endpoint: string): Promise<number | undefined> {
  for (let reruns = 0; reruns <= MAX_RERUNS; reruns++) {
    const plan = await cliInProcess(checkout, endpoint, ["plan", "--format", "json"]);
    if (plan.code === 0 && !planHasWork(plan.stdout)) return reruns;
    if (reruns < MAX_RERUNS) await cliInProcess(checkout, endpoint, ["apply", "--yes"]);
  }
  return undefined;
}

function planHasWork(json: string): boolean {
  const plan = JSON.parse(json) as Record<string, unknown[] | undefined> & { signInCodes?: number };
  const changes = ["import", "update", "disable", "enable"].some((k) => (plan[k] ?? []).length > 0);
  return changes || (plan.signInCodes ?? 0) > 0;
}

/** Every pool user, by a ListUsers scan (the emulator has no lag here). */
async function poolUsers(emulator: RunningEmulator): Promise<UserType[]> {
  const profile = devProfile();
  const client = sdk(emulator, profile.region);
  const users: UserType[] = [];
  let token: string | undefined;
  try {
    do {
      const out = await client.send(new ListUsersCommand({ UserPoolId: profile.userPoolId, PaginationToken: token }));
      users.push(...(out.Users ?? []));
      token = out.PaginationToken;
    } while (token);
  } finally {
    client.destroy();
  }
  return users;
}

/** The declared usernames of the generated tree (every `username:` line). */
function declaredUsernames(usersDir: string): string[] {
  const names: string[] = [];
  for (const entry of fs.readdirSync(usersDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".yaml")) continue;
    const text = fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8");
    for (const m of text.matchAll(/^\s*-?\s*username:\s*"?([^"\s]+)"?\s*$/gm)) names.push(m[1].toLowerCase());
  }
  return names;
}

export async function measureKillDuringPolling(size: number, signal: "SIGTERM" | "SIGKILL"): Promise<KillBenchResult> {
  const profile = devProfile();
  const emulator = await startEmulator({ importSpeed: { rowsPerSecond: Math.max(1, Math.round(size / 5)), startDelayMs: 0 } });
  const checkout = makeCheckout(size);
  const began = Date.now();
  try {
    await createStackPool(profile, emulator.endpoint);
    const jobAtKill = await killedApply(emulator, checkout, signal);
    await jobEnded(emulator);
    const reruns = await converge(checkout, emulator.endpoint);
    const seconds = (Date.now() - began) / 1000;
    const delivered = emulator.sentCodes().filter((c) => c.userPoolId === profile.userPoolId && c.reason === "AdminResetUserPassword");
    const perUser = new Map<string, number>();
    for (const c of delivered) perUser.set(c.username.toLowerCase(), (perUser.get(c.username.toLowerCase()) ?? 0) + 1);
    const pool = await poolUsers(emulator);
    const declared = declaredUsernames(checkout.users);
    const byName = new Map<string, number>();
    for (const u of pool) byName.set((u.Username ?? "").toLowerCase(), (byName.get((u.Username ?? "").toLowerCase()) ?? 0) + 1);
    const awaiting = pool.filter((u) => u.Enabled !== false && u.UserStatus === "RESET_REQUIRED");
    return {
      size,
      signal,
      jobAtKill,
      reruns,
      codesDelivered: delivered.length,
      sentTwice: [...perUser.values()].filter((n) => n > 1).length,
      owedNeverSent: awaiting.filter((u) => !perUser.has((u.Username ?? "").toLowerCase())).length,
      lost: declared.filter((name) => !byName.has(name)).length,
      duplicated: declared.reduce((sum, name) => sum + Math.max(0, (byName.get(name) ?? 0) - 1), 0),
      seconds,
    };
  } finally {
    await emulator.stop();
    fs.rmSync(checkout.root, { recursive: true, force: true });
  }
}

function devProfile() {
  const loaded = loadStackProfile(PROJECT_ROOT, STACK);
  if (!loaded.profile) throw new Error(`cannot load Pulumi.${STACK}.yaml`);
  return loaded.profile;
}

function sdk(emulator: RunningEmulator, region: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region,
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: "observer", secretAccessKey: "x" },
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function section(results: readonly KillBenchResult[], load: { start: number; end: number }): string {
  const when = new Date().toISOString().slice(0, 16).replace("T", " ");
  return [
    START,
    `Measured ${when} UTC on ${os.cpus()[0]?.model ?? "an unknown CPU"} (${os.cpus().length} cores, shared with other work; load average ${load.start.toFixed(1)} at the start, ${load.end.toFixed(1)} at the end), Node ${process.versions.node}, one run each:`,
    "",
    "| trainees | stopped with | job when stopped | codes delivered | codes sent twice | owed and never sent | users lost | users duplicated | re-runs to converge | seconds |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...results.map(
      (r) =>
        `| ${r.size.toLocaleString("en-GB")} | ${r.signal} during polling | ${r.jobAtKill} | ${r.codesDelivered} | ${r.sentTwice} | ${r.owedNeverSent} | ${r.lost} | ${r.duplicated} | ${r.reruns ?? `not within ${MAX_RERUNS}`} | ${r.seconds.toFixed(1)} |`,
    ),
    END,
  ].join("\n");
}

async function run(argv: readonly string[]): Promise<void> {
  const sizeAt = argv.indexOf("--size");
  const size = sizeAt >= 0 ? Number(argv[sizeAt + 1]) : 20_000;
  if (!Number.isInteger(size) || size < 10) throw new Error("--size must be a whole number ≥ 10");
  const loadStart = os.loadavg()[0];
  const results: KillBenchResult[] = [];
  for (const signal of ["SIGTERM", "SIGKILL"] as const) results.push(await measureKillDuringPolling(size, signal));
  const text = section(results, { start: loadStart, end: os.loadavg()[0] });
  process.stdout.write(`${text}\n`);
  if (!argv.includes("--no-write")) writeMarkedSection(path.join(PROJECT_ROOT, "BENCHMARKS.md"), { start: START, end: END }, text);
}

if (require.main === module) {
  run(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`kill bench: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
