/**
 * Engine benchmark: what a pull request costs against a large pool, and what the state costs per user.
 *
 * In one process: the local emulator, N generated trainees applied with the engine (import jobs), then a pull
 * request that adds 5 trainees in a new file — plan and apply — with the AWS calls each made, then a full drift
 * check. Also the provider's recorded state per user. Writes its section of BENCHMARKS.md between the
 * `bench:engine` markers (not with `--no-write`: the tests' smoke run). Run:
 * `npx tsc -p . && node dist/bench/engine-bench.js [users] [--no-write]` (default 100,000).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { createPool } from "../test/support/emulator-pool";
import { loadStackProfile } from "../load/stack-profile";
import { applyRoster, planRoster } from "../engine/reconcile";
import { generateUsers } from "./generate-users";

const START = "<!-- bench:engine:start -->";
const END = "<!-- bench:engine:end -->";
const ROLE = "arn:aws:iam::000000000000:role/cognito-roster-import-logs";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = !args.includes("--no-write");
  const count = Number(args.find((a) => !a.startsWith("--")) ?? 100_000);
  const repoRoot = fs.mkdtempSync(path.join(os.tmpdir(), "engine-bench-"));
  const usersDir = path.join(repoRoot, "users");
  const tree = generateUsers({ count, seed: 7, usersDir });
  const profile = { ...loadStackProfile(path.resolve(__dirname, "../.."), "dev").profile!, logsRoleArn: ROLE };
  const emulator = await startEmulator();
  await createPool(emulator, profile);
  process.env.AWS_ENDPOINT_URL = emulator.endpoint;
  process.env.AWS_ACCESS_KEY_ID = "bench";
  process.env.AWS_SECRET_ACCESS_KEY = "bench";
  const timing = { pollMinMs: 200, pollMaxMs: 1000 };
  const run = { profile, usersDir, repoRoot, timing };
  const seconds = (t: number) => ((Date.now() - t) / 1000).toFixed(1);

  let t = Date.now();
  const first = await applyRoster(run);
  const firstSeconds = seconds(t);
  if (first.failed.length > 0 || first.imported !== count)
    throw new Error(`first apply: ${first.imported} imported, ${first.failed.length} failed`);

  // A pull request adds 5 trainees in a new file.
  const extra = Array.from({ length: 5 }, (_, i) => {
    const email = `bench.new.${i}@example.nhs.uk`;
    // A mobile for every trainee, as the dev stack requires (SMS is its second factor).
    const phone = `+44770090099${i}`;
    return `  - username: ${email}\n    email: ${email}\n    given_name: New\n    family_name: Starter\n    phone_number: "${phone}"\n    custom:tisId: "99${i}"\n`;
  }).join("");
  fs.writeFileSync(path.join(usersDir, "new-starters.yaml"), `defaults:\n  mfa_enabled: true\n  email_verified: true\nusers:\n${extra}`);
  t = Date.now();
  const plan = await planRoster({ ...run, previous: first.applied, binding: first.binding });
  const planSeconds = seconds(t);
  t = Date.now();
  const second = await applyRoster({ ...run, previous: first.applied, binding: first.binding });
  const secondSeconds = seconds(t);
  t = Date.now();
  const full = await planRoster({ ...run, previous: second.applied, binding: second.binding, full: true });
  const fullSeconds = seconds(t);

  const stateBytes = (n: number) => JSON.stringify(Object.fromEntries(Object.entries(second.applied).slice(0, n))).length;
  const perUser = (stateBytes(count) - stateBytes(0)) / count;
  await emulator.stop();
  fs.rmSync(repoRoot, { recursive: true, force: true });

  const body = [
    "## Engine: the cost of a pull request against a large pool (bench/engine-bench.ts)",
    "",
    `Machine: ${os.cpus()[0]?.model ?? "unknown"}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}. ` +
      `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC against the local emulator (in process, fast import speed).`,
    "",
    "| step | AWS calls | reads | seconds |",
    "|---|---:|---|---:|",
    `| first apply: ${count.toLocaleString("en-GB")} users (${(tree.bytes / 2 ** 20).toFixed(1)} MiB of YAML), ${first.jobs.length} import job(s) | ${first.awsCalls} | ${first.readStrategy} | ${firstSeconds} |`,
    `| plan of a pull request adding 5 trainees | ${plan.awsCalls} | ${plan.readStrategy} (${plan.plan.import.length} to import, ${plan.plan.unchanged.toLocaleString("en-GB")} unchanged) | ${planSeconds} |`,
    `| apply of that pull request | ${second.awsCalls} | ${second.readStrategy} | ${secondSeconds} |`,
    `| full drift check (\`--full\`, \`pulumi refresh\`) | ${full.awsCalls} | ${full.readStrategy} | ${fullSeconds} |`,
    "",
    `State: the applied digests cost **${perUser.toFixed(1)} bytes per user** (target ≤ 64), no personal data; the serialised provider adds a constant under 10 KB (a shim that loads the engine at call time).`,
    `Apply calls by operation for the pull request: ${Object.entries(second.awsCallsByOperation)
      .map(([op, n]) => `${op} ${n}`)
      .join(", ")}.`,
  ].join("\n");
  process.stdout.write(`${body}\n`);
  if (!write) return;
  const file = path.resolve(__dirname, "../..", "BENCHMARKS.md");
  const text = fs.readFileSync(file, "utf8");
  const s = text.indexOf(START);
  const e = text.indexOf(END);
  const section = `${START}\n${body}\n${END}`;
  fs.writeFileSync(
    file,
    s >= 0 && e > s ? text.slice(0, s) + section + text.slice(e + END.length) : `${text.replace(/\n*$/, "\n\n")}${section}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
