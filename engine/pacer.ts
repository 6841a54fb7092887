/**
 * The one pacer: calls to a rate-limited Cognito operation start at most `perSecond` a second — the n-th no sooner
 * than n intervals after the first — on the injected clock (tests never wait in real time). Workers running
 * concurrently share one pacer: each call takes the next start slot. A pace is not a back-off (engine/backoff.ts):
 * it keeps under a quota (core/cognito-quotas.ts) instead of reacting to a refusal.
 */
import { type Clock, SYSTEM_CLOCK } from "./backoff";

/** Resolves when the caller may start its call. */
export type Pace = () => Promise<void>;

export function createPacer(perSecond: number, clock: Clock = SYSTEM_CLOCK): Pace {
  const interval = 1000 / perSecond;
  let first: number | undefined;
  let next = 0;
  return async () => {
    first ??= clock.now();
    const wait = first + next++ * interval - clock.now();
    if (wait > 0) await clock.sleep(wait);
  };
}
