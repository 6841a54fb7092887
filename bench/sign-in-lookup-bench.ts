/**
 * Sign-in lookup benchmark (issue 22): the emulator's cost of finding users by the email they sign in with, at a
 * pool's scale. An import into a pool whose users sign in with their email — as the username (UsernameAttributes)
 * or as a verified alias (AliasAttributes) — checks every row's email against the pool; so do AdminGetUser by email
 * and AdminUpdateUserAttributes with a new email. Each pool holds `size` users after its import, then answers 1,000
 * AdminGetUser by email and 200 changes of email. The emulator runs in this process with the real SDK v3 client;
 * seconds are wall-clock on this machine.
 *
 *   npx tsc -p . && node dist/bench/sign-in-lookup-bench.js [--size 5000] [--no-write]
 *
 * Writes the `bench:sign-in-lookup` section of BENCHMARKS.md. Synthetic users only (example.nhs.uk), built in memory.
 */
import * as os from "node:os";
import * as path from "node:path";
import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  CreateUserImportJobCommand,
  CreateUserPoolCommand,
  DescribeUserImportJobCommand,
  GetCSVHeaderCommand,
  StartUserImportJobCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startEmulator } from "../emulator";
import { POOL_ID_TAG } from "../emulator/user-pools";
import { writeMarkedSection } from "./benchmarks-section";

const START = "<!-- bench:sign-in-lookup:start -->";
const END = "<!-- bench:sign-in-lookup:end -->";
const REGION = "eu-west-2";
const ROLE = "arn:aws:iam::000000000000:role/bench";
const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };
/** The project root, from bench/ (tests) or dist/bench/ (the compiled run). */
const PROJECT_ROOT = path.resolve(__dirname, path.basename(path.dirname(__dirname)) === "dist" ? "../.." : "..");
const LOOKUPS = 1000;
const UPDATES = 200;

type PoolKind = "email as username" | "email as alias";

export interface SignInLookupResult {
  kind: PoolKind;
  size: number;
  imported: number;
  importSeconds: number;
  lookups: number;
  lookupSeconds: number;
  updates: number;
  updateSeconds: number;
}

function email(n: number): string {
  return `trainee.${String(n).padStart(7, "0")}@example.nhs.uk`;
}

function csvOf(header: readonly string[], kind: PoolKind, size: number): Buffer {
  const lines = [header.join(",")];
  for (let i = 1; i <= size; i++) {
    const values: Record<string, string> = {
      "cognito:username": kind === "email as username" ? email(i) : `trainee-${i}`,
      email: email(i),
      email_verified: "TRUE",
      "cognito:mfa_enabled": "FALSE",
    };
    lines.push(header.map((c) => values[c] ?? "").join(","));
  }
  return Buffer.from(`${lines.join("\n")}\n`);
}

async function createPool(client: CognitoIdentityProviderClient, kind: PoolKind, poolId: string): Promise<void> {
  await client.send(
    new CreateUserPoolCommand({
      PoolName: kind === "email as username" ? "bench-username" : "bench-alias",
      AutoVerifiedAttributes: ["email"],
      UsernameConfiguration: { CaseSensitive: false },
      ...(kind === "email as username" ? { UsernameAttributes: ["email"] } : { AliasAttributes: ["email"] }),
      UserPoolTags: { [POOL_ID_TAG]: poolId },
    }),
  );
}

/** create → upload → start → poll until the job ends; the seconds from start to end and the users imported. */
async function importCsv(
  client: CognitoIdentityProviderClient,
  poolId: string,
  csv: Buffer,
): Promise<{ seconds: number; imported: number }> {
  const job = (await client.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: "bench", CloudWatchLogsRoleArn: ROLE })))
    .UserImportJob;
  const put = await fetch(job?.PreSignedUrl as string, {
    method: "PUT",
    headers: { "x-amz-server-side-encryption": "aws:kms" },
    body: csv,
  });
  if (put.status !== 200) throw new Error(`upload failed: ${put.status}`);
  const began = performance.now();
  await client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job?.JobId }));
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    const d = (await client.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: job?.JobId }))).UserImportJob;
    if (d?.Status === "Succeeded") return { seconds: (performance.now() - began) / 1000, imported: d.ImportedUsers ?? 0 };
    if (d?.Status === "Failed" || d?.Status === "Stopped") throw new Error(`import ${d.Status}: ${d.CompletionMessage}`);
  }
}

