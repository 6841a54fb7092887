/**
 * engine/send-reminders.ts markReminders, pure: who is due now and the record with them counted — N days since the
 * last code (the last reminder, else the import), at most K, declared and enabled trainees only, a record of another
 * pool set aside, the record kept to declared trainees, and nothing marked when the pool's recovery is admin-only.
 */
import type { DeclaredUser } from "../../core/declared-user";
import { usernameDigest } from "../../core/user-digest";
import { markReminders, type ReminderMarking } from "../../engine/send-reminders";

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
