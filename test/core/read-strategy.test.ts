/**
 * core/read-strategy.ts: reading the pool by cost, no reads for onboarding into an empty pool, and the polling
 * schedule whose calls grow with the logarithm of a job's length.
 */
import { chooseReadStrategy, pollDelayMs } from "../../core/read-strategy";
import { pollsForDuration } from "../support/poll-count";

describe("onboarding into an empty pool", () => {
  test("estimate 0 and no applied record: every user to check is taken as absent, no read", () => {
    expect(chooseReadStrategy(500_000, 0, false, { noAppliedRecord: true })).toEqual({ kind: "none", calls: 0, seconds: 0 });
  });
  test("estimate 0 but an applied record says users should be there: read by cost (one scan call)", () => {
    expect(chooseReadStrategy(500_000, 0, false, { noAppliedRecord: false })).toMatchObject({ kind: "scan", calls: 1 });
  });
  test("removed users to find still need a scan", () => {
    expect(chooseReadStrategy(5, 0, true, { noAppliedRecord: true }).kind).toBe("scan");
  });
  test("a non-empty pool is read by cost, record or not", () => {
    expect(chooseReadStrategy(5, 500_000, false, { noAppliedRecord: true })).toMatchObject({ kind: "point", calls: 5 });
  });
});

describe("polling schedule", () => {
  test("waits grow with the job's age, between 2 s and 10 minutes", () => {
    expect(pollDelayMs(0)).toBe(2_000);
    expect(pollDelayMs(60_000)).toBe(18_000);
    expect(pollDelayMs(10 * 3600_000)).toBe(10 * 60_000);
  });
  test.each([
    [5_000, 3],
    [60_000, 12],
    [42 * 60_000, 26],
    [3600_000, 28],
    [4 * 3600_000, 46],
  ])("a job of %i ms costs %i polls", (ms, polls) => {
    expect(pollsForDuration(ms)).toBe(polls);
  });
});
