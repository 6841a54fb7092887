/**
 * The inputs of the two sign-in reminder resources (providers/sign-in-reminders-entry.ts), and what their `check`
 * guarantees of them without reading anything. Pure.
 */
import type { PoolProfile } from "./profile";
import { usersAndProfileProblems } from "./roster-resource-state";
import type { ReminderRound } from "./sign-in-reminders";

/** Inputs both resources share: where the users are, the pool profile, and the run's time (fixed once per `up`). */
export interface ReminderInputs {
  usersDir: string;
  profile: PoolProfile;
  /** Date.now() when the program ran: this run's id, and "now" for every mark. */
  runAt: number;
}

export interface SendInputs extends ReminderInputs {
  /** The marks' round (unknown during a preview that updates the marks). */
  round: ReminderRound | string;
}

/** One `property: reason` line per input missing or of the wrong kind. */
export function reminderInputProblems(inputs: Partial<ReminderInputs>): string[] {
  const problems = usersAndProfileProblems(inputs);
  if (typeof inputs.runAt !== "number" || !Number.isFinite(inputs.runAt)) problems.push("runAt: the run's time is missing");
  return problems;
}
