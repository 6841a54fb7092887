/**
 * The sign-in reminder resources (providers/sign-in-reminders-entry.ts says why there are two): thin shells over
 * the shims in sign-in-reminders-provider.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PoolProfile } from "../core/profile";
import type { ReminderRound } from "../core/sign-in-reminders";
import { reminderMarksProvider, reminderSendsProvider } from "./sign-in-reminders-provider";

export interface SignInReminderArgs {
  usersDir: pulumi.Input<string>;
  profile: pulumi.Input<PoolProfile>;
  /** Date.now() when the program ran, fixed once per `up`: the run's id. */
  runAt: pulumi.Input<number>;
}

/** Counts this run's due reminders in the state (digests and dates only); sends nothing. */
export class SignInReminderMarks extends pulumi.dynamic.Resource {
  /** This run's marked round: `{at, digests}`. */
  public readonly round!: pulumi.Output<ReminderRound>;
  public readonly lastMark!: pulumi.Output<{ due: number; capped: number }>;

  constructor(name: string, args: SignInReminderArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      reminderMarksProvider,
      name,
      { record: undefined, round: undefined, lastMark: undefined, ...args },
      opts,
      "cognito-roster",
      "SignInReminderMarks",
    );
  }
}

/** Sends the round its marks counted, when they counted it in this very run. */
export class SignInReminderSends extends pulumi.dynamic.Resource {
  public readonly lastSend!: pulumi.Output<Record<string, number>>;

  constructor(name: string, args: SignInReminderArgs & { round: pulumi.Input<ReminderRound> }, opts?: pulumi.CustomResourceOptions) {
    super(reminderSendsProvider, name, { lastSend: undefined, ...args }, opts, "cognito-roster", "SignInReminderSends");
  }
}
