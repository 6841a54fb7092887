/**
 * Contending runs (core/import-job-contention.ts): which job goes first, and why a job this run created is no
 * longer its own to start. Tables of small cases.
 */
import { byAge, isRosterJob, ownedBy, startedElsewhere } from "../../core/import-job-contention";

const job = (jobId: string, at?: number) => ({ jobId, createdAt: at === undefined ? undefined : new Date(at) });

test.each([
  ["older first", job("b", 1), job("a", 2), "b"],
  ["same time: by job id", job("b", 5), job("a", 5), "a"],
  ["no creation time counts as the oldest", job("b", 5), job("c"), "c"],
  ["the same job: equal", job("a", 5), job("a", 5), "a"],
])("byAge: %s", (_name, x, y, first) => {
  expect([x, y].sort(byAge)[0].jobId).toBe(first);
  expect([y, x].sort(byAge)[0].jobId).toBe(first);
});

test("byAge: equal jobs compare as 0", () => {
  expect(byAge(job("a", 5), job("a", 5))).toBe(0);
});

test.each([
  [
    "Expired",
    "job import-1 expired before it was started (a job not started within 24 hours of its creation expires); " +
      "this run imports nothing with it and plans again",
  ],
  ["InProgress", "job import-1 was started by another run (InProgress); this run imports nothing and plans again"],
  ["Succeeded", "job import-1 was started by another run (Succeeded); this run imports nothing and plans again"],
])("startedElsewhere: %s", (status, why) => {
  expect(startedElsewhere({ jobId: "import-1" }, { status })).toBe(why);
});

test.each([
  ["cognito-roster-0123456789abcdef-part1of1", true, ", a roster job"],
  ["cognito-roster-", true, ", a roster job"],
  ["manual-import", false, ", not a roster job"],
  ["Cognito-Roster-0123", false, ", not a roster job"],
  ["", false, ", not a roster job"],
])("a job named %j: roster job %s, owner %j", (jobName, roster, owner) => {
  expect(isRosterJob({ jobName })).toBe(roster);
  expect(ownedBy({ jobName })).toBe(owner);
});
