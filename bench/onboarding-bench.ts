/**
 * Onboarding benchmark: AWS calls and quota-bound time to onboard 1,000 / 100,000 / 500,000 users, and to plan a
 * pull request adding 5 trainees to pools of those sizes, three ways:
 *   (a) the roster: one import job, confirmed from the job's counters (and its log / point reads only when they
 *       show a problem) — run for real against the emulator;
 *   (b) one AdminCreateUser per user, as Terraform's aws_cognito_user and Pulumi's aws.cognito.User do
 *       (terraform-provider-aws internal/service/cognitoidp/user.go: create = AdminCreateUser then a read,
 *       AdminGetUser; plan refreshes every user with AdminGetUser) — run for real at 5,000 users to check the
 *       model, modelled for the rest;
 *   (c) the roster as it was before, confirming the import with a full ListUsers scan (and planning with one) —
 *       run for real at 1,000 users to check the model, modelled for the rest.
 * In one process, against the project's emulator with AWS default quotas (`quotas: "aws"`: over quota →
 * TooManyRequestsException, absorbed by the SDK's adaptive retry). Calls are counted by the emulator (from
 * outside the product; throttled attempts included). Writes the `bench:onboarding` section of BENCHMARKS.md.
 *
 *   npx tsc -p . && node dist/bench/run.js onboarding [--sizes 1000,100000,500000] [--per-user 5000|0] [--no-write]
 * (plain `npm run bench` runs it too, after the validation benchmark, in a process of its own).
 *
 * Bench code: synthetic users only (example.nhs.uk), built in memory (validation is bench/run.ts's subject).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startEmulator, type RunningEmulator } from "../emulator";
import type { DeclaredUser } from "../core/declared-user";
import type { PoolProfile } from "../core/profile";
import { loadStackProfile } from "../load/stack-profile";
import { LIST_PAGE_SIZE as LIST_USERS_PAGE_SIZE } from "../core/cognito-quotas";
import { pollsForDuration } from "../test/support/poll-count";
import { createStackPool } from "../cli/emulator-pool";
import { applyRoster, planRoster } from "../engine/reconcile";
import { DEFAULT_IMPORT_TIMING, JOB_POLL_FRACTION } from "../engine/import-run-options";

const START = "<!-- bench:onboarding:start -->";
const END = "<!-- bench:onboarding:end -->";
const ROLE = "arn:aws:iam::000000000000:role/cognito-roster-import-logs";
const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const PR_SIZE = 5;
/**
 * How long a 500,000-row job might run on AWS, for the polling model: AWS publishes no import rate; 200 rows/s is
 * the emulator's "realistic" speed, so 42 minutes.
 */
const AWS_JOB_MS = (500_000 / 200) * 1000;
/** Terraform's default -parallelism: how many resources it creates at once. */
const TERRAFORM_PARALLELISM = 10;

/**
 * Default request rates (requests/s per account per Region): Cognito's categories (developer guide, "Quotas")
 * and CloudWatch Logs GetLogEvents (25/s). The UserPoolResource* operations are also capped at 5/s per pool.
 */
const RATES: Record<string, { category: string; perSecond: number; perPoolOperation?: number }> = {
  AdminCreateUser: { category: "UserCreation", perSecond: 50 },
  AdminGetUser: { category: "UserRead", perSecond: 120 },
  ListUsers: { category: "UserList", perSecond: 30 },
  AdminUpdateUserAttributes: { category: "UserUpdate", perSecond: 25 },
  AdminDisableUser: { category: "UserUpdate", perSecond: 25 },
  AdminEnableUser: { category: "UserUpdate", perSecond: 25 },
  DescribeUserPool: { category: "UserPoolRead", perSecond: 15 },
  GetCSVHeader: { category: "UserPoolResourceRead", perSecond: 20, perPoolOperation: 5 },
  DescribeUserImportJob: { category: "UserPoolResourceRead", perSecond: 20, perPoolOperation: 5 },
  ListUserImportJobs: { category: "UserPoolResourceRead", perSecond: 20, perPoolOperation: 5 },
  CreateUserImportJob: { category: "UserPoolResourceUpdate", perSecond: 15, perPoolOperation: 5 },
  StartUserImportJob: { category: "UserPoolResourceUpdate", perSecond: 15, perPoolOperation: 5 },
  GetLogEvents: { category: "Logs GetLogEvents", perSecond: 25 },
};

