/**
 * Rounds of sign-in reminders (stack setting `signInReminders`, core/sign-in-reminders.ts): who is due now and the
 * record with each of them counted BEFORE anything is sent (the marks resource stores it), which round the sends
 * resource may send (only one marked by this very run), and the line of counts a sent round reports. Pure: the
 * engine (engine/send-reminders.ts) sends, the providers (providers/sign-in-reminders-entry.ts) store.
 */
import type { DeclaredUser } from "./declared-user";
import { type ReminderRecord, type ReminderRound, reminderDue, type SignInReminders } from "./sign-in-reminders";
import { usernameDigest } from "./user-digest";

/** A trainee the pool still holds RESET_REQUIRED (aws/never-signed-in.ts NeverSignedIn). */
interface WaitingTrainee {
  username: string;
  /** UserCreateDate, ms since epoch (the import's time for imported users). */
  createdAt: number;
  /** Enabled: a disabled user is sent nothing. */
  enabled: boolean;
}

export interface ReminderMarking {
  userPoolId: string;
  caseSensitive: boolean;
  settings: SignInReminders;
  declared: readonly DeclaredUser[];
  /** The pool's RESET_REQUIRED users (aws/never-signed-in.ts). */
  waiting: readonly WaitingTrainee[];
  /** The run's DescribeUserPool answer: the pool the record is bound to, and its AccountRecoverySetting. */
  pool: { arn: string; createdAt: number; settings?: { accountRecovery?: readonly string[] } };
  record: ReminderRecord | undefined;
  /** The run's time (ms): the round's id and every mark's date. */
  now: number;
  /**
   * At most this many are marked (what the pool's SES account can still send, core/reminder-ses-quota.ts); absent:
   * no cap. The due trainees beyond it, in digest order, stay unmarked and keep every reminder for a later round.
   */
  maxMarks?: number;
}

export interface MarkedRound {
  /** The record with this round counted: store it before sending the round. */
  record: ReminderRecord;
  round: ReminderRound;
  /** Waiting trainees who had all K reminders. */
  capped: number;
  /** Due trainees left unmarked for a later round because of `maxMarks` (present when there are any). */
  deferred?: number;
  /** Why the earlier record was set aside (it describes another pool), if it was. */
  dropped?: string;
  /** Why no reminder can be sent at all (nothing is marked), if so. */
  problem?: string;
}

/** Who is due a reminder now, in digest order, and the record with each of them already counted. */
export function markReminders(m: ReminderMarking): MarkedRound {
  const bound = m.record?.pool;
  const dropped =
    bound && (bound.arn !== m.pool.arn || bound.createdAt !== m.pool.createdAt)
      ? "sign-in reminders: the record describes another pool (re-created or restored); it no longer applies"
      : undefined;
  const digestOf = (username: string) => usernameDigest(m.userPoolId, username, m.caseSensitive);
  const declared = new Map(m.declared.map((u) => [digestOf(u.username), u] as const));
  // Only declared trainees are kept: the record stays O(roster). Never pruned by the pool's answer (a trainee a
  // lagging ListUsers leaves out must keep their count); one declared again later is a new intent.
  const trainees = dropped ? {} : Object.fromEntries(Object.entries(m.record?.trainees ?? {}).filter(([d]) => declared.has(d)));
  const digests: string[] = [];
  let capped = 0;
  for (const user of m.waiting) {
    const digest = digestOf(user.username);
    if (!user.enabled || !declared.get(digest)?.enabled) continue; // only declared, enabled trainees
    const entry = trainees[digest];
    if ((entry?.count ?? 0) >= m.settings.maxReminders) capped++;
    else if (reminderDue(entry, user.createdAt, m.now, m.settings)) digests.push(digest);
  }
  // Read once from the pool's AccountRecoverySetting: Cognito refuses every AdminResetUserPassword, so none is marked.
  const problem = m.pool.settings?.accountRecovery?.includes("admin_only")
    ? "sign-in reminders: the pool's account recovery is admin-only (AccountRecoverySetting), " +
      "so Cognito sends no reset codes; none is marked"
    : undefined;
  if (problem) digests.length = 0;
  digests.sort();
  // Deterministic: the first in digest order are marked; the rest are due again next round, uncounted.
  const deferred = m.maxMarks !== undefined && digests.length > m.maxMarks ? digests.length - Math.max(0, m.maxMarks) : 0;
  digests.length -= deferred;
  for (const digest of digests) trainees[digest] = { count: (trainees[digest]?.count ?? 0) + 1, lastAt: m.now };
  return {
    record: { pool: { arn: m.pool.arn, createdAt: m.pool.createdAt }, trainees },
    round: { at: m.now, digests },
    capped,
    ...(deferred > 0 ? { deferred } : {}),
    ...(dropped ? { dropped } : {}),
    ...(problem ? { problem } : {}),
  };
}

export interface RemindersOutcome {
  sent: number;
  /** No answer: possibly sent (counted, never repeated). */
  uncertain: number;
  /** Refused by Cognito (nothing sent; counted all the same: a reminder is never tried twice in a round). */
  refused: number;
  /** Marked but no longer declared, or gone from the pool: nothing sent. */
  skipped: number;
}

/** One line of counts (no personal data). */
export function describeReminders(o: RemindersOutcome, due: number): string {
  return (
    `sign-in reminders: ${o.sent} sent of ${due} due` +
    (o.uncertain > 0 ? `, ${o.uncertain} unanswered (counted as sent, never repeated)` : "") +
    (o.refused > 0 ? `, ${o.refused} refused by Cognito (counted; the next is due in N days)` : "") +
    (o.skipped > 0 ? `, ${o.skipped} no longer declared or in the pool` : "")
  );
}

export function isRound(value: unknown): value is ReminderRound {
  return typeof value === "object" && value !== null && Array.isArray((value as ReminderRound).digests);
}

/** The round to send now: only one marked by this very run (a round of an earlier run was counted, maybe sent). */
export function roundOfThisRun(inputs: { round: ReminderRound | string; runAt: number }): ReminderRound | undefined {
  return isRound(inputs.round) && inputs.round.at === inputs.runAt && inputs.round.digests.length > 0 ? inputs.round : undefined;
}
