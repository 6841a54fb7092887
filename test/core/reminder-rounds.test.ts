/**
 * core/reminder-rounds.ts markReminders, pure: who is due now and the record with them counted — N days since the
 * last code (the last reminder, else the import), at most K, declared and enabled trainees only, a record of another
 * pool set aside, the record kept to declared trainees, and nothing marked when the pool's recovery is admin-only.
 */
import type { DeclaredUser } from "../../core/declared-user";
import { usernameDigest } from "../../core/user-digest";
import { describeReminders, isRound, markReminders, type ReminderMarking, roundOfThisRun } from "../../core/reminder-rounds";

const POOL_ID = "eu-west-2_Marks0001";
const DAY = 86_400_000;
const user = (n: number, enabled = true) => ({ username: `t${n}@example.nhs.uk`, enabled }) as DeclaredUser;
const digest = (n: number) => usernameDigest(POOL_ID, `t${n}@example.nhs.uk`, false);
const pool = { arn: "arn:pool", createdAt: 1 };

function marking(overrides: Partial<ReminderMarking> = {}): ReminderMarking {
  return {
    userPoolId: POOL_ID,
    caseSensitive: false,
    settings: { everyDays: 3, maxReminders: 2 },
    declared: [user(1), user(2), user(3, false), user(4)],
    waiting: [1, 2, 3, 4, 5].map((n) => ({ username: `t${n}@example.nhs.uk`, createdAt: 0, enabled: n !== 4 })),
    pool,
    record: undefined,
    now: 3 * DAY,
    ...overrides,
  };
}

test("due: declared, enabled in the files and the pool, N days after the import; each counted at the round's time", () => {
  const marked = markReminders(marking());
  expect(marked.round).toEqual({ at: 3 * DAY, digests: [digest(1), digest(2)].sort() });
  expect(marked.record).toEqual({
    pool,
    trainees: { [digest(1)]: { count: 1, lastAt: 3 * DAY }, [digest(2)]: { count: 1, lastAt: 3 * DAY } },
  });
  expect(markReminders(marking({ now: 3 * DAY - 1 })).round.digests).toEqual([]);
});

test("at most K, at most once every N days; another pool's record is set aside; undeclared trainees leave the record", () => {
  const record = {
    pool,
    trainees: { [digest(1)]: { count: 2, lastAt: 0 }, [digest(2)]: { count: 1, lastAt: 2 * DAY }, [digest(9)]: { count: 1, lastAt: 0 } },
  };
  const marked = markReminders(marking({ record, now: 4 * DAY }));
  expect(marked).toMatchObject({ round: { digests: [] }, capped: 1 });
  expect(Object.keys(marked.record.trainees).sort()).toEqual([digest(1), digest(2)].sort());
  expect(markReminders(marking({ record, now: 5 * DAY })).round.digests).toEqual([digest(2)]);
  const other = markReminders(marking({ record: { ...record, pool: { arn: "arn:other", createdAt: 1 } }, now: 4 * DAY }));
  expect(other.dropped).toMatch(/another pool/);
  expect(other.round.digests).toHaveLength(2);
});

test("a pool whose account recovery is admin-only: nothing is marked, and the run says why", () => {
  const marked = markReminders(marking({ pool: { ...pool, settings: { accountRecovery: ["admin_only"] } } }));
  expect(marked.round.digests).toEqual([]);
  expect(marked.record.trainees).toEqual({});
  expect(marked.problem).toMatch(/admin-only/);
});