type Counts = Record<string, number>;

/**
 * The least time the default quotas allow for these calls: per category, calls ÷ rate (and per operation ÷ its
 * per-pool cap); the categories are separate buckets, so the slowest one bounds the run. The S3 upload has no
 * such quota. It excludes the import job's own run time, which the quotas do not govern.
 */
export function quotaBoundSeconds(counts: Counts): { seconds: number; bottleneck: string } {
  const byCategory = new Map<string, number>();
  let seconds = 0;
  let bottleneck = "—";
  for (const [op, n] of Object.entries(counts)) {
    const rate = RATES[op];
    if (!rate) continue;
    byCategory.set(rate.category, (byCategory.get(rate.category) ?? 0) + n);
    if (rate.perPoolOperation !== undefined && n / rate.perPoolOperation > seconds) {
      seconds = n / rate.perPoolOperation;
      bottleneck = `${op} (5/s per pool)`;
    }
  }
  for (const [category, n] of byCategory) {
    const perSecond = Object.values(RATES).find((r) => r.category === category)?.perSecond ?? Infinity;
    if (n / perSecond > seconds) {
      seconds = n / perSecond;
      bottleneck = `${category} (${perSecond}/s)`;
    }
  }
  return { seconds, bottleneck };
}

interface Arguments {
  sizes: number[];
  perUser: number;
  write: boolean;
}

function parseArguments(argv: readonly string[]): Arguments {
  const args: Arguments = { sizes: [1_000, 100_000, 500_000], perUser: 5_000, write: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = () => argv[++i] ?? fail(`${flag} needs a value`);
    if (flag === "--sizes") args.sizes = next().split(",").map(wholeNumber);
    else if (flag === "--per-user") args.perUser = next() === "0" ? 0 : wholeNumber(argv[i]);
    else if (flag === "--no-write") args.write = false;
    else fail(`unknown argument ${flag} (use --sizes 1000,100000 --per-user 5000 --no-write)`);
  }
  return args;
}

function wholeNumber(text: string): number {
  const n = Number(text.replace(/_/g, ""));
  if (!Number.isInteger(n) || n < 1) fail(`"${text}" is not a whole number ≥ 1`);
  return n;
}

function fail(message: string): never {
  process.stderr.write(`onboarding bench: ${message}\n`);
  process.exit(2);
}

function email(n: number): string {
  return `trainee.${String(n).padStart(7, "0")}@example.nhs.uk`;
}

/** Synthetic trainees valid under the dev stack (username = email, MFA on, email verified, tisId). */
function trainees(from: number, count: number): DeclaredUser[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return {
      username: email(n),
      mfaEnabled: true,
      enabled: true,
      attributes: {
        email: email(n),
        email_verified: true,
        given_name: "Testname",
        family_name: "Synthetic",
        "custom:tisId": String(1_000_000 + n),
      },
      source: { file: `users/bench/part-${Math.floor(n / 2000)}.yaml`, line: 4 + 6 * (n % 2000), col: 5 },
    };
  });
}

function devProfile(): PoolProfile {
  const loaded = loadStackProfile(PROJECT_ROOT, "dev");
  if (!loaded.profile) fail("cannot load Pulumi.dev.yaml");
  return { ...loaded.profile, logsRoleArn: ROLE };
}

async function freshEmulator(profile: PoolProfile): Promise<RunningEmulator> {
  const emulator = await startEmulator({ quotas: "aws" });
  process.env.AWS_ENDPOINT_URL = emulator.endpoint;
  await createStackPool(profile, emulator.endpoint);
  emulator.resetCallCounts();
  return emulator;
}

