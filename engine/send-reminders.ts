/**
 * Sign-in reminders (stack setting `signInReminders`, core/sign-in-reminders.ts): a new code, sent with
 * AdminResetUserPassword (aws/sign-in-codes.ts: a call that got no answer is never repeated), to each declared,
 * enabled trainee the pool still holds RESET_REQUIRED whose last code is at least N days old, at most K times.
 *
 * Caps hold across crashes: each batch is marked (count + 1, today's date) and saved BEFORE its calls; a call
 * Cognito refused (a 4xx answer: nothing was sent) is unmarked, and one that got no answer stays counted. A crash
 * between the save and the sends therefore loses at most that batch's reminders and never sends one over the cap.
 * Paced like the first codes (engine/send-sign-in-codes.ts): two thirds of the UserAccountRecovery quota, on the one
 * pacer (engine/pacer.ts), a second's worth of calls a batch. Progress carries counts only.
 */
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { DeclaredUser } from "../core/declared-user";
import { type ReminderRecord, reminderDue, type SignInReminders } from "../core/sign-in-reminders";
import { usernameDigest } from "../core/user-digest";
import type { NeverSignedIn } from "../aws/never-signed-in";
import type { PoolDescription } from "../aws/pool-users";
import { sendSignInCode } from "../aws/sign-in-codes";
import { type Clock, SYSTEM_CLOCK } from "./backoff";
import { createPacer } from "./pacer";
import { SIGN_IN_CODES_PER_SECOND } from "./send-sign-in-codes";

export interface ReminderRun {
  cognito: CognitoIdentityProviderClient;
  userPoolId: string;
  caseSensitive: boolean;
  settings: SignInReminders;
  declared: readonly DeclaredUser[];
  /** The pool's RESET_REQUIRED users (aws/never-signed-in.ts). */
  waiting: readonly NeverSignedIn[];
  pool: Pick<PoolDescription, "arn" | "createdAt">;
  record: ReminderRecord;
  /** Stores the whole record; called before every batch is sent and after it. */
  save: (record: ReminderRecord) => void;
  progress?: (message: string) => void;
  clock?: Clock;
  perSecond?: number;
}

export interface RemindersOutcome {
  /** Due now: the waiting, declared, enabled trainees under the cap whose last code is N days old. */
  due: number;
  sent: number;
  /** No answer: possibly sent, counted against the cap. */
  uncertain: number;
  /** Refused by Cognito (nothing sent): not counted, tried again next time. */
  refused: number;
  /** Waiting trainees who had all K reminders. */
  capped: number;
}

interface Due {
  digest: string;
  username: string;
}

export async function sendReminders(run: ReminderRun): Promise<RemindersOutcome> {
  const clock = run.clock ?? SYSTEM_CLOCK;
  const say = run.progress ?? (() => undefined);
  const record = boundRecord(run, say);
  const now = clock.now();
  const { queue, capped } = dueNow(run, record, now);
  const outcome: RemindersOutcome = { due: queue.length, sent: 0, uncertain: 0, refused: 0, capped };
  const perSecond = Math.max(1, run.perSecond ?? SIGN_IN_CODES_PER_SECOND);
  if (queue.length > 0) say(`sending a sign-in reminder to ${queue.length} trainee(s) (AdminResetUserPassword, ${perSecond}/s)`);
  const pace = createPacer(perSecond, clock);
  for (let start = 0; start < queue.length; start += perSecond) {
    const batch = queue.slice(start, start + perSecond);
    const before = new Map(batch.map(({ digest }) => [digest, record.trainees[digest]] as const));
    for (const { digest } of batch) record.trainees[digest] = { count: (record.trainees[digest]?.count ?? 0) + 1, lastAt: now };
    run.save(record); // written ahead: a crash from here on never sends these one reminder more than the cap
    for (const { digest, username } of batch) {
      await pace();
      const sent = await sendSignInCode(run.cognito, run.userPoolId, username);
      if (sent.kind === "sent") outcome.sent++;
      else if (sent.kind === "unknown") outcome.uncertain++;
      else {
        restore(record, digest, before.get(digest)); // refused or gone: nothing was sent
        if (sent.kind === "refused") outcome.refused++;
      }
    }
    run.save(record);
  }
  return outcome;
}

/** The record, or an empty one when it describes another pool (deleted and re-created, restored, another account). */
function boundRecord(run: ReminderRun, say: (message: string) => void): ReminderRecord {
  const bound = run.record.pool;
  if (bound && (bound.arn !== run.pool.arn || bound.createdAt !== run.pool.createdAt)) {
    say("sign-in reminders: the record describes another pool (re-created or restored); it no longer applies");
    return { pool: { arn: run.pool.arn, createdAt: run.pool.createdAt }, trainees: {} };
  }
  return { pool: { arn: run.pool.arn, createdAt: run.pool.createdAt }, trainees: { ...run.record.trainees } };
}

/** The waiting trainees due a reminder now, in digest order, and how many have had all of theirs. */
function dueNow(run: ReminderRun, record: ReminderRecord, now: number): { queue: Due[]; capped: number } {
  const digestOf = (username: string) => usernameDigest(run.userPoolId, username, run.caseSensitive);
  const declared = new Map(run.declared.map((u) => [digestOf(u.username), u] as const));
  const queue: Due[] = [];
  let capped = 0;
  for (const user of run.waiting) {
    const digest = digestOf(user.username);
    if (!user.enabled || !declared.get(digest)?.enabled) continue; // only declared, enabled trainees
    const entry = record.trainees[digest];
    if ((entry?.count ?? 0) >= run.settings.maxReminders) capped++;
    else if (reminderDue(entry, user.createdAt, now, run.settings)) queue.push({ digest, username: user.username });
  }
  queue.sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  return { queue, capped };
}

function restore(record: ReminderRecord, digest: string, entry: ReminderRecord["trainees"][string] | undefined): void {
  if (entry) record.trainees[digest] = entry;
  else delete record.trainees[digest];
}
