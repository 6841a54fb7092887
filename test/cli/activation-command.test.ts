/**
 * `cognito-roster activation` (issue 19.3): per office, exactly the declared trainees who have never signed in
 * (RESET_REQUIRED), at a cost proportional to them — one filtered ListUsers call for 5 stragglers in a pool of 70,
 * where a scan would page through all 70. Trainees sign in the documented way (ForgotPassword with the code from the
 * emulator's outbox, then ConfirmForgotPassword), with unmodified SDK clients.
 */
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { parse } from "yaml";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  ForgotPasswordCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { activationReport, renderActivation } from "../../core/activation";
import type { RunningEmulator } from "../../emulator";
import { loadStackProfile } from "../../load/stack-profile";
import { startEmulatorWithPool } from "../support/emulator-pool";
import { makeCheckout, range, traineeEmail, type RosterCheckout } from "../support/roster-fixture";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const ROSTER = path.join(ROOT, "bin", "cognito-roster.js");
const DAY = 86_400_000;
const STRAGGLERS = [3, 17, 45, 60, 70];

let emulator: RunningEmulator;
let checkout: RosterCheckout;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  const { profile } = loadStackProfile(ROOT, "dev");
  emulator = await startEmulatorWithPool(profile!);
  checkout = makeCheckout();
  copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(checkout.repoRoot, "Pulumi.dev.yaml"));
  checkout.write("london/2026-08.yaml", range(1, 40));
  checkout.write("kss/2026-08.yaml", range(41, 70));
  env = { ...process.env, AWS_ENDPOINT_URL: emulator.endpoint, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
  await roster("apply", "--yes");

  // Everyone but the stragglers sets a password, as docs/first-sign-in.md describes.
  const cognito = new CognitoIdentityProviderClient({
    endpoint: emulator.endpoint,
    region: "eu-west-2",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  const client = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: profile!.userPoolId,
      ClientName: "app",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
    }),
  );
  const ClientId = client.UserPoolClient?.ClientId;
  for (const { n } of range(1, 70).filter((t) => !STRAGGLERS.includes(t.n))) {
    const Username = traineeEmail(n);
    await cognito.send(new ForgotPasswordCommand({ ClientId, Username }));
    const code = emulator
      .sentCodes()
      .filter((c) => c.username === Username)
      .at(-1)?.code;
    await cognito.send(new ConfirmForgotPasswordCommand({ ClientId, Username, ConfirmationCode: code, Password: "Correct-Horse-42!" }));
  }
  cognito.destroy();
}, 120_000);
afterAll(async () => {
  await emulator.stop();
  checkout.cleanup();
});

function roster(...args: string[]) {
  return run(process.execPath, [ROSTER, ...args], { cwd: checkout.repoRoot, env });
}

test("lists exactly the never-signed-in trainees per office, with one filtered ListUsers call", async () => {
  emulator.resetCallCounts();
  const out = await roster("activation", "--format", "json");
  const report = JSON.parse(out.stdout);
  const names = (office: string) => report.offices[office].map((e: { username: string }) => e.username).sort();
  expect(Object.keys(report.offices)).toEqual(["kss", "london"]);
  expect(names("london")).toEqual([traineeEmail(3), traineeEmail(17)]);
  expect(names("kss")).toEqual([traineeEmail(45), traineeEmail(60), traineeEmail(70)]);
  expect(report.offices.london[0]).toMatchObject({ file: "users/london/2026-08.yaml", line: expect.any(Number), days: 0 });
  expect(emulator.callCounts()).toEqual({ ListUsers: 1 }); // a scan of the 70 would take 2 pages of 60
  expect(out.stderr).toContain("cognito-roster activation: 1 AWS call");
});

