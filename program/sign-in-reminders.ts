/**
 * The stack's sign-in reminders (`signInReminders`, off when absent): the marks, after the roster has applied
 * (trainees imported in this run are not due), then the sends, which depend on the marks so that the marks' state
 * is checkpointed before any reminder goes out (providers/sign-in-reminders-entry.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { PoolProfile } from "../core/profile";
import { SignInReminderMarks, SignInReminderSends } from "../providers/sign-in-reminders";

export function declareSignInReminders(profile: PoolProfile, usersDir: string, after: pulumi.Resource): void {
  if (!profile.signInReminders) return;
  const runAt = Date.now();
  const marks = new SignInReminderMarks(`${profile.userPoolId}-reminder-marks`, { usersDir, profile, runAt }, { dependsOn: [after] });
  new SignInReminderSends(`${profile.userPoolId}-reminder-sends`, { usersDir, profile, runAt, round: marks.round }, { dependsOn: [marks] });
}
