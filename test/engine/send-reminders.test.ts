/**
 * Sign-in reminders on the emulator (issue 19 item 3), with unmodified SDK clients over HTTP: a trainee still
 * waiting is sent a new code at most once every N days and at most K times, over several runs with a clock crossing
 * N days; a crash after the write-ahead mark and before the send, or an answer lost after Cognito sent the code,
 * never takes a trainee past K; a trainee who signed in, a disabled one and an undeclared user get nothing.
 * Codes are counted in the emulator's outbox. The CLI's `activation --send-reminders` is run once at the end.
 */
import { execFile } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  ForgotPasswordCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { RunningEmulator } from "../../emulator";
import { listNeverSignedIn, type NeverSignedIn } from "../../aws/never-signed-in";
import { describePool } from "../../aws/pool-users";
import type { SignInReminders } from "../../core/sign-in-reminders";
import { sendReminders } from "../../engine/send-reminders";
import { loadRoster } from "../../load/load-roster";
import { loadStackProfile } from "../../load/stack-profile";
import { readReminderRecord, writeReminderRecord } from "../../load/reminder-record";
import type { PoolProfile } from "../../core/profile";
import { startEmulatorWithPool } from "../support/emulator-pool";
import { makeCheckout, range, traineeEmail, type RosterCheckout } from "../support/roster-fixture";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const ROSTER = path.join(ROOT, "bin", "cognito-roster.js");
const DAY = 86_400_000;
const DISABLED = 5;
const SIGNED_IN = 6;

let emulator: RunningEmulator;
let checkout: RosterCheckout;
let profile: PoolProfile;
let cognito: CognitoIdentityProviderClient;
let env: NodeJS.ProcessEnv;
/** When the apply created the trainees (the latest UserCreateDate): day 0 of the injected clock. */
let importedAt = 0;

beforeAll(async () => {
  profile = loadStackProfile(ROOT, "dev").profile as PoolProfile;
  emulator = await startEmulatorWithPool(profile);
  checkout = makeCheckout();
  copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(checkout.repoRoot, "Pulumi.dev.yaml"));
  checkout.write("london/2026-08.yaml", [...range(1, 4), { n: DISABLED, enabled: false }, { n: SIGNED_IN }]);
  env = { ...process.env, AWS_ENDPOINT_URL: emulator.endpoint, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
  await roster("apply", "--yes");
  cognito = new CognitoIdentityProviderClient({
    endpoint: emulator.endpoint,
    region: "eu-west-2",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  const client = await cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: profile.userPoolId, ClientName: "app", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] }),
  );
  const ClientId = client.UserPoolClient?.ClientId;
  const Username = traineeEmail(SIGNED_IN);
  await cognito.send(new ForgotPasswordCommand({ ClientId, Username }));
  const code = codesTo(SIGNED_IN).at(-1)?.code;
  await cognito.send(new ConfirmForgotPasswordCommand({ ClientId, Username, ConfirmationCode: code, Password: "Correct-Horse-42!" }));
  await listNeverSignedIn(cognito, profile.userPoolId, (page) => {
    for (const user of page) importedAt = Math.max(importedAt, user.createdAt);
  });
}, 120_000);

afterAll(async () => {
  cognito?.destroy();
  await emulator.stop();
  checkout.cleanup();
});

function roster(...args: string[]) {
  return run(process.execPath, [ROSTER, ...args], { cwd: checkout.repoRoot, env });
}

function codesTo(n: number) {
  return emulator.sentCodes().filter((c) => c.username === traineeEmail(n));
}

/** Reminders sent to each of trainees 1–6 since `before` (counts of outbox messages). */
function remindersSince(before: number[]): number[] {
  return [1, 2, 3, 4, 5, 6].map((n, i) => codesTo(n).length - before[i]);
}
const outboxCounts = () => [1, 2, 3, 4, 5, 6].map((n) => codesTo(n).length);

/** One scheduled run at `day` days after the import, the record kept in `file` as the CLI keeps it. */
async function remindAt(
  day: number,
  file: string,
  settings: SignInReminders,
  save = (r: Parameters<typeof writeReminderRecord>[1]) => writeReminderRecord(file, r),
) {
  const loaded = loadRoster({ usersDir: checkout.usersDir, repoRoot: checkout.repoRoot, profile });
  const waiting: NeverSignedIn[] = [];
  await listNeverSignedIn(cognito, profile.userPoolId, (page) => waiting.push(...page));
  return sendReminders({
    cognito,
    userPoolId: profile.userPoolId,
    caseSensitive: profile.usernameCaseSensitive,
    settings,
    declared: loaded.users,
    waiting,
    pool: await describePool(cognito, profile.userPoolId),
    record: readReminderRecord(file),
    save,
    clock: { now: () => importedAt + day * DAY, sleep: async () => undefined },
    perSecond: 3,
  });
}

