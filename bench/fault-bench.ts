/**
 * Fault benchmark (issue 20 item 4): the cost of onboarding N trainees into a pool that already holds one of them
 * (created by hand a moment before), while ListUsers lags 60 s behind writes and every GetLogEvents page before the
 * end is cut short (alternately empty and half full) — the adversarial conditions under which one pre-existing user
 * once cost 17,961 AdminGetUser calls. The rows in doubt must be resolved at a cost proportional to them, not to the
 * pool. Calls are counted by the emulator (from outside the product), seconds are wall-clock on this machine.
 *
 *   npx tsc -p . && node dist/bench/fault-bench.js [--size 100000] [--no-write]
 *
 * Writes the `bench:faults` section of BENCHMARKS.md. Synthetic users only (example.nhs.uk), built in memory.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AdminCreateUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { startEmulator } from "../emulator";
import type { DeclaredUser } from "../core/declared-user";
import type { PoolProfile } from "../core/profile";
import { loadStackProfile } from "../load/stack-profile";
import { createStackPool } from "../cli/emulator-pool";
import { applyRoster } from "../engine/reconcile";

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
export async function measureLaggedOnboarding(size: number): Promise<FaultBenchResult> {
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
    const result = await applyRoster({ profile, usersDir: PROJECT_ROOT, repoRoot: PROJECT_ROOT, users });
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
    };
  } finally {
    await emulator.stop();
    process.env = saved;
  }
}

function section(r: FaultBenchResult): string {
  const ops = Object.entries(r.calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
  return [
    START,
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus()[0]?.model ?? "an unknown CPU"} (${os.cpus().length} cores, shared with other work), Node ${process.versions.node}:`,
    "",
    "| trainees | one already in the pool | ListUsers lag | log pages | imported | already present | failed | AWS calls | seconds |",
    "|---|---|---|---|---|---|---|---|---|",
    `| ${r.size.toLocaleString("en-GB")} | yes (created by hand) | 60 s | all cut short | ${r.imported} | ${r.alreadyPresent} | ${r.failed} | ${r.totalCalls} | ${r.seconds.toFixed(1)} |`,
    "",
    `Calls by operation: ${ops}.`,
    END,
  ].join("\n");
}

function writeSection(text: string): void {
  const file = path.join(PROJECT_ROOT, "BENCHMARKS.md");
  const current = fs.readFileSync(file, "utf8");
  const at = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    at >= 0 && end > at
      ? `${current.slice(0, at)}${text}${current.slice(end + END.length)}`
      : `${current.trimEnd()}\n\n## Faults: one pre-existing user under ListUsers lag and short log pages (bench/fault-bench.ts)\n\n${text}\n`;
  fs.writeFileSync(file, next);
}

async function main(argv: readonly string[]): Promise<void> {
  const sizeAt = argv.indexOf("--size");
  const size = sizeAt >= 0 ? Number(argv[sizeAt + 1]) : 100_000;
  if (!Number.isInteger(size) || size < 2) throw new Error("--size must be a whole number ≥ 2");
  const result = await measureLaggedOnboarding(size);
  const text = section(result);
  process.stdout.write(`${text}\n`);
  if (!argv.includes("--no-write")) writeSection(text);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`fault bench: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