/** Seconds to run `count` calls one after the other. */
async function timed(count: number, call: (i: number) => Promise<unknown>): Promise<number> {
  const began = performance.now();
  for (let i = 0; i < count; i++) await call(i);
  return (performance.now() - began) / 1000;
}

/** One pool of `kind`: import `size` users, look `LOOKUPS` of them up by email, change the email of `UPDATES`. */
async function measurePool(
  client: CognitoIdentityProviderClient,
  kind: PoolKind,
  poolId: string,
  size: number,
): Promise<SignInLookupResult> {
  await createPool(client, kind, poolId);
  const header = (await client.send(new GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader ?? [];
  const imported = await importCsv(client, poolId, csvOf(header, kind, size));
  const lookups = Math.min(LOOKUPS, size);
  // Spread over the pool, upper case: the lookup folds the email as the case-insensitive pool does.
  const lookupSeconds = await timed(lookups, (i) =>
    client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email(1 + ((i * 7919) % size)).toUpperCase() })),
  );
  const updates = Math.min(UPDATES, size);
  const updateSeconds = await timed(updates, (i) =>
    client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: email(size - i),
        UserAttributes: [
          { Name: "email", Value: email(size + 1 + i) },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    ),
  );
  return { kind, size, imported: imported.imported, importSeconds: imported.seconds, lookups, lookupSeconds, updates, updateSeconds };
}

/** Both pools, `size` users each, in one emulator. */
export async function measureSignInLookups(size: number): Promise<SignInLookupResult[]> {
  const emulator = await startEmulator();
  const client = new CognitoIdentityProviderClient({ endpoint: emulator.endpoint, region: REGION, credentials, maxAttempts: 1 });
  try {
    return [
      await measurePool(client, "email as username", `${REGION}_BenchUser1`, size),
      await measurePool(client, "email as alias", `${REGION}_BenchAlias1`, size),
    ];
  } finally {
    client.destroy();
    await emulator.stop();
  }
}

function section(results: readonly SignInLookupResult[], load: { start: number; end: number }): string {
  const when = new Date().toISOString().slice(0, 16).replace("T", " ");
  const memory = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`;
  const machine = `${os.cpus()[0]?.model ?? "an unknown CPU"} (${os.cpus().length} cores, ${memory}, shared with other work)`;
  const loads = `load average ${load.start.toFixed(1)} at the start, ${load.end.toFixed(1)} at the end`;
  return [
    START,
    `Measured ${when} UTC on ${machine}, ${loads}, Node ${process.versions.node}, one run:`,
    "",
    "| pool | users imported | import seconds | AdminGetUser by email | seconds | email changes | seconds |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...results.map(
      (r) =>
        `| ${r.kind} | ${r.imported.toLocaleString("en-GB")} | ${r.importSeconds.toFixed(2)} | ${r.lookups} | ` +
        `${r.lookupSeconds.toFixed(2)} | ${r.updates} | ${r.updateSeconds.toFixed(2)} |`,
    ),
    END,
  ].join("\n");
}

async function main(argv: readonly string[]): Promise<void> {
  const sizeAt = argv.indexOf("--size");
  const size = sizeAt >= 0 ? Number(argv[sizeAt + 1]) : 5000;
  if (!Number.isInteger(size) || size < 1) throw new Error("--size must be a whole number ≥ 1");
  const loadStart = os.loadavg()[0];
  const results = await measureSignInLookups(size);
  const text = section(results, { start: loadStart, end: os.loadavg()[0] });
  process.stdout.write(`${text}\n`);
  if (!argv.includes("--no-write")) writeMarkedSection(path.join(PROJECT_ROOT, "BENCHMARKS.md"), { start: START, end: END }, text);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`sign-in lookup bench: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