test("at most once every N days and at most K times over many runs; signed-in and disabled trainees get nothing", async () => {
  const file = path.join(checkout.repoRoot, ".roster", "reminders-caps.json");
  const settings = { everyDays: 3, maxReminders: 2 };
  const before = outboxCounts();
  const sentOn: Record<number, number> = {};
  for (const day of [0, 1, 2.9, 3, 3.5, 5, 6, 7, 9, 12, 30, 60]) sentOn[day] = (await remindAt(day, file, settings)).sent;
  expect(sentOn).toEqual({ 0: 0, 1: 0, 2.9: 0, 3: 4, 3.5: 0, 5: 0, 6: 4, 7: 0, 9: 0, 12: 0, 30: 0, 60: 0 });
  expect(remindersSince(before)).toEqual([2, 2, 2, 2, 0, 0]);
  const record = JSON.parse(readFileSync(file, "utf8"));
  // Digests and dates only: no username, email or phone in the record.
  expect(JSON.stringify(record)).not.toMatch(/trainee\.|example\.|\+44/);
  expect(Object.values(record.trainees)).toEqual(Array(4).fill({ count: 2, lastAt: importedAt + 6 * DAY }));
  expect(await remindAt(90, file, settings)).toMatchObject({ due: 0, sent: 0, capped: 4 });
}, 60_000);

test("a crash after the mark and before the send, and a lost answer, never take a trainee past K", async () => {
  const file = path.join(checkout.repoRoot, ".roster", "reminders-crash.json");
  const settings = { everyDays: 1, maxReminders: 2 };
  const before = outboxCounts();
  // Run 1 dies right after its write-ahead save: the mark is on disk, no code went out.
  let saves = 0;
  const crashAfterMark = (r: Parameters<typeof writeReminderRecord>[1]) => {
    writeReminderRecord(file, r);
    if (++saves === 1) throw new Error("killed");
  };
  await expect(remindAt(1, file, settings, crashAfterMark)).rejects.toThrow("killed");
  expect(remindersSince(before)).toEqual([0, 0, 0, 0, 0, 0]);
  // Run 2, a day later: the first batch (3 of the 4, digest order) counts one reminder each; one answer is lost after
  // Cognito sent the code (drop-after) and counts as sent.
  emulator.faults.dropAnswer("AdminResetUserPassword", 1);
  const second = await remindAt(2, file, settings);
  expect(second).toMatchObject({ due: 4, sent: 3, uncertain: 1 });
  // Run 3 and later: every trainee is at K = 2 however the first two runs ended.
  for (const day of [3, 4, 5, 10]) await remindAt(day, file, settings);
  const received = remindersSince(before);
  expect(received.slice(4)).toEqual([0, 0]);
  for (const n of received.slice(0, 4)) expect(n).toBeLessThanOrEqual(2);
  expect(received.slice(0, 4).reduce((a, b) => a + b)).toBe(8 - 3); // the 3 marked by the crashed run were lost, never resent
  const record = readReminderRecord(file);
  expect(Object.values(record.trainees).map((e) => e.count)).toEqual([2, 2, 2, 2]);
}, 60_000);

test("cognito-roster activation --send-reminders: off without the setting (exit 2); with it, counts on stdout", async () => {
  const usage = await roster("activation", "--send-reminders").catch((e: { code: number; stderr: string }) => e);
  expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining("needs the stack setting cognito-roster:signInReminders") });
  const stackFile = path.join(checkout.repoRoot, "Pulumi.dev.yaml");
  writeFileSync(stackFile, `${readFileSync(stackFile, "utf8")}  cognito-roster:signInReminders: {everyDays: 7, maxReminders: 3}\n`);
  const out = await roster("activation", "--send-reminders");
  // Imported minutes ago: nobody has waited 7 days yet.
  expect(out.stdout).toContain("sign-in reminders: 0 sent of 0 due\n");
  expect(out.stdout).toContain("4 trainee(s)");
  const json = JSON.parse((await roster("activation", "--send-reminders", "--format", "json")).stdout);
  expect(json.reminders).toEqual({ due: 0, sent: 0, uncertain: 0, refused: 0, capped: 0 });
  expect(readReminderRecord(path.join(checkout.repoRoot, ".roster", "reminders-dev.json")).trainees).toEqual({});
}, 60_000);
