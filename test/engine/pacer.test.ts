/**
 * engine/pacer.ts, the one pacer (issue 22.5): the n-th call starts no sooner than n intervals after the first, on
 * the injected clock; slow calls are not made slower; workers sharing a pacer take distinct slots.
 */
import type { Clock } from "../../engine/backoff";
import { forEachLimited } from "../../engine/observe-pool";
import { createPacer } from "../../engine/pacer";

/** Time moves only when something sleeps or works; a sleeper wakes at its own wake time (never earlier). */
function fakeClock(): Clock & { slept: number[]; advance(ms: number): void; at(): number } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    at: () => now,
    advance(ms) {
      now += ms;
    },
    async sleep(ms) {
      slept.push(ms);
      const wake = now + ms;
      await new Promise((resolve) => setImmediate(resolve));
      now = Math.max(now, wake);
    },
  };
}

test.each([
  { perSecond: 4, calls: 5, workMs: 0, starts: [0, 250, 500, 750, 1000], slept: [250, 250, 250, 250] },
  { perSecond: 1, calls: 3, workMs: 0, starts: [0, 1000, 2000], slept: [1000, 1000] },
  { perSecond: 4, calls: 3, workMs: 400, starts: [0, 400, 800], slept: [] },
  { perSecond: 4, calls: 4, workMs: 100, starts: [0, 250, 500, 750], slept: [150, 150, 150] },
])("$calls calls at $perSecond/s, each working $workMs ms, start at $starts", async ({ perSecond, calls, workMs, starts, slept }) => {
  const clock = fakeClock();
  const pace = createPacer(perSecond, clock);
  const seen: number[] = [];
  for (let i = 0; i < calls; i++) {
    await pace();
    seen.push(clock.at());
    clock.advance(workMs);
  }
  expect(seen).toEqual(starts);
  expect(clock.slept).toEqual(slept);
});

test("workers sharing one pacer each take the next slot: no two calls in one slot, none early", async () => {
  const clock = fakeClock();
  const pace = createPacer(10, clock);
  const seen: number[] = [];
  await forEachLimited([...Array(12).keys()], 4, async () => {
    await pace();
    seen.push(clock.at());
  });
  expect([...seen].sort((a, b) => a - b)).toEqual([...Array(12).keys()].map((n) => n * 100));
});
