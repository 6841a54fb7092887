/**
 * Sign-in reminders (stack setting `signInReminders`, core/sign-in-reminders.ts): a new code, sent with
 * AdminResetUserPassword (aws/sign-in-codes.ts: a call that got no answer is never repeated), to each declared,
 * enabled trainee the pool still holds RESET_REQUIRED whose last code is at least N days old, at most K times.
 *
 * Two steps, so that the record is durable before anything is sent (providers/sign-in-reminders-entry.ts keeps it in
 * the Pulumi stack's state, written by one resource before the next one sends):
 * - markReminders (core/reminder-rounds.ts): pure — who is due now, and the record with each of them counted
 *   (count + 1, the round's time);
 * - sendReminderRound: sends exactly the round that was marked, paced like the first codes
 *   (engine/send-sign-in-codes.ts: two thirds of the UserAccountRecovery quota, one batch a second).
 * A reminder counts from its mark, whatever happens to its call afterwards (sent, refused, unanswered, or never made
 * because the run died): never one over K, and at most one per trainee per N days. Progress carries counts only.
 */
import type { DeclaredUser } from "../core/declared-user";
import { usernameDigest } from "../core/user-digest";
import type { RemindersOutcome } from "../core/reminder-rounds";
import type { SignInCodesPort } from "../aws/ports";
import { type Clock, SYSTEM_CLOCK } from "./backoff";
import { createPacer } from "./pacer";
import { SIGN_IN_CODES_PER_SECOND } from "./send-sign-in-codes";

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
