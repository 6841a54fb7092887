/**
 * The fault matrix's clock: the engine's waits (engine/backoff.ts SYSTEM_CLOCK, which the CLI uses) and the
 * emulator's clock run on one virtual time that a wait advances at once, so a 15-second back-off costs a few real
 * milliseconds and the emulator sees the same time pass (URL and job expiry, ingestion delays, ListUsers lag).
 *
 * Only the waits the product itself schedules are shortened; the SDK's own retry delays and every network exchange
 * run in real time. Nothing here asserts on time.
 */
import * as backoff from "../../engine/backoff";

/** Real milliseconds one virtual wait takes at most: long enough for the emulator's event loop to move on. */
const REAL_SLICE_MS = 5;

export class FastClock {
  private skewMs = 0;
  private restore?: () => void;

  /** Virtual now: real time plus every wait and jump so far. */
  now = (): number => Date.now() + this.skewMs;

  /** Moves virtual time forward without waiting (e.g. past a pre-signed URL's 15 minutes). */
  jump(ms: number): void {
    this.skewMs += ms;
  }

  sleep = async (ms: number): Promise<void> => {
    const real = Math.min(REAL_SLICE_MS, Math.max(0, ms));
    await new Promise((resolve) => setTimeout(resolve, real));
    this.skewMs += Math.max(0, ms - real);
  };

  /** Makes the engine's default clock this one (in this process) until `uninstall`. */
  install(): void {
    const system = backoff.SYSTEM_CLOCK as { now: () => number; sleep: (ms: number) => Promise<void> };
    const saved = { now: system.now, sleep: system.sleep };
    system.now = this.now;
    system.sleep = this.sleep;
    this.restore = () => {
      system.now = saved.now;
      system.sleep = saved.sleep;
    };
  }

  uninstall(): void {
    this.restore?.();
    this.restore = undefined;
  }
}
