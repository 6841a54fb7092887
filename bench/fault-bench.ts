/**
 * Fault benchmark (issue 20 item 4): the cost of onboarding N trainees into a pool that already holds one of them
 * (created by hand a moment before), while ListUsers lags 60 s behind writes and every GetLogEvents page before the
 * end is cut short (alternately empty and half full) — the adversarial conditions under which one pre-existing user
 * once cost 17,961 AdminGetUser calls. The rows in doubt must be resolved at a cost proportional to them, not to the
 * pool. Calls are counted by the emulator (from outside the product), seconds are wall-clock on this machine.
 *
 *   npx tsc -p . && node dist/bench/fault-bench.js [--size 100000] [--no-write] [--progress]
 *
 * Writes the `bench:faults` section of BENCHMARKS.md. Synthetic users only (example.nhs.uk), built in memory.
 */
import * as os from "node:os";
import * as path from "node:path";
import { AdminCreateUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { startEmulator } from "../emulator";
import type { DeclaredUser } from "../core/declared-user";
import type { PoolProfile } from "../core/profile";
import { loadStackProfile } from "../load/stack-profile";
import { createStackPool } from "../cli/emulator-pool";
import { applyRoster } from "../engine/reconcile";
import { writeMarkedSection } from "./benchmarks-section";

const START = "<!-- bench:faults:start -->";
const END = "<!-- bench:faults:end -->";
const ROLE = "arn:aws:iam::000000000000:role/cognito-roster-import-logs";
/** The project root, from bench/ (tests) or dist/bench/ (the compiled run). */
const PROJECT_ROOT = path.resolve(__dirname, path.basename(path.dirname(__dirname)) === "dist" ? "../.." : "..");

export interface FaultBenchResult {
  size: number;
  seconds: number;
  imported: number;
  alreadyPresent: number;
  failed: number;
  calls: Record<string, number>;
  totalCalls: number;
  /** Peak resident memory of this process (the engine and the emulator, which runs in it), MiB. */
  peakMiB: number;
}

function email(n: number): string {
  return `trainee.${String(n).padStart(7, "0")}@example.nhs.uk`;
}

function trainees(count: number): DeclaredUser[] {
  return Array.from({ length: count }, (_, i) => ({
    username: email(i + 1),
    mfaEnabled: true,
    enabled: true,
    attributes: {
      email: email(i + 1),
      email_verified: true,
      given_name: "Testname",
      family_name: "Synthetic",
      "custom:tisId": String(1_000_000 + i + 1),
    },
    source: { file: `users/bench/part-${Math.floor(i / 2000)}.yaml`, line: 4 + 6 * (i % 2000), col: 5 },
  }));
}

function devProfile(): PoolProfile {
  const loaded = loadStackProfile(PROJECT_ROOT, "dev");
  if (!loaded.profile) throw new Error("cannot load Pulumi.dev.yaml");
  return { ...loaded.profile, logsRoleArn: ROLE };
}

/** One apply of `size` trainees, the first already in the pool, under ListUsers lag and short log pages. */
export async function measureLaggedOnboarding(size: number, progress?: (message: string) => void): Promise<FaultBenchResult> {
  const profile = devProfile();
  const emulator = await startEmulator({ quotas: "aws" });
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_ENDPOINT_URL: emulator.endpoint, AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench" });
  try {
    await createStackPool(profile, emulator.endpoint);
    const users = trainees(size);
    const admin = new CognitoIdentityProviderClient({ region: profile.region, endpoint: emulator.endpoint });
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: profile.userPoolId,
        Username: users[0].username,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: users[0].username },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    admin.destroy();
    emulator.faults.setListUsersLag(60_000);
    emulator.faults.partialLogPages(0);
    emulator.resetCallCounts();
    const began = Date.now();
    const result = await applyRoster({ profile, usersDir: PROJECT_ROOT, repoRoot: PROJECT_ROOT, users, progress });
    const seconds = (Date.now() - began) / 1000;
    const calls = emulator.callCounts();
    return {
      size,
      seconds,
      imported: result.imported,
      alreadyPresent: result.alreadyPresent,
      failed: result.failed.length,
      calls,
      totalCalls: Object.values(calls).reduce((a, b) => a + b, 0),
      peakMiB: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await emulator.stop();
    process.env = saved;
  }
}

function section(r: FaultBenchResult, load: { start: number; end: number }): string {
  const ops = Object.entries(r.calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
  const when = new Date().toISOString().slice(0, 16).replace("T", " ");
  const memory = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`;
  return [
    START,
    `Measured ${when} UTC on ${os.cpus()[0]?.model ?? "an unknown CPU"} (${os.cpus().length} cores, ${memory}, shared with other work; load average ${load.start.toFixed(1)} at the start, ${load.end.toFixed(1)} at the end), Node ${process.versions.node}, one run:`,
    "",
    "| trainees | one already in the pool | ListUsers lag | log pages | imported | already present | failed | AWS calls | seconds | peak MiB |",
    "|---|---|---|---|---|---|---|---|---|---|",
    `| ${r.size.toLocaleString("en-GB")} | yes (created by hand) | 60 s | all cut short | ${r.imported} | ${r.alreadyPresent} | ${r.failed} | ${r.totalCalls} | ${r.seconds.toFixed(1)} | ${r.peakMiB.toFixed(0)} |`,
    "",
    `Calls by operation: ${ops}. Peak MiB: the process's maximum resident set, the engine and the emulator together.`,
    END,
  ].join("\n");
}

async function main(argv: readonly string[]): Promise<void> {
  const sizeAt = argv.indexOf("--size");
  const size = sizeAt >= 0 ? Number(argv[sizeAt + 1]) : 100_000;
  if (!Number.isInteger(size) || size < 2) throw new Error("--size must be a whole number ≥ 2");
  const loadStart = os.loadavg()[0];
  const progress = argv.includes("--progress") ? (m: string) => process.stderr.write(`${m}\n`) : undefined;
  const result = await measureLaggedOnboarding(size, progress);
  const text = section(result, { start: loadStart, end: os.loadavg()[0] });
  process.stdout.write(`${text}\n`);
  if (!argv.includes("--no-write")) writeMarkedSection(path.join(PROJECT_ROOT, "BENCHMARKS.md"), { start: START, end: END }, text);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`fault bench: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
