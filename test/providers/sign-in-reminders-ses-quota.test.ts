/**
 * Sign-in reminders of a pool that sends email with EmailSendingAccount DEVELOPER, against its SES account's quota
 * (SESv2 GetAccount, the emulator's configurable SendQuota), with unmodified SDK clients over HTTP. The test plays
 * Pulumi's engine for the two reminder resources as test/providers/sign-in-reminders.test.ts does.
 *
 * Checked: a round marks (and so counts, and sends) no more trainees than SES can still send; the others stay
 * unmarked, uncounted, in digest order, and a later round takes them once the quota frees; with no quota left an up
 * sends nothing and its marks say how many wait; a failed GetAccount marks uncapped and says why; numbers only, no
 * personal data; a COGNITO_DEFAULT pool reads no SES quota and is not capped.
 */
import type { RunningEmulator } from "../../emulator";
import type { PoolProfile } from "../../core/profile";
import { usernameDigest } from "../../core/user-digest";
import { applyRoster } from "../../engine/reconcile";
import { reminderMarksEngine, reminderSendsEngine } from "../../providers/sign-in-reminders-entry";
import { createPool, FAST_TIMING, startEmulatorForSdk } from "../support/emulator-pool";
import { makeCheckout, range, type RosterCheckout, traineeEmail, traineeProfile } from "../support/roster-fixture";

const DAY = 86_400_000;
const TRAINEES = [1, 2, 3, 4, 5];

let emulator: RunningEmulator;
let stopEmulator: () => Promise<void>;
let checkout: RosterCheckout;
let profile: PoolProfile;
/** Just after the import: day 0 of every run's time. */
let importedAt = 0;

beforeAll(async () => {
  ({ emulator, stop: stopEmulator } = await startEmulatorForSdk());
  profile = traineeProfile({ emailSendingAccount: "DEVELOPER", signInReminders: { everyDays: 3, maxReminders: 2 } });
  await createPool(emulator, profile);
  checkout = makeCheckout();
  checkout.write("london/intake.yaml", range(1, TRAINEES.length));
  await applyRoster({ profile, usersDir: checkout.usersDir, repoRoot: checkout.repoRoot, timing: FAST_TIMING });
  importedAt = Date.now();
}, 60_000);

afterAll(async () => {
  await stopEmulator?.();
  checkout?.cleanup();
});

type Props = Record<string, unknown>;
const engineOptions = () => ({ repoRoot: checkout.repoRoot, clock: { now: () => 0, sleep: async () => undefined } });
const inputsAt = (day: number) => ({ usersDir: "users", profile, runAt: importedAt + day * DAY });

/** One `pulumi up` of the two reminder resources over `state` (the marks' and the sends' outputs). */
async function up(state: { marks?: Props; sends?: Props }, day: number): Promise<void> {
  const marks = reminderMarksEngine(engineOptions());
  const sends = reminderSendsEngine(engineOptions());
  const inputs = inputsAt(day);
  if (!state.marks) state.marks = (await marks.create(inputs)).outs;
  else if ((await marks.diff("m", state.marks, inputs)).changes) state.marks = (await marks.update("m", state.marks, inputs)).outs;
  const sendInputs = { ...inputs, round: state.marks.round };
  if (!state.sends) state.sends = (await sends.create(sendInputs)).outs;
  else if ((await sends.diff("s", state.sends, sendInputs)).changes) state.sends = (await sends.update("s", state.sends, sendInputs)).outs;
}

/** SES's quota in every Region: `sent` of `max` used in the last 24 hours (SES counts what it sent; the emulator does not). */
const sesQuota = (max: number, sent: number) => emulator.messaging.set({ ses: { max24HourSend: max, sentLast24Hours: sent } });
const remindersTo = () =>
  TRAINEES.map((n) => emulator.sentCodes().filter((c) => c.username === traineeEmail(n) && c.reason === "AdminResetUserPassword").length);
/** Trainees 1–5 in digest order: the order a round marks them in. */
const inDigestOrder = () =>
  [...TRAINEES].sort((a, b) => {
    const [da, db] = [a, b].map((n) => usernameDigest(profile.userPoolId, traineeEmail(n), profile.usernameCaseSensitive));
    return da < db ? -1 : 1;
  });
const counts = (marks: Props | undefined) =>
  Object.values((marks?.record as { trainees: Record<string, { count: number }> } | undefined)?.trainees ?? {}).map((e) => e.count);
