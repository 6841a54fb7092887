/**
 * Sign-in reminders recorded in the Pulumi stack's state (issue 19), on the emulator with unmodified SDK clients over
 * HTTP. The test plays Pulumi's engine for the two reminder resources (providers/sign-in-reminders-entry.ts): per
 * `up` it diffs and updates the marks, checkpoints their outputs (the state), then diffs and updates the sends —
 * exactly the order `sends` depending on `marks` gives. No `.roster/` file is involved: the state is the only record.
 *
 * Checked: at most once every N days and at most K times over many runs; a crash between the marks' checkpoint and
 * the sends, a crash in the middle of the sends and a lost answer never take a trainee past K nor send twice within
 * N days; a run overlapping another (starting after the other's marks were checkpointed) sends those trainees
 * nothing; a trainee who signed in, a disabled one and an undeclared user get nothing; the state holds digests only.
 */
import { execFile } from "node:child_process";
import { copyFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  ForgotPasswordCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { RunningEmulator } from "../../emulator";
import { listNeverSignedIn } from "../../aws/never-signed-in";
import type { SignInReminders } from "../../core/sign-in-reminders";
import type { PoolProfile } from "../../core/profile";
import { loadStackProfile } from "../../load/stack-profile";
import { type ReminderEngineOptions, reminderMarksEngine, reminderSendsEngine } from "../../providers/sign-in-reminders-entry";
import { reminderMarksProvider, reminderSendsProvider } from "../../providers/sign-in-reminders-provider";
import { startEmulatorWithPool } from "../support/emulator-pool";
import { serializeProvider } from "../support/provider-host";
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
const savedEnv = { ...process.env };
/** When the apply created the trainees (the latest UserCreateDate): day 0 of every run's time. */
let importedAt = 0;

beforeAll(async () => {
  profile = loadStackProfile(ROOT, "dev").profile as PoolProfile;
  emulator = await startEmulatorWithPool(profile);
  checkout = makeCheckout();
  copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(checkout.repoRoot, "Pulumi.dev.yaml"));
  checkout.write("london/2026-08.yaml", [...range(1, 4), { n: DISABLED, enabled: false }, { n: SIGNED_IN }]);
  // The engines create their own clients from the environment, as under the Pulumi host.
  Object.assign(process.env, { AWS_ENDPOINT_URL: emulator.endpoint, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
  await run(process.execPath, [ROSTER, "apply", "--yes"], { cwd: checkout.repoRoot, env: process.env });
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
  process.env = savedEnv;
});

function codesTo(n: number) {
  return emulator.sentCodes().filter((c) => c.username === traineeEmail(n));
}
const outboxCounts = () => [1, 2, 3, 4, 5, 6].map((n) => codesTo(n).length);
/** Reminders sent to each of trainees 1–6 since `before` (outbox messages). */
const remindersSince = (before: number[]) => outboxCounts().map((n, i) => n - before[i]);

type Props = Record<string, unknown>;

/** The stack's state of the two reminder resources: what the backend keeps between runs (outputs). */
interface StackState {
  marks?: Props;
  sends?: Props;
}

interface UpOptions {
  /** The run dies right after the marks' checkpoint: the sends never run. */
  crashAfterMarks?: boolean;
  engine?: ReminderEngineOptions;
  /** Runs between the marks' checkpoint and the sends (another, overlapping run). */
  between?: () => Promise<void>;
}

/**
 * One `pulumi up` at `day` days after the import, as Pulumi's engine runs the two resources: the state is read at
 * the start, each resource's outputs are checkpointed as soon as its operation returns.
 */
async function up(state: StackState, day: number, settings: SignInReminders, options: UpOptions = {}): Promise<void> {
  const engineOptions = { repoRoot: checkout.repoRoot, clock: { now: () => 0, sleep: async () => undefined }, ...options.engine };
  const marks = reminderMarksEngine(engineOptions);
  const sends = reminderSendsEngine(engineOptions);
  const inputs = { usersDir: "users", profile: { ...profile, signInReminders: settings }, runAt: importedAt + day * DAY };
  const olds = state.marks;
  if (!olds) state.marks = (await marks.create(inputs)).outs;
  else if ((await marks.diff("m", olds, inputs)).changes) state.marks = (await marks.update("m", olds, inputs)).outs;
  if (options.crashAfterMarks) return;
  await options.between?.();
  const sendInputs = { ...inputs, round: (state.marks as Props).round };
  const before = state.sends;
  if (!before) state.sends = (await sends.create(sendInputs)).outs;
  else if ((await sends.diff("s", before, sendInputs)).changes) state.sends = (await sends.update("s", before, sendInputs)).outs;
}

const counts = (state: StackState) =>
  Object.values((state.marks?.record as { trainees: Record<string, { count: number }> } | undefined)?.trainees ?? {}).map((e) => e.count);

test("at most once every N days and at most K times over many runs; signed-in and disabled trainees get nothing; digests only", async () => {
  const state: StackState = {};
  const settings = { everyDays: 3, maxReminders: 2 };
  const before = outboxCounts();
  const sentOn: Record<number, number[]> = {};
  for (const day of [0, 1, 2.9, 3, 3.5, 5, 6, 7, 9, 12, 30, 60]) {
    const was = outboxCounts();
    await up(state, day, settings);
    sentOn[day] = remindersSince(was);
  }
  const four = [1, 1, 1, 1, 0, 0];
  const none = [0, 0, 0, 0, 0, 0];
  expect(sentOn).toEqual({
    0: none,
    1: none,
    2.9: none,
    3: four,
    3.5: none,
    5: none,
    6: four,
    7: none,
    9: none,
    12: none,
    30: none,
    60: none,
  });
  expect(remindersSince(before)).toEqual([2, 2, 2, 2, 0, 0]);
  // Digests and dates only: no username, email or phone anywhere in the state.
  const stored = JSON.stringify({ record: state.marks?.record, round: state.marks?.round, sends: state.sends?.round }).toLowerCase();
  for (const n of [1, 2, 3, 4, 5, 6]) expect(stored).not.toContain(traineeEmail(n).toLowerCase().split("@")[0]);
  expect(stored).not.toMatch(/@|\+44/);
  expect(state.marks?.lastMark).toEqual({ due: 4, capped: 0 });
  expect(counts(state)).toEqual([2, 2, 2, 2]);
  expect(state.sends?.lastSend).toEqual({ at: importedAt + 6 * DAY, sent: 4, uncertain: 0, refused: 0, skipped: 0 });
}, 60_000);

test("a crash between the marks and the sends, a crash mid-send and a lost answer never exceed K nor send twice in N days", async () => {
  const state: StackState = {};
  const settings = { everyDays: 2, maxReminders: 2 };
  const before = outboxCounts();
  // Day 2: the run dies right after the marks' checkpoint: counted in the state, nothing sent.
  await up(state, 2, settings, { crashAfterMarks: true });
  expect(remindersSince(before)).toEqual([0, 0, 0, 0, 0, 0]);
  expect(counts(state)).toEqual([1, 1, 1, 1]);
  // Day 3: the next run finds nothing due (the crashed round counts, and is never sent again).
  await up(state, 3, settings);
  expect(remindersSince(before)).toEqual([0, 0, 0, 0, 0, 0]);
  // Day 4: due again. The run dies after two sends (at the pacing wait before the third: engine/pacer.ts waits before
  // every call after the first), and one of those two answers is lost after the emulator sent the code.
  emulator.faults.dropAnswer("AdminResetUserPassword", 1);
  let pacingWaits = 0;
  const killAtSecondWait = async () => (++pacingWaits > 1 ? Promise.reject(new Error("killed")) : undefined);
  const killedMidSend = { perSecond: 2, clock: { now: () => 0, sleep: killAtSecondWait } };
  await expect(up(state, 4, settings, { engine: killedMidSend })).rejects.toThrow("killed");
  const afterDay4 = remindersSince(before);
  expect(afterDay4.reduce((a, b) => a + b)).toBe(2);
  // Every later run: nobody over K = 2, nobody twice within 2 days, and the round the crash cut short is never resent.
  for (const day of [4.5, 5, 6, 7, 20]) await up(state, day, settings);
  expect(remindersSince(before)).toEqual(afterDay4);
  expect(counts(state)).toEqual([2, 2, 2, 2]);
}, 60_000);

test("two overlapping runs: a run that starts after the other's marks were checkpointed sends those trainees nothing", async () => {
  const state: StackState = {};
  const settings = { everyDays: 1, maxReminders: 3 };
  const before = outboxCounts();
  // Run A marks at day 1; before its sends, run B (same day, a later instant) runs from the state A checkpointed.
  await up(state, 1, settings, {
    between: async () => {
      const b: StackState = { ...state };
      await up(b, 1.01, settings);
      expect(remindersSince(before)).toEqual([0, 0, 0, 0, 0, 0]);
    },
  });
  expect(remindersSince(before)).toEqual([1, 1, 1, 1, 0, 0]);
  expect(counts(state)).toEqual([1, 1, 1, 1]);
}, 60_000);

test("an undeclared trainee is sent nothing and leaves the record, and a preview sends nothing", async () => {
  const state: StackState = {};
  const settings = { everyDays: 1, maxReminders: 5 };
  await up(state, 40, settings, { crashAfterMarks: true });
  const before = outboxCounts();
  checkout.write("london/2026-08.yaml", [...range(1, 3), { n: DISABLED, enabled: false }, { n: SIGNED_IN }]);
  try {
    const inputs = { usersDir: "users", profile: { ...profile, signInReminders: settings }, runAt: importedAt + 42 * DAY };
    // pulumi preview: check and diff only.
    const marks = reminderMarksEngine({ repoRoot: checkout.repoRoot });
    expect(await marks.diff("m", state.marks as Props, inputs)).toEqual({ changes: true });
    expect(await reminderSendsEngine().diff("s", {}, { ...inputs, round: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" })).toEqual({
      changes: true,
    });
    expect(remindersSince(before)).toEqual([0, 0, 0, 0, 0, 0]);
    await up(state, 42, settings);
    expect(remindersSince(before)).toEqual([1, 1, 1, 0, 0, 0]);
    // The record keeps declared trainees only (trainee 4 no longer is): it stays the roster's size.
    expect(counts(state)).toEqual([2, 2, 2]);
  } finally {
    checkout.write("london/2026-08.yaml", [...range(1, 4), { n: DISABLED, enabled: false }, { n: SIGNED_IN }]);
  }
}, 60_000);

test("the serialised reminder providers are thin shims: no engine, core or AWS code in the state", async () => {
  for (const provider of [reminderMarksProvider, reminderSendsProvider]) {
    const text = await serializeProvider(provider);
    expect(text.length).toBeLessThan(10 * 1024);
    expect(text).toContain("sign-in-reminders-entry.js");
    for (const engineCode of ["loadRoster", "markReminders", "sendReminderRound", "CognitoIdentityProvider"])
      expect(text).not.toContain(engineCode);
  }
});