test("--office and --older-than narrow the list; text and markdown name each trainee by file:line", async () => {
  const london = await roster("activation", "--office", "london");
  const lines = london.stdout.split("\n");
  expect(lines.slice(0, 2)).toEqual(["2 trainee(s) of eu-west-2_Tr41n33s0 have never signed in", "london: 2"]);
  expect(lines[2]).toMatch(
    /^ {2}users\/london\/2026-08\.yaml:\d+: trainee\.0003@example\.nhs\.uk \(in the pool since \d{4}-\d\d-\d\d, 0 days\)$/,
  );
  expect(lines[3]).toMatch(/^ {2}users\/london\/2026-08\.yaml:\d+: trainee\.0017@example\.nhs\.uk /);
  // Imported just now: none has waited a day yet (the day arithmetic is checked below, on the pure report).
  expect((await roster("activation", "--older-than", "1d")).stdout).toBe(
    "0 trainee(s) of eu-west-2_Tr41n33s0 have never signed in for at least 1 day\n",
  );
  const markdown = (await roster("activation", "--format", "markdown")).stdout;
  expect(markdown).toContain("| kss | 3 |\n| london | 2 |");
  const usage = await roster("activation", "--older-than", "a week").catch((e: { code: number; stderr: string }) => e);
  expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining("--older-than takes a number of days") });
});

test("--older-than counts whole days since the user entered the pool; oldest first", () => {
  const declared = [3, 17].map((n) => ({
    username: traineeEmail(n),
    mfaEnabled: true,
    enabled: true,
    attributes: { email: traineeEmail(n) },
    source: { file: "users/london/a.yaml", line: n, col: 5 },
  }));
  const base = { userPoolId: "eu-west-2_X", usersDir: "users", declared, caseSensitive: false, now: 10 * DAY };
  const older = activationReport({
    ...base,
    olderThanDays: 7,
    stragglers: [
      { username: traineeEmail(3), createdAt: 0 },
      { username: traineeEmail(17).toUpperCase(), createdAt: 3 * DAY + 1 },
    ],
  });
  expect(older.offices).toEqual({
    london: [{ username: traineeEmail(3), file: "users/london/a.yaml", line: 3, created: "1970-01-01", days: 10 }],
  });
  const both = activationReport({
    ...base,
    olderThanDays: 6,
    stragglers: [
      { username: traineeEmail(17), createdAt: 3 * DAY },
      { username: traineeEmail(3), createdAt: 0 },
    ],
  });
  expect(both.offices.london.map((e) => e.days)).toEqual([10, 7]);
});

test("pool users the roster does not declare are counted, never named", () => {
  const report = activationReport({
    userPoolId: "eu-west-2_X",
    usersDir: "users",
    declared: [],
    stragglers: [{ username: "someone@example.com", createdAt: 0 }],
    caseSensitive: false,
    now: DAY,
    olderThanDays: 0,
  });
  expect(report).toMatchObject({ offices: {}, notDeclared: 1 });
  expect(renderActivation(report, "text")).not.toContain("someone@example.com");
  expect(renderActivation(report, "text")).toContain("1 more in the pool that the roster does not declare (not listed)");
});

test("the weekly workflow's summary holds counts per office and no trainee", () => {
  const workflow = parse(readFileSync(path.join(ROOT, ".github", "workflows", "roster-activation.yml"), "utf8"));
  const step = workflow.jobs.activation.steps.find((st: { name?: string }) => st.name?.startsWith("cognito-roster activation"));
  const script = /node -e '([\s\S]*?)' "\$RUNNER_TEMP\/activation\.json"/.exec(step.run)?.[1];
  expect(script).toBeDefined();
  const report = activationReport({
    userPoolId: "eu-west-2_X",
    usersDir: "users",
    declared: [3, 17].map((n) => ({
      username: traineeEmail(n),
      mfaEnabled: true,
      enabled: true,
      attributes: { email: traineeEmail(n) },
      source: { file: `users/${n === 3 ? "kss" : "london"}/a.yaml`, line: n, col: 5 },
    })),
    stragglers: [3, 17].map((n) => ({ username: traineeEmail(n), createdAt: 0 })),
    caseSensitive: false,
    now: 8 * DAY,
    olderThanDays: 7,
  });
  const dir = mkdtempSync(path.join(tmpdir(), "roster-activation-"));
  try {
    writeFileSync(path.join(dir, "activation.json"), renderActivation(report, "json"));
    const out = execFileSync(process.execPath, ["-e", script as string, path.join(dir, "activation.json")], { encoding: "utf8" });
    expect(out).toBe(
      "### Trainees who have not signed in after 7 days (eu-west-2_X)\n\n| office | trainees |\n|---|---:|\n| kss | 1 |\n| london | 1 |\n",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