function total(counts: Counts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function since(t: number): number {
  return (Date.now() - t) / 1000;
}

interface Measured {
  calls: number;
  counts: Counts;
  quotaSeconds: number;
  bottleneck: string;
  wallSeconds: number;
}

function measured(counts: Counts, wallSeconds: number): Measured {
  const bound = quotaBoundSeconds(counts);
  return { calls: total(counts), counts, quotaSeconds: bound.seconds, bottleneck: bound.bottleneck, wallSeconds };
}

interface SizeResult {
  users: number;
  rosterApply: Measured & { jobSeconds: number; jobs: number; readStrategy: string };
  rosterPlan: Measured & { readStrategy: string };
  scanCheck?: { calls: number; modelled: number; wallSeconds: number };
}

/** (a) for real, plus (c)'s scan for real at the smallest size. */
async function measureSize(count: number, profile: PoolProfile, log: (line: string) => void): Promise<SizeResult> {
  const emulator = await freshEmulator(profile);
  const repoRoot = fs.mkdtempSync(path.join(os.tmpdir(), "onboarding-bench-"));
  try {
    const users = trainees(1, count);
    const run = { profile, usersDir: path.join(repoRoot, "users"), repoRoot, users };
    let t = Date.now();
    let jobStarted = 0;
    let jobSeconds = 0;
    const applied = await applyRoster({
      ...run,
      progress: (m) => {
        if (/started job/.test(m)) jobStarted = Date.now();
        if (/job \S+ (Succeeded|Failed|Stopped|Expired)[:,]/.test(m) && jobStarted > 0 && jobSeconds === 0) jobSeconds = since(jobStarted);
      },
    });
    const applySeconds = since(t);
    if (applied.imported !== count || applied.failed.length > 0)
      throw new Error(`onboarding ${count}: ${applied.imported} imported, ${applied.failed.length} failed`);
    const applyCounts = emulator.callCounts();
    log(`  (a) onboarding: ${total(applyCounts)} calls, ${applySeconds.toFixed(1)} s`);

    emulator.resetCallCounts();
    t = Date.now();
    const pr = await planRoster({
      ...run,
      users: [...users, ...trainees(count + 1, PR_SIZE)],
      previous: applied.applied,
      binding: applied.binding,
    });
    const planSeconds = since(t);
    if (pr.plan.import.length !== PR_SIZE) throw new Error(`plan of the pull request: ${pr.plan.import.length} to import`);
    const planCounts = emulator.callCounts();
    log(`  (a) plan of a ${PR_SIZE}-trainee pull request: ${total(planCounts)} calls`);

    let scanCheck: SizeResult["scanCheck"];
    if (count <= 10_000) scanCheck = await scanForReal(emulator, profile.userPoolId, count, log);
    return {
      users: count,
      rosterApply: { ...measured(applyCounts, applySeconds), jobSeconds, jobs: applied.jobs.length, readStrategy: applied.readStrategy },
      rosterPlan: { ...measured(planCounts, planSeconds), readStrategy: pr.readStrategy },
      scanCheck,
    };
  } finally {
    await emulator.stop();
    fs.rmSync(repoRoot, { recursive: true, force: true });
  }
}

/** (c)'s confirmation for real: one full ListUsers scan, counted against the model ⌈N / 60⌉. */
async function scanForReal(
  emulator: RunningEmulator,
  userPoolId: string,
  count: number,
  log: (line: string) => void,
): Promise<SizeResult["scanCheck"]> {
  const client = new CognitoIdentityProviderClient({ region: "eu-west-2", retryMode: "adaptive", maxAttempts: 25 });
  emulator.resetCallCounts();
  const t = Date.now();
  let seen = 0;
  let token: string | undefined;
  try {
    do {
      const out = await client.send(new ListUsersCommand({ UserPoolId: userPoolId, Limit: LIST_USERS_PAGE_SIZE, PaginationToken: token }));
      seen += out.Users?.length ?? 0;
      token = out.PaginationToken;
    } while (token);
  } finally {
    client.destroy();
  }
  const calls = emulator.callCounts().ListUsers ?? 0;
  log(`  (c) ListUsers scan for real: ${calls} calls for ${seen} users (model ${Math.ceil(count / LIST_USERS_PAGE_SIZE)})`);
  return { calls, modelled: Math.ceil(count / LIST_USERS_PAGE_SIZE), wallSeconds: since(t) };
}

interface PerUserCheck {
  users: number;
  counts: Counts;
  wallSeconds: number;
  modelSeconds: number;
}

/** (b) for real: AdminCreateUser then AdminGetUser per user, TERRAFORM_PARALLELISM at a time, SDK adaptive retry. */
async function perUserForReal(count: number, profile: PoolProfile, log: (line: string) => void): Promise<PerUserCheck> {
  const emulator = await freshEmulator(profile);
  const client = new CognitoIdentityProviderClient({ region: profile.region, retryMode: "adaptive", maxAttempts: 25 });
  const users = trainees(1, count);
  let next = 0;
  const t = Date.now();
  try {
    await Promise.all(
      Array.from({ length: TERRAFORM_PARALLELISM }, async () => {
        while (next < users.length) {
          const user = users[next++];
          const attributes = Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value: String(Value) }));
          await client.send(
            new AdminCreateUserCommand({
              UserPoolId: profile.userPoolId,
              Username: user.username,
              MessageAction: "SUPPRESS",
              UserAttributes: attributes,
            }),
          );
          await client.send(new AdminGetUserCommand({ UserPoolId: profile.userPoolId, Username: user.username }));
        }
      }),
    );
    const counts = emulator.callCounts();
    const wallSeconds = since(t);
    const modelSeconds = quotaBoundSeconds({ AdminCreateUser: count, AdminGetUser: count }).seconds;
    log(
      `  (b) ${count} × (AdminCreateUser + AdminGetUser) for real: ${total(counts)} requests (throttled retries included), ${wallSeconds.toFixed(1)} s (model ${modelSeconds.toFixed(0)} s)`,
    );
    return { users: count, counts, wallSeconds, modelSeconds };
  } finally {
    client.destroy();
    await emulator.stop();
  }
}

