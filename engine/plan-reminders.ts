/**
 * How many sign-in reminders the next `pulumi up` would send (stack setting `signInReminders`), for the plan's
 * messaging capacity (core/messaging-capacity.ts): the same marking the reminder resources do
 * (core/reminder-rounds.ts), over the stack state's record when the run has it (`cognito-roster plan --applied`
 * with a `pulumi stack export`), read-only. Without the record every waiting trainee past N days counts, an upper
 * bound, and the plan says so. One filtered ListUsers per 60 waiting trainees (aws/never-signed-in.ts).
 */
import type { DeclaredUser } from "../core/declared-user";
import type { PoolProfile } from "../core/profile";
import type { ReminderRecord } from "../core/sign-in-reminders";
import type { NeverSignedIn } from "../aws/never-signed-in";
import type { UserReads } from "../aws/ports";
import type { PoolDescription } from "../aws/pool-users";
import { markReminders } from "../core/reminder-rounds";

export interface PlannedReminders {
  count: number;
  /** True when no record of earlier reminders was at hand: `count` is an upper bound. */
  upperBound: boolean;
}

/** Undefined when the stack sends no reminders. */
export async function plannedReminders(
  users: UserReads,
  profile: PoolProfile,
  declared: readonly DeclaredUser[],
  pool: PoolDescription,
  record: ReminderRecord | undefined,
  now: number,
): Promise<PlannedReminders | undefined> {
  const settings = profile.signInReminders;
  if (!settings) return undefined;
  const waiting: NeverSignedIn[] = [];
  await users.neverSignedIn((page) => waiting.push(...page));
  const marked = markReminders({
    userPoolId: profile.userPoolId,
    caseSensitive: profile.usernameCaseSensitive,
    settings,
    declared,
    waiting,
    pool,
    record,
    now,
  });
  return { count: marked.round.digests.length, upperBound: record === undefined };
}