describe("at most maxMarks (what SES can still send): the first in digest order, the rest unmarked and uncounted", () => {
  // Five declared, enabled, waiting trainees, all due at day 3: digests sorted, the round takes a prefix.
  const five = [1, 2, 3, 4, 5];
  const all = five.map(digest).sort();
  const due = (maxMarks?: number) =>
    markReminders(
      marking({
        declared: five.map((n) => user(n)),
        waiting: five.map((n) => ({ username: `t${n}@example.nhs.uk`, createdAt: 0, enabled: true })),
        ...(maxMarks === undefined ? {} : { maxMarks }),
      }),
    );
  test.each([
    ["no cap (COGNITO_DEFAULT, unlimited quota, a failed read)", undefined, 5, undefined],
    ["more left than due", 9, 5, undefined],
    ["exactly as many left as due", 5, 5, undefined],
    ["fewer left than due", 2, 2, 3],
    ["one left", 1, 1, 4],
    ["none left", 0, 0, 5],
    ["a negative figure counts as none", -3, 0, 5],
  ])("%s: maxMarks %s → %s marked, %s deferred", (_name, maxMarks, marked, deferred) => {
    const round = due(maxMarks);
    expect(round.round.digests).toEqual(all.slice(0, marked));
    expect(Object.keys(round.record.trainees).sort()).toEqual(all.slice(0, marked));
    expect(round.deferred).toBe(deferred);
  });

  test("the deferred are due in the next round (the same order), and the marked ones are not", () => {
    const first = due(2);
    const next = markReminders(
      marking({
        declared: five.map((n) => user(n)),
        waiting: five.map((n) => ({ username: `t${n}@example.nhs.uk`, createdAt: 0, enabled: true })),
        record: first.record,
        now: 3 * DAY + 1,
        maxMarks: 2,
      }),
    );
    expect(next.round.digests).toEqual(all.slice(2, 4));
    expect(next.deferred).toBe(1);
    expect(Object.values(next.record.trainees).map((e) => e.count)).toEqual([1, 1, 1, 1]);
  });

  test("admin-only recovery marks nothing and defers nothing", () => {
    const marked = markReminders(marking({ pool: { ...pool, settings: { accountRecovery: ["admin_only"] } }, maxMarks: 1 }));
    expect(marked).toMatchObject({ round: { digests: [] } });
    expect(marked.deferred).toBeUndefined();
  });
});

describe("the line a sent round reports", () => {
  const outcome = (sent: number, uncertain = 0, refused = 0, skipped = 0) => ({ sent, uncertain, refused, skipped });
  test.each([
    ["all sent", outcome(3), 3, "sign-in reminders: 3 sent of 3 due"],
    ["none due", outcome(0), 0, "sign-in reminders: 0 sent of 0 due"],
    ["one unanswered", outcome(2, 1), 3, "sign-in reminders: 2 sent of 3 due, 1 unanswered (counted as sent, never repeated)"],
    ["one refused", outcome(2, 0, 1), 3, "sign-in reminders: 2 sent of 3 due, 1 refused by Cognito (counted; the next is due in N days)"],
    ["one skipped", outcome(2, 0, 0, 1), 3, "sign-in reminders: 2 sent of 3 due, 1 no longer declared or in the pool"],
    [
      "every kind",
      outcome(1, 1, 1, 1),
      4,
      "sign-in reminders: 1 sent of 4 due, 1 unanswered (counted as sent, never repeated), " +
        "1 refused by Cognito (counted; the next is due in N days), 1 no longer declared or in the pool",
    ],
  ])("%s", (_name, o, due, expected) => {
    expect(describeReminders(o, due)).toBe(expected);
  });
});

describe("the round the sends resource may send: only one marked by this very run", () => {
  const round = (at: number, digests: string[]) => ({ at, digests });
  test.each([
    ["this run's round", round(5, ["d1"]), 5, true],
    ["an earlier run's round (counted, maybe sent)", round(4, ["d1"]), 5, false],
    ["this run's round, empty", round(5, []), 5, false],
    ["unknown during a preview", "output<string>", 5, false],
  ])("%s → %s", (_name, r, runAt, sends) => {
    expect(roundOfThisRun({ round: r, runAt })).toEqual(sends ? r : undefined);
  });
  test.each([
    ["a round", round(1, []), true],
    ["a string (an unknown output)", "x", false],
    ["null", null, false],
    ["an object without digests", { at: 1 }, false],
    ["digests that are not a list", { at: 1, digests: "d1" }, false],
  ])("isRound: %s → %s", (_name, value, expected) => {
    expect(isRound(value)).toBe(expected);
  });
});