function n(value: number): string {
  return Math.round(value).toLocaleString("en-GB");
}

function duration(seconds: number): string {
  if (seconds < 1) return `${seconds.toFixed(2)} s`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function cell(calls: number, seconds: number): string {
  return `${n(calls)} / ${duration(seconds)}`;
}

function render(results: SizeResult[], perUser: PerUserCheck | undefined, command: string): string {
  const cpus = os.cpus();
  const scanModel = (users: number) => Math.ceil(users / LIST_USERS_PAGE_SIZE);
  const rows = results.map((r) => {
    const a = r.rosterApply;
    const b = { AdminCreateUser: r.users, AdminGetUser: r.users };
    // (c): the roster's calls, plus one ListUsers scan of the pool (and the DescribeUserPool the old confirmation made).
    const c = {
      ...a.counts,
      ListUsers: (a.counts.ListUsers ?? 0) + scanModel(r.users),
      DescribeUserPool: (a.counts.DescribeUserPool ?? 0) + 1,
    };
    return `| onboard ${n(r.users)} | **${cell(a.calls, a.quotaSeconds)}** | ${cell(total(b), quotaBoundSeconds(b).seconds)} | ${cell(total(c), quotaBoundSeconds(c).seconds)} |`;
  });
  const planRows = results.map((r) => {
    const a = r.rosterPlan;
    const b = { AdminGetUser: r.users };
    const c = { DescribeUserPool: 1, ListUsers: scanModel(r.users + PR_SIZE) };
    return `| plan +${PR_SIZE} trainees on ${n(r.users)} | **${cell(a.calls, a.quotaSeconds)}** | ${cell(r.users, quotaBoundSeconds(b).seconds)} (Terraform; Pulumi preview: 0, blind to drift) | ${cell(total(c), quotaBoundSeconds(c).seconds)} |`;
  });
  const detail = results.map(
    (r) =>
      `| ${n(r.users)} | ${Object.entries(r.rosterApply.counts)
        .map(([op, k]) => `${op} ${k}`)
        .join(
          ", ",
        )} | ${r.rosterApply.readStrategy} | ${r.rosterApply.wallSeconds.toFixed(1)} s (job ${r.rosterApply.jobSeconds.toFixed(1)} s) | ${Object.entries(
        r.rosterPlan.counts,
      )
        .map(([op, k]) => `${op} ${k}`)
        .join(", ")} |`,
  );
  const checks = [
    ...results.flatMap((r) =>
      r.scanCheck
        ? [
            `- (c) model check: a real ListUsers scan of ${n(r.users)} users took ${r.scanCheck.calls} calls (model ⌈N/60⌉ = ${r.scanCheck.modelled}) in ${r.scanCheck.wallSeconds.toFixed(1)} s.`,
          ]
        : [],
    ),
    ...(perUser
      ? [
          `- (b) model check: ${n(perUser.users)} users created for real (AdminCreateUser + AdminGetUser each, ${TERRAFORM_PARALLELISM} at a time, SDK adaptive retry) took ${perUser.wallSeconds.toFixed(1)} s against a model of ${perUser.modelSeconds.toFixed(0)} s; the emulator saw ${n(total(perUser.counts))} requests (${Object.entries(
            perUser.counts,
          )
            .map(([op, k]) => `${op} ${n(k)}`)
            .join(", ")}; throttled attempts included).`,
        ]
      : []),
  ];
  const targets = results.map((r) => {
    const onboard = r.rosterApply.calls <= 100 ? "PASS" : "MISS";
    const plan = r.rosterPlan.calls <= PR_SIZE + 10 ? "PASS" : "MISS";
    return `${onboard} onboarding ${n(r.users)} users: ${r.rosterApply.calls} AWS calls (target ≤ 100); ${plan} planning +${PR_SIZE}: ${r.rosterPlan.calls} (target ≤ ${PR_SIZE + 10})`;
  });
  // On AWS the job runs for minutes, not seconds: the same calls with the polls of a 42-minute job instead.
  const largest = results[results.length - 1];
  if (largest) {
    const base = largest.rosterApply.calls - (largest.rosterApply.counts.DescribeUserImportJob ?? 0);
    const runner = base + runnerPolls(AWS_JOB_MS);
    targets.push(
      `${runner <= 100 ? "PASS" : "MISS"} onboarding ${n(largest.users)} users with a ${Math.round(AWS_JOB_MS / 60_000)}-minute job (modelled): ${runner} calls, ${runnerPolls(AWS_JOB_MS)} of them polls (target ≤ 100)`,
    );
  }
  return [
    START,
    "## Onboarding: AWS calls and quota-bound time (bench/onboarding-bench.ts)",
    "",
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${os.platform()} ${os.release()}; ` +
      `1-minute load ${os.loadavg()[0].toFixed(1)} at the end. Generated by the benchmark; do not edit between the markers.`,
    "",
    'One run against the project\'s emulator with AWS default quotas (`quotas: "aws"`), in one process, a fresh',
    "emulator and dev-stack pool per size. Each cell: **AWS calls / quota-bound time**. Calls are counted by the",
    "emulator (from outside; throttled attempts and the S3 upload included). Quota-bound time = for each quota",
    "category, its calls ÷ its default rate (UserCreation 50/s, UserRead 120/s, UserList 30/s, UserPoolRead 15/s,",
    "UserPoolResourceRead 20/s, UserPoolResourceUpdate 15/s, and 5/s per pool for each UserPoolResource* operation;",
    "CloudWatch Logs GetLogEvents 25/s); the categories are separate buckets, so the slowest one bounds the run. It",
    "does not include the import job's own running time, which no quota governs.",
    "",
    "- **(a) roster**: one import job per ≤ 500,000 users, confirmed from the job's counters (log lines and",
    "  AdminGetUser only when the counters show a problem); planning reads only users changed since the last apply.",
    "  Measured for real.",
    "- **(b) one AdminCreateUser per user**: Terraform's `aws_cognito_user` / Pulumi's `aws.cognito.User`",
    "  (terraform-provider-aws `internal/service/cognitoidp/user.go`: create = AdminCreateUser, then a read with",
    "  AdminGetUser; `terraform plan` refreshes every user with AdminGetUser; `pulumi preview` does not refresh by",
    "  default, so it makes no call and sees no out-of-band change). Modelled; checked for real below.",
    "- **(c) confirmation by a full ListUsers scan** (the roster before issue 8): (a)'s calls plus one scan",
    "  (⌈N / 60⌉ ListUsers) and a DescribeUserPool; planning = DescribeUserPool + one scan. Modelled from (a);",
    "  the scan is checked for real below. ListUsers is eventually consistent, so this also confirms wrongly under lag.",
    "",
    "| | (a) roster | (b) AdminCreateUser per user | (c) ListUsers-scan confirmation |",
    "|---|---:|---:|---:|",
    ...rows,
    ...planRows,
    "",
    "```",
    ...targets,
    "```",
    "",
    "Roster calls by operation (emulator count), the read strategy, wall time in the emulator (fast import speed):",
    "",
    "| users | onboarding calls | reads | wall (import job) | plan +5 calls |",
    "|---:|---|---|---:|---|",
    ...detail,
    "",
    ...checks,
    `- Polls on AWS: the emulator's fast import finishes in seconds, so few DescribeUserImportJob polls appear above. A real`,
    `  job's polls follow the runner's schedule (engine/import-job-run.ts: wait = min(${DEFAULT_IMPORT_TIMING.jobPollMaxMs / 60_000} min, max(${DEFAULT_IMPORT_TIMING.pollMinMs / 1000} s, ${JOB_POLL_FRACTION} × elapsed)),`,
    `  so a finished job is noticed at most ${JOB_POLL_FRACTION * 100} % of its running time late): ${runnerPolls(AWS_JOB_MS)} polls for a 42-minute job (500,000 rows at 200 rows/s;`,
    `  AWS publishes no rate) and ${runnerPolls(4 * 3600_000)} for 4 hours.`,
    "",
    `Command: \`${command}\``,
    END,
  ].join("\n");
}

/** Polls of the runner's schedule for a job of `durationMs`. */
function runnerPolls(durationMs: number): number {
  const { pollMinMs, jobPollMaxMs } = DEFAULT_IMPORT_TIMING;
  return pollsForDuration(durationMs, { pollMinMs, elapsedFraction: JOB_POLL_FRACTION, pollCeilingMs: jobPollMaxMs });
}

function writeSection(section: string): void {
  const file = path.join(PROJECT_ROOT, "BENCHMARKS.md");
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
  const s = text.indexOf(START);
  const e = text.indexOf(END);
  fs.writeFileSync(
    file,
    s >= 0 && e > s ? text.slice(0, s) + section + text.slice(e + END.length) : `${text.replace(/\n*$/, "\n\n")}${section}\n`,
  );
}

export async function runOnboardingBench(argv: readonly string[]): Promise<void> {
  const args = parseArguments(argv);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  process.env.AWS_ACCESS_KEY_ID ??= "bench";
  process.env.AWS_SECRET_ACCESS_KEY ??= "bench";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const profile = devProfile();
  const results: SizeResult[] = [];
  for (const count of args.sizes) {
    log(`onboarding bench: ${n(count)} users`);
    results.push(await measureSize(count, profile, log));
  }
  const perUser = args.perUser > 0 ? await perUserForReal(args.perUser, profile, log) : undefined;
  const section = render(results, perUser, `npx tsc -p . && node dist/bench/run.js onboarding ${argv.join(" ")}`.trim());
  log(section);
  if (args.write) writeSection(section);
}

if (require.main === module) {
  runOnboardingBench(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