const reminded = (sent: number[]) => TRAINEES.filter((_n, i) => sent[i] > 0);

test("a round marks at most what SES can still send; the rest keep their reminders and a later round takes them", async () => {
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    const state: { marks?: Props; sends?: Props } = {};
    const order = inDigestOrder();
    expect(remindersTo()).toEqual([0, 0, 0, 0, 0]);

    // Day 3: all five due, SES has 2 left of 200 in its 24-hour window: exactly 2 marked, counted and sent.
    sesQuota(200, 198);
    await up(state, 3);
    expect(state.marks?.lastMark).toEqual({ due: 2, capped: 0, deferred: 3, sesEmailsLeft: 2 });
    expect(counts(state.marks)).toEqual([1, 1]);
    expect(state.sends?.lastSend).toMatchObject({ sent: 2, uncertain: 0, refused: 0, skipped: 0 });
    const afterDay3 = remindersTo();
    expect(reminded(afterDay3)).toEqual(order.slice(0, 2).sort());
    const lines = stderr.mock.calls.map((c) => String(c[0])).join("");
    expect(lines).toContain(
      "sign-in reminders: 3 more due left unmarked for a later round (they keep every reminder): " +
        "SES in eu-west-2 can send 2 more email(s) now (SES GetAccount: Max24HourSend 200, SentLast24Hours 198)",
    );
    expect(lines).not.toMatch(/trainee\.|@/);

    // Later that day SES has sent its 200: an up marks and sends nothing, and says so (the marks change to say it).
    sesQuota(200, 200);
    expect(await reminderMarksEngine(engineOptions()).diff("m", state.marks as Props, inputsAt(3.5))).toEqual({ changes: true });
    await up(state, 3.5);
    expect(state.marks?.lastMark).toEqual({ due: 0, capped: 0, deferred: 3, sesEmailsLeft: 0 });
    expect(state.sends?.lastSend).toMatchObject({ sent: 2 }); // the day-3 send, unchanged: nothing sent since
    expect(remindersTo()).toEqual(afterDay3);
    expect(counts(state.marks)).toEqual([1, 1]);

    // Day 4.5: the window moved on (nothing sent in it): the three left over are marked and sent, each once; the two
    // reminded on day 3 are not due again before day 6.
    sesQuota(200, 0);
    await up(state, 4.5);
    expect(state.marks?.lastMark).toEqual({ due: 3, capped: 0 });
    expect(remindersTo()).toEqual([1, 1, 1, 1, 1]);
    expect(counts(state.marks)).toEqual([1, 1, 1, 1, 1]);

    // Day 8: GetAccount is refused: the round is marked uncapped (a failed read never blocks a reminder), and says why.
    sesQuota(200, 200);
    emulator.messaging.set({ denied: ["GetAccount"] });
    stderr.mockClear();
    await up(state, 8);
    expect(state.marks?.lastMark).toEqual({ due: 5, capped: 0 });
    expect(remindersTo()).toEqual([2, 2, 2, 2, 2]);
    expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toContain(
      "sign-in reminders: could not read the SES sending quota in eu-west-2 (AccessDeniedException); marked without a cap",
    );
  } finally {
    emulator.messaging.set({ denied: [] });
    stderr.mockRestore();
  }
}, 60_000);

test("a COGNITO_DEFAULT pool is not capped: no SES figure to compare, so GetAccount is not read and every due trainee is marked", async () => {
  const cognitoDefault = traineeProfile({ signInReminders: { everyDays: 1, maxReminders: 1 } });
  await createPool(emulator, cognitoDefault);
  const other = makeCheckout();
  try {
    other.write("london/intake.yaml", range(11, 13));
    await applyRoster({ profile: cognitoDefault, usersDir: other.usersDir, repoRoot: other.repoRoot, timing: FAST_TIMING });
    sesQuota(200, 200);
    const before = emulator.callCounts().GetAccount ?? 0;
    const marks = reminderMarksEngine({ repoRoot: other.repoRoot });
    const created = await marks.create({ usersDir: "users", profile: cognitoDefault, runAt: Date.now() + 2 * DAY });
    expect(created.outs.lastMark).toEqual({ due: 3, capped: 0 });
    expect(emulator.callCounts().GetAccount ?? 0).toBe(before);
  } finally {
    other.cleanup();
  }
}, 60_000);
