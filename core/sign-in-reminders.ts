/**
 * Sign-in reminders (stack setting `cognito-roster:signInReminders: {everyDays: N, maxReminders: K}`, off when
 * absent): a trainee still waiting to sign in (RESET_REQUIRED) is sent a new code at most once every N days and at
 * most K times. Pure: the setting's parse, the stored record (digests only) and who is due now.
 *
 * The record is written ahead: a trainee's count and date are raised and stored BEFORE the call (in the Pulumi
 * stack's state, providers/sign-in-reminders-entry.ts), so a crash after the store counts that reminder as sent (at
 * most one lost, never one more than K), as the first-code ledger does.
 * The date a trainee's last code went out is the record's own date of their last reminder, or, before any, the
 * trainee's UserCreateDate — the import that the first code follows (`sendSignInCode: afterImport`; without it,
 * the import is when the trainee was told to expect one). UserLastModifiedDate is not used: it moves with any
 * attribute change the roster applies, which says nothing about when a code was sent.
 */

export interface SignInReminders {
  everyDays: number;
  maxReminders: number;
}

/** The largest K: a reminder is an email to a person, and ten unanswered ones say to call them instead. */
const MAX_REMINDERS = 10;

/** The setting, or undefined after reporting each problem with the key it is at. */
export function parseSignInReminders(
  value: unknown,
  fail: (message: string, at?: readonly (string | number)[]) => void,
): SignInReminders | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail("must be a mapping {everyDays: N, maxReminders: K}");
    return undefined;
  }
  const record = value as Record<string, unknown>;
  let ok = true;
  for (const key of Object.keys(record)) {
    if (key !== "everyDays" && key !== "maxReminders") {
      fail(`${key} is not a reminder setting (everyDays, maxReminders)`, [key]);
      ok = false;
    }
  }
  const whole = (key: string, min: number, max: number): number | undefined => {
    const v = record[key];
    if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max) return v;
    fail(
      `${key} must be a whole number from ${min} to ${max} (got ${v === undefined ? "nothing" : JSON.stringify(v)})`,
      v === undefined ? [] : [key],
    );
    return undefined;
  };
  const everyDays = whole("everyDays", 1, 3650);
  const maxReminders = whole("maxReminders", 1, MAX_REMINDERS);
  return ok && everyDays !== undefined && maxReminders !== undefined ? { everyDays, maxReminders } : undefined;
}

/** One trainee's reminders so far: how many (sent, or possibly sent) and when the last was marked (ms). */
export interface ReminderEntry {
  count: number;
  lastAt: number;
}

/** The stored record: username digests only, bound to the pool it describes (DescribeUserPool Arn and CreationDate). */
export interface ReminderRecord {
  pool?: { arn: string; createdAt: number };
  trainees: Record<string, ReminderEntry>;
}

/** One run's marked reminders: `at` is the run's time (its id), `digests` the trainees counted in it. */
export interface ReminderRound {
  at: number;
  digests: string[];
}

const DAY_MS = 86_400_000;

/** True when a waiting trainee may be sent a reminder now: under the cap, and the last code at least N days old. */
export function reminderDue(entry: ReminderEntry | undefined, createdAt: number, now: number, settings: SignInReminders): boolean {
  const count = entry?.count ?? 0;
  if (count >= settings.maxReminders) return false;
  const last = Math.max(entry?.lastAt ?? 0, createdAt);
  return now - last >= settings.everyDays * DAY_MS;
}
