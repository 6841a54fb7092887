/**
 * The emulator's state is saved coalesced, not after every call: the first change at once, later ones at most once
 * per interval (longer after a slow save), and whatever is pending when it stops. Timers are jest's fake ones.
 */
import { coalescedSaves } from "../../emulator/state-file";

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test("a burst of changes costs one save at once and one at the end of the interval", () => {
  let saves = 0;
  const saver = coalescedSaves(
    () => saves++,
    250,
    () => 0,
  );
  for (let i = 0; i < 100; i++) saver.changed();
  expect(saves).toBe(1);
  jest.advanceTimersByTime(250);
  expect(saves).toBe(2);
  // Quiet since: nothing pending, nothing written.
  jest.advanceTimersByTime(1000);
  expect(saves).toBe(2);
  // The next change after a quiet interval is written at once.
  saver.changed();
  expect(saves).toBe(3);
});

test("stop flushes a pending change, and only a pending one", () => {
  let saves = 0;
  const saver = coalescedSaves(
    () => saves++,
    250,
    () => 0,
  );
  saver.changed();
  saver.changed();
  saver.flush();
  expect(saves).toBe(2);
  saver.flush();
  expect(saves).toBe(2);
  jest.advanceTimersByTime(1000);
  expect(saves).toBe(2);
});

test("after a slow save the next waits four times as long as it took", () => {
  let clock = 0;
  let saves = 0;
  const saver = coalescedSaves(
    () => {
      saves++;
      clock += 1000; // a save of a large pool, in the injected clock
    },
    250,
    () => clock,
  );
  saver.changed();
  saver.changed();
  jest.advanceTimersByTime(3999);
  expect(saves).toBe(1);
  jest.advanceTimersByTime(1);
  expect(saves).toBe(2);
});
