/**
 * How many polls core/read-strategy.ts's `pollDelayMs` spends on a job that runs `durationMs`: the bound its
 * comment states, checked by test/engine/onboarding-cost.test.ts and used by the onboarding benchmark's model.
 */
import { type PollSchedule, pollDelayMs } from "../../core/read-strategy";

export function pollsForDuration(durationMs: number, schedule?: PollSchedule): number {
  let elapsed = 0;
  let polls = 0;
  do {
    elapsed += pollDelayMs(elapsed, schedule);
    polls++;
  } while (elapsed < durationMs);
  return polls;
}
