/**
 * `cognito-roster init --stack NAME --pool ID`: a stack file from a live (emulator) pool that passes the project's own
 * validation and plans with zero changes against the pool it was read from; never overwritten without --force.
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import type { PoolProfile } from "../../core/profile";
import { loadStackProfile } from "../../load/stack-profile";
import { createPool, startEmulatorForSdk } from "../support/emulator-pool";
import { makeCheckout, range, type RosterCheckout } from "../support/roster-fixture";
import { runInProcess } from "../support/cli-in-process";

const ROOT = path.resolve(__dirname, "../..");
const POOL = "eu-west-2_Tr41n33s0";
let emulator: RunningEmulator;
let stopEmulator: () => Promise<void>;
let checkout: RosterCheckout;
const env = () => ({ ...process.env, AWS_REGION: "eu-west-2" });

beforeAll(async () => {
  ({ emulator, stop: stopEmulator } = await startEmulatorForSdk());
  await createPool(emulator, loadStackProfile(ROOT, "dev").profile as PoolProfile);
});
afterAll(() => stopEmulator());
beforeEach(() => {
  checkout = makeCheckout();
  copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(checkout.repoRoot, "Pulumi.dev.yaml"));
});
afterEach(() => checkout.cleanup());

test("init writes a stack that passes validation and plans with zero changes against the pool it read", async () => {
  checkout.write("london/a.yaml", range(1, 3));
  const applied = await runInProcess(checkout.repoRoot, env(), [
    "apply",
    "--yes",
    "--logs-role-arn",
    "arn:aws:iam::000000000000:role/logs",
  ]);
  expect(applied.code).toBe(0);

  const init = await runInProcess(checkout.repoRoot, env(), ["init", "--stack", "live", "--pool", POOL]);
  expect(init).toMatchObject({ code: 0, stdout: `wrote Pulumi.live.yaml from pool ${POOL}\n` });
  const text = readFileSync(path.join(checkout.repoRoot, "Pulumi.live.yaml"), "utf8");
  expect(text).toContain("  cognito-roster:userPoolName: trainee-information-system  # DescribeUserPool Name\n");
  expect(text).toContain("  cognito-roster:usernameCaseSensitive: false  # UsernameConfiguration.CaseSensitive\n");
  expect(text).toContain('  cognito-roster:mfaConfiguration: "ON"  # MfaConfiguration\n');
  expect(text).toContain("  cognito-roster:mfaFactors: [sms]  # GetUserPoolMfaConfig: the factors enabled\n");
  expect(loadStackProfile(checkout.repoRoot, "live").diagnostics).toEqual([]);

  const validated = await runInProcess(checkout.repoRoot, env(), ["validate", "--stack", "live"]);
  expect(validated.code).toBe(0);
  const planned = await runInProcess(checkout.repoRoot, env(), ["plan", "--stack", "live", "--full", "--format", "json"]);
  expect(planned.code).toBe(0);
  expect(JSON.parse(planned.stdout)).toMatchObject({ import: [], update: [], disable: [], enable: [], remove: [], unchanged: 3 });
});

test("init never overwrites without --force; flags are checked before any AWS call", async () => {
  const file = path.join(checkout.repoRoot, "Pulumi.live.yaml");
  writeFileSync(file, "# mine\n");
  const refused = await runInProcess(checkout.repoRoot, env(), ["init", "--stack", "live", "--pool", POOL]);
  expect(refused).toMatchObject({
    code: 2,
    stderr: expect.stringContaining("Pulumi.live.yaml exists: not overwritten (pass --force to replace it)"),
  });
  expect(readFileSync(file, "utf8")).toBe("# mine\n");
  const forced = await runInProcess(checkout.repoRoot, env(), ["init", "--stack", "live", "--pool", POOL, "--force"]);
  expect(forced.code).toBe(0);
  expect(readFileSync(file, "utf8")).toMatch(/^# The live stack, written by `cognito-roster init`/);

  const before = emulator.callCounts().DescribeUserPool ?? 0;
  for (const args of [
    ["init", "--pool", POOL],
    ["init", "--stack", "x"],
    ["init", "--stack", "x", "--pool", "nope"],
    ["init", "--stack", "x", "--pool", POOL, "--region", "us-east-1"],
  ]) {
    expect((await runInProcess(checkout.repoRoot, env(), args)).code).toBe(2);
  }
  expect(emulator.callCounts().DescribeUserPool ?? 0).toBe(before);
  const help = await runInProcess(checkout.repoRoot, env(), ["init", "--help"]);
  expect(help).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: cognito-roster init --stack NAME --pool ID/) });
});

test("a pool with email as the username: init writes usernameAttributes [email], and the stack validates, applies and plans with zero changes", async () => {
  const profile = {
    ...(loadStackProfile(ROOT, "dev").profile as PoolProfile),
    userPoolId: "eu-west-2_Username1",
    usernameAttributes: ["email" as const],
  };
  await createPool(emulator, profile);
  const init = await runInProcess(checkout.repoRoot, env(), ["init", "--stack", "u", "--pool", "eu-west-2_Username1"]);
  expect(init.code).toBe(0);
  const text = readFileSync(path.join(checkout.repoRoot, "Pulumi.u.yaml"), "utf8");
  expect(text).toContain("  cognito-roster:usernameAttributes: [email]  # UsernameAttributes\n");
  expect(loadStackProfile(checkout.repoRoot, "u").diagnostics).toEqual([]);

  // The users files name each trainee by the email they sign in with (range() writes username = email).
  checkout.write("london/a.yaml", range(1, 3));
  const applied = await runInProcess(checkout.repoRoot, env(), [
    "apply",
    "--stack",
    "u",
    "--yes",
    "--logs-role-arn",
    "arn:aws:iam::000000000000:role/logs",
  ]);
  expect(applied.code).toBe(0);
  const planned = await runInProcess(checkout.repoRoot, env(), ["plan", "--stack", "u", "--full", "--format", "json"]);
  expect(planned.code).toBe(0);
  expect(JSON.parse(planned.stdout)).toMatchObject({ import: [], update: [], disable: [], enable: [], remove: [], unchanged: 3 });

  // export names each account by its email, not by the username the pool generated: what it writes validates.
  checkout.reset();
  const exported = await runInProcess(checkout.repoRoot, env(), ["export", "--stack", "u"]);
  expect(exported.code).toBe(0);
  const written = readFileSync(path.join(checkout.usersDir, "exported", "exported.yaml"), "utf8");
  expect(written).toContain("username: trainee.0001@example.nhs.uk");
  expect((await runInProcess(checkout.repoRoot, env(), ["validate", "--stack", "u"])).code).toBe(0);
});
