/**
 * The one back-off helper for the engine's own waits — an import job to finish, another job in the account, an
 * upload to become visible or to be retried, import log lines to be ingested — on an injectable clock, so tests
 * shorten waits without real time. Pacing to a request rate is not a back-off: engine/pacer.ts, the one pacer,
 * sleeps on the same injected clock.
 *
 * AWS calls themselves are retried by the SDK's strategy (aws/clients.ts), never here. Each wait is announced
 * before it starts: what it waits for, how long this wait is, and how long it has waited so far. It must not
 * print anything itself: messages go to the caller's progress callback, without personal data.
 */
import { formatDuration } from "../core/durations";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface BackoffPolicy {
  /** First wait. */
  firstMs: number;
  /** Longest single wait. */
  maxMs: number;
  /** Each wait is the previous one times this (1 = constant). */
  factor: number;
  /** Give up once this much time has passed since the first attempt (undefined = no time bound). */
  limitMs?: number;
  /** Give up after this many attempts (undefined = no count bound). */
  maxAttempts?: number;
  /** Overrides the geometric wait: the wait after `waitedMs` of waiting (still capped by maxMs and limitMs). */
  delayFor?: (waitedMs: number) => number;
}

/** What one attempt found: done with a value, or not yet and what is being waited for (one short phrase). */
export type Attempt<T> = { done: true; value: T } | { done: false; waitingFor: string; quiet?: boolean };

export const done = <T>(value: T): Attempt<T> => ({ done: true, value });
export const notYet = <T>(waitingFor: string, quiet = false): Attempt<T> => ({ done: false, waitingFor, quiet });

/** Raised when the policy's bound is reached; carries what was still being waited for. */
export class WaitTimeoutError extends Error {
  readonly name = "WaitTimeoutError";
  readonly kind = "transient";
  constructor(
    readonly waitingFor: string,
    readonly waitedMs: number,
  ) {
    super(`gave up after ${formatDuration(waitedMs)}: still ${waitingFor}`);
  }
}

export interface RetryOptions {
  clock?: Clock;
  progress?: (message: string) => void;
}

/**
 * Calls `attempt` until it is done, waiting between attempts as `policy` says. Throws WaitTimeoutError when the
 * policy's bound is reached; errors thrown by `attempt` propagate at once (it decides what is retryable).
 * A `quiet` attempt is not announced (e.g. a poll whose state did not change since the last message).
 */
export async function retryWithBackoff<T>(
  policy: BackoffPolicy,
  attempt: (n: number) => Promise<Attempt<T>>,
  options: RetryOptions = {},
): Promise<T> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const started = clock.now();
  let wait = policy.firstMs;
  for (let n = 1; ; n++) {
    const result = await attempt(n);
    if (result.done) return result.value;
    const waited = clock.now() - started;
    const outOfTime = policy.limitMs !== undefined && waited >= policy.limitMs;
    const outOfAttempts = policy.maxAttempts !== undefined && n >= policy.maxAttempts;
    if (outOfTime || outOfAttempts) throw new WaitTimeoutError(result.waitingFor, waited);
    const delay = Math.min(
      policy.delayFor?.(waited) ?? wait,
      policy.maxMs,
      policy.limitMs !== undefined ? Math.max(1, policy.limitMs - waited) : Infinity,
    );
    if (!result.quiet)
      options.progress?.(
        `${result.waitingFor}: next check in ${formatDuration(delay)}${waited > 0 ? ` (waiting ${formatDuration(waited)} so far)` : ""}`,
      );
    await clock.sleep(delay);
    wait = Math.min(policy.maxMs, Math.ceil(wait * policy.factor));
  }
}
