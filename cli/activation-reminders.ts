/**
 * `cognito-roster activation --send-reminders`: the sign-in reminders of core/sign-in-reminders.ts, sent from the
 * activation command rather than inside apply. Why here: a reminder is not a change to the roster — it is owed by
 * time passing, not by a pull request — so it belongs with the command that already reads exactly the trainees
 * still waiting (one filtered ListUsers per 60 of them), run on a schedule or by hand with a role that may call
 * AdminResetUserPassword; apply stays a function of users/. The record is a file (`--reminders`, default
 * `.roster/reminders-<stack>.json`) that must persist between runs for the caps to hold (docs/office-guide.md).
 */
import type { DeclaredUser } from "../core/declared-user";
import type { AwsClients } from "../aws/clients";
import type { NeverSignedIn } from "../aws/never-signed-in";
import { describePool } from "../aws/pool-users";
import { type RemindersOutcome, sendReminders } from "../engine/send-reminders";
import { readReminderRecord, writeReminderRecord } from "../load/reminder-record";
import type { CommandContext } from "./command-context";

/** Sends the reminders due now; the counts, for stdout. Throws on an unreadable record or a failed AWS read. */
export async function sendActivationReminders(
  context: CommandContext,
  aws: AwsClients,
  declared: readonly DeclaredUser[],
  waiting: readonly NeverSignedIn[],
  recordFile: string,
): Promise<RemindersOutcome> {
  const settings = context.profile.signInReminders;
  if (!settings) throw new Error("signInReminders is not set for this stack");
  const record = readReminderRecord(recordFile);
  const pool = await describePool(aws.cognito, context.profile.userPoolId);
  return sendReminders({
    cognito: aws.cognito,
    userPoolId: context.profile.userPoolId,
    caseSensitive: context.profile.usernameCaseSensitive,
    settings,
    declared,
    waiting,
    pool,
    record,
    save: (r) => writeReminderRecord(recordFile, r),
    progress: (m) => process.stderr.write(`cognito-roster activation: ${m}\n`),
  });
}

/** One line of counts (no personal data). */
export function describeReminders(o: RemindersOutcome): string {
  return (
    `sign-in reminders: ${o.sent} sent of ${o.due} due` +
    (o.uncertain > 0 ? `, ${o.uncertain} unanswered (counted as sent, never repeated)` : "") +
    (o.refused > 0 ? `, ${o.refused} refused by Cognito (not counted; tried again next run)` : "") +
    (o.capped > 0 ? `, ${o.capped} waiting trainee(s) already had every reminder` : "") +
    "\n"
  );
}
