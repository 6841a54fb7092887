/**
 * Emulator scale benchmark: start-up time, a 500,000-user import (wall time, the emulator's peak RSS), and ListUsers
 * paging through all 500,000 users with the real SDK v3 client. The emulator runs as `cognito-roster emulator --stack bench`
 * in a child process (its own memory, measured from /proc VmHWM), the client in this one. Writes its section of BENCHMARKS.md (between the
 * `bench:emulator` markers, leaving every other section alone). Run: `npx tsc -p . && node dist/bench/emulator-bench.js [users]`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  CognitoIdentityProviderClient,
  CreateUserImportJobCommand,
  DescribeUserImportJobCommand,
  DescribeUserPoolCommand,
  GetCSVHeaderCommand,
  ListUsersCommand,
  StartUserImportJobCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { spawn } from "node:child_process";

const START = "<!-- bench:emulator:start -->";
const END = "<!-- bench:emulator:end -->";

const POOL_ID = "eu-west-2_Bench0001";
const STACK_YAML = `config:
  aws:region: eu-west-2
  cognito-roster:userPoolId: ${POOL_ID}
  cognito-roster:userPoolName: bench-pool
  cognito-roster:autoVerifiedAttributes: [email]
  cognito-roster:mfaConfiguration: "ON"
  cognito-roster:requiredAttributes: [email]
  cognito-roster:customAttributes:
    tisId: { type: String, minLength: 1, maxLength: 20 }
`;

/** Peak resident set size of a process in bytes (Linux). */
function peakRssOf(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

function writeSection(file: string, body: string): void {
  const section = `${START}\n${body}\n${END}`;
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
  const s = text.indexOf(START);
  const e = text.indexOf(END);
  const next = s >= 0 && e > s ? text.slice(0, s) + section + text.slice(e + END.length) : `${text.replace(/\n*$/, "\n\n")}${section}\n`;
  fs.writeFileSync(file, next);
}

interface SpawnedEmulator {
  endpoint: string;
  startupMs: number;
  pid: number;
  stop(): Promise<number | null>;
}

/** Starts `cognito-roster emulator` in a child process and waits for the endpoint line. */
async function spawnEmulator(dir: string, args: string[]): Promise<SpawnedEmulator> {
  const commandJs = path.join(__dirname, "..", "cli", "emulator-command.js");
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      "-e",
      `require(${JSON.stringify(commandJs)}).runRosterEmulatorCommand(${JSON.stringify(["--port", "0", ...args])}).then((c)=>process.exit(c))`,
    ],
    {
      cwd: dir,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) resolve(m[0]);
    });
    void exited.then((code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return {
    endpoint,
    startupMs: performance.now() - t0,
    pid: child.pid as number,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

function makeCsv(header: string[], users: number): Buffer {
  const idx = (c: string) => header.indexOf(c);
  const lines: string[] = [header.join(",")];
  for (let i = 0; i < users; i++) {
    const f = new Array<string>(header.length).fill("");
    const email = `trainee${i}@example.nhs.uk`;
    f[idx("cognito:username")] = email;
    f[idx("email")] = email;
    f[idx("email_verified")] = "TRUE";
    f[idx("cognito:mfa_enabled")] = "TRUE";
    f[idx("given_name")] = "Test";
    f[idx("family_name")] = `Trainee${i}`;
    f[idx("phone_number")] = `+447700900${String(i % 1000).padStart(3, "0")}`;
    f[idx("custom:tisId")] = String(100000 + i);
    lines.push(f.join(","));
  }
  return Buffer.from(`${lines.join("\n")}\n`);
}

/** create → upload → start → poll until terminal; returns wall time and the final job. */
async function importAll(client: CognitoIdentityProviderClient, csv: Buffer): Promise<{ ms: number; status: string; imported: number }> {
  const t = performance.now();
  const job = (
    await client.send(
      new CreateUserImportJobCommand({
        UserPoolId: POOL_ID,
        JobName: "bench",
        CloudWatchLogsRoleArn: "arn:aws:iam::000000000000:role/bench",
      }),
    )
  ).UserImportJob;
  const put = await fetch(job?.PreSignedUrl as string, {
    method: "PUT",
    headers: { "x-amz-server-side-encryption": "aws:kms" },
    body: csv,
  });
  if (put.status !== 200) throw new Error(`upload failed: ${put.status}`);
  await client.send(new StartUserImportJobCommand({ UserPoolId: POOL_ID, JobId: job?.JobId }));
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const d = (await client.send(new DescribeUserImportJobCommand({ UserPoolId: POOL_ID, JobId: job?.JobId }))).UserImportJob;
    if (["Succeeded", "Failed", "Stopped"].includes(d?.Status ?? ""))
      return { ms: performance.now() - t, status: d?.Status ?? "", imported: d?.ImportedUsers ?? 0 };
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = !args.includes("--no-write"); // the tests' smoke run writes nothing tracked
  const users = Number(args.find((a) => !a.startsWith("--")) ?? 500_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-bench-"));
  fs.writeFileSync(path.join(dir, "Pulumi.bench.yaml"), STACK_YAML);
  const credentials = { accessKeyId: "x", secretAccessKey: "y" };
  const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  let ok = true;

  // 1. In memory: start-up, import, ListUsers through the pool, peak RSS.
  const mem = await spawnEmulator(dir, ["--stack", "bench"]);
  let client = new CognitoIdentityProviderClient({ endpoint: mem.endpoint, region: "eu-west-2", credentials });
  const header = (await client.send(new GetCSVHeaderCommand({ UserPoolId: POOL_ID }))).CSVHeader ?? [];
  const csv = makeCsv(header, users);
  const imp = await importAll(client, csv);
  const t2 = performance.now();
  const seen = new Set<string>();
  let calls = 0;
  let token: string | undefined;
  do {
    const page = await client.send(new ListUsersCommand({ UserPoolId: POOL_ID, Limit: 60, PaginationToken: token }));
    calls++;
    for (const u of page.Users ?? []) seen.add(u.Username as string);
    token = page.PaginationToken;
  } while (token);
  const listMs = performance.now() - t2;
  const memPeak = peakRssOf(mem.pid);
  client.destroy();
  const memExit = await mem.stop();
  ok &&= imp.imported === users && seen.size === users && memExit === 0;

  // 2. With a state file: the same import saved atomically, then a restart that loads the whole pool.
  const stateFile = path.join(dir, "state.ndjson");
  const st = await spawnEmulator(dir, ["--stack", "bench", "--state", stateFile]);
  client = new CognitoIdentityProviderClient({ endpoint: st.endpoint, region: "eu-west-2", credentials });
  const impState = await importAll(client, csv);
  const stPeak = peakRssOf(st.pid);
  client.destroy();
  await st.stop();
  const stateSize = fs.statSync(stateFile).size;
  const restarted = await spawnEmulator(dir, ["--stack", "bench", "--state", stateFile]);
  client = new CognitoIdentityProviderClient({ endpoint: restarted.endpoint, region: "eu-west-2", credentials });
  const estimated = (await client.send(new DescribeUserPoolCommand({ UserPoolId: POOL_ID }))).UserPool?.EstimatedNumberOfUsers ?? 0;
  const restartPeak = peakRssOf(restarted.pid);
  client.destroy();
  await restarted.stop();
  ok &&= impState.imported === users && estimated === users;
  fs.rmSync(dir, { recursive: true, force: true });

  const body = [
    "## Emulator scale (bench/emulator-bench.ts)",
    "",
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC (1-minute load ${os.loadavg()[0].toFixed(1)} at the end; other benchmarks may share the 2 cores) on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, ${mb(os.totalmem())} RAM, Node ${process.version}, ${os.platform()} ${os.release()}.`,
    "The emulator runs in its own process (`cognito-roster emulator --stack bench`, import speed `fast`, quotas off); the SDK v3 client in the benchmark process. Peak RSS is the emulator's VmHWM.",
    "Command: `npx tsc -p . && node dist/bench/emulator-bench.js [users] [--no-write]`.",
    "",
    "| measure | result | target |",
    "|---|---|---|",
    `| start-up, empty state (spawn node → endpoint printed, pool created) | ${mem.startupMs.toFixed(0)} ms | < 1 s |`,
    `| import of ${users.toLocaleString("en-GB")} users (${mb(csv.length)} CSV), in memory: create → upload → start → Succeeded | ${s(imp.ms)}, ${imp.status}, ${imp.imported.toLocaleString("en-GB")} imported | < 60 s |`,
    `| ListUsers paging (Limit 60) through the pool | ${calls.toLocaleString("en-GB")} calls, ${seen.size.toLocaleString("en-GB")} distinct users, ${s(listMs)} | every user once |`,
    `| emulator peak RSS, in-memory run (import + paging) | ${mb(memPeak)} | < 1.5 GB |`,
    `| same import with \`--state\` (checkpoints every 5 s + final atomic save) | ${s(impState.ms)}, ${impState.status}; state file ${mb(stateSize)}; peak RSS ${mb(stPeak)} | < 60 s, < 1.5 GB |`,
    `| restart on that state file (load ${users.toLocaleString("en-GB")} users → endpoint printed) | ${restarted.startupMs.toFixed(0)} ms, EstimatedNumberOfUsers ${estimated.toLocaleString("en-GB")}, peak RSS ${mb(restartPeak)} | nothing lost |`,
    `| clean stop on SIGTERM | exit code ${memExit} | 0 |`,
  ].join("\n");
  if (write) writeSection(path.join(process.cwd(), "BENCHMARKS.md"), body);
  process.stdout.write(`${body}\n`);
  if (!ok) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
