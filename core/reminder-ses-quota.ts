/**
 * Sign-in reminders against the SES sending quota (stack setting `signInReminders`): a reminder counts toward the
 * trainee's K from its mark, so a round marks no more trainees than the pool's SES account can still send — else
 * each trainee over the quota would lose a reminder SES never delivers. Only a pool that sends with
 * EmailSendingAccount DEVELOPER has a figure to compare (SESv2 GetAccount's SendQuota); COGNITO_DEFAULT has none
 * (core/messaging-capacity.ts), so its rounds are not capped. Pure: the engine reads (engine/observe-messaging.ts).
 */
import { type SesAccountReading, sesEmailsLeft } from "./messaging-capacity";
import { visible } from "./untrusted-text";

/** A DEVELOPER pool's SES account, read once by the marking: its Region and GetAccount's answer, or why it failed. */
export interface ReminderSesQuota {
  region: string;
  reading: SesAccountReading | { error: string };
}

/** At most this many reminders are marked this round; undefined: no cap (unlimited quota, or no reading). */
export function reminderMarkCap(ses: ReminderSesQuota | undefined): number | undefined {
  return ses === undefined || "error" in ses.reading ? undefined : sesEmailsLeft(ses.reading);
}

/** What the marks' `lastMark` adds when the quota left trainees for later: the numbers only, no personal data. */
export interface SesDeferral {
  /** Due trainees left unmarked for a later round. */
  deferred: number;
  /** What SES could still send when the round was marked (Max24HourSend − SentLast24Hours). */
  sesEmailsLeft: number;
}

export function sesDeferral(ses: ReminderSesQuota | undefined, deferred: number | undefined): SesDeferral | undefined {
  const left = reminderMarkCap(ses);
  return deferred && left !== undefined ? { deferred, sesEmailsLeft: left } : undefined;
}

/**
 * The progress line about the quota, if there is one to say: the trainees left for a later round with SES's own
 * figures, or why the quota could not be read (then the round was marked uncapped: a failed read never blocks a
 * reminder; the plan warns about the quota on its own).
 */
export function sesQuotaLine(ses: ReminderSesQuota | undefined, deferred: number | undefined): string | undefined {
  if (ses === undefined) return undefined;
  if ("error" in ses.reading)
    return (
      `sign-in reminders: could not read the SES sending quota in ${visible(ses.region)} (${visible(ses.reading.error)}); ` +
      "marked without a cap"
    );
  const left = sesEmailsLeft(ses.reading);
  if (!deferred || left === undefined) return undefined;
  const { max24HourSend, sentLast24Hours } = ses.reading;
  return (
    `sign-in reminders: ${deferred} more due left unmarked for a later round (they keep every reminder): ` +
    `SES in ${visible(ses.region)} can send ${left} more email(s) now ` +
    `(SES GetAccount: Max24HourSend ${max24HourSend}, SentLast24Hours ${sentLast24Hours})`
  );
}
