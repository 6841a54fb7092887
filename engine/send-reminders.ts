/**
 * Sign-in reminders (stack setting `signInReminders`, core/sign-in-reminders.ts): a new code, sent with
 * AdminResetUserPassword (aws/sign-in-codes.ts: a call that got no answer is never repeated), to each declared,
 * enabled trainee the pool still holds RESET_REQUIRED whose last code is at least N days old, at most K times.
 *
 * Two steps, so that the record is durable before anything is sent (providers/sign-in-reminders-entry.ts keeps it in
 * the Pulumi stack's state, written by one resource before the next one sends):
 * - markReminders: pure — who is due now, and the record with each of them counted (count + 1, the round's time);
 * - sendReminderRound: sends exactly the round that was marked, paced like the first codes
 *   (engine/send-sign-in-codes.ts: two thirds of the UserAccountRecovery quota, one batch a second).
 * A reminder counts from its mark, whatever happens to its call afterwards (sent, refused, unanswered, or never made
 * because the run died): never one over K, and at most one per trainee per N days. Progress carries counts only.
 */
import type { DeclaredUser } from "../core/declared-user";
import { type ReminderRecord, type ReminderRound, reminderDue, type SignInReminders } from "../core/sign-in-reminders";
import { usernameDigest } from "../core/user-digest";
import type { NeverSignedIn } from "../aws/never-signed-in";
import type { PoolDescription } from "../aws/pool-users";
import type { SignInCodesPort } from "../aws/ports";
import { type Clock, SYSTEM_CLOCK } from "./backoff";
import { createPacer } from "./pacer";
import { SIGN_IN_CODES_PER_SECOND } from "./send-sign-in-codes";

export interface ReminderMarking {
  userPoolId: string;
  caseSensitive: boolean;
  settings: SignInReminders;
  declared: readonly DeclaredUser[];
  /** The pool's RESET_REQUIRED users (aws/never-signed-in.ts). */
  waiting: readonly NeverSignedIn[];
  pool: Pick<PoolDescription, "arn" | "createdAt"> & { settings?: Pick<PoolDescription["settings"], "accountRecovery"> };
  record: ReminderRecord | undefined;
  /** The run's time (ms): the round's id and every mark's date. */
  now: number;
}

export interface MarkedRound {
  /** The record with this round counted: store it before sending the round. */
  record: ReminderRecord;
  round: ReminderRound;
  /** Waiting trainees who had all K reminders. */
  capped: number;
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
    ? "sign-in reminders: the pool's account recovery is admin-only (AccountRecoverySetting), so Cognito sends no reset codes; none is marked"
    : undefined;
  if (problem) digests.length = 0;
  digests.sort();
  for (const digest of digests) trainees[digest] = { count: (trainees[digest]?.count ?? 0) + 1, lastAt: m.now };
  return {
    record: { pool: { arn: m.pool.arn, createdAt: m.pool.createdAt }, trainees },
    round: { at: m.now, digests },
    capped,
    ...(dropped ? { dropped } : {}),
    ...(problem ? { problem } : {}),
  };
}

export interface ReminderSending {
  signInCodes: SignInCodesPort;
  userPoolId: string;
  caseSensitive: boolean;
  declared: readonly DeclaredUser[];
  /** The marked round's digests: each already counted in a stored record. */
  digests: readonly string[];
  progress?: (message: string) => void;
  clock?: Clock;
  perSecond?: number;
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

/** Sends the marked round, once each, paced; a call that got no answer is never repeated. */
export async function sendReminderRound(s: ReminderSending): Promise<RemindersOutcome> {
  const clock = s.clock ?? SYSTEM_CLOCK;
  const say = s.progress ?? (() => undefined);
  const byDigest = new Map(s.declared.map((u) => [usernameDigest(s.userPoolId, u.username, s.caseSensitive), u.username] as const));
  const outcome: RemindersOutcome = { sent: 0, uncertain: 0, refused: 0, skipped: 0 };
  const queue: string[] = [];
  for (const digest of s.digests) {
    const username = byDigest.get(digest);
    if (username === undefined) outcome.skipped++;
    else queue.push(username);
  }
  const perSecond = Math.max(1, s.perSecond ?? SIGN_IN_CODES_PER_SECOND);
  if (queue.length > 0) say(`sending a sign-in reminder to ${queue.length} trainee(s) (AdminResetUserPassword, ${perSecond}/s)`);
  const pace = createPacer(perSecond, clock);
  for (const username of queue) {
    await pace();
    const sent = await s.signInCodes.sendSignInCode(username);
    if (sent.kind === "sent") outcome.sent++;
    else if (sent.kind === "unknown") outcome.uncertain++;
    else if (sent.kind === "refused") outcome.refused++;
    else outcome.skipped++;
  }
  return outcome;
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
