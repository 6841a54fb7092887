/**
 * core/import-row-verdicts.ts: what a finished import job did to each row, from its counters and its log — the line
 * numbering, each row's verdict, whether rows without one may be in the pool, and why a user is missing. Tables of
 * small cases; test/engine/confirm-import.test.ts runs real jobs on the emulator.
 */
import {
  absentReason,
  classifyRows,
  countersShowEveryRowImported,
  createdByImportJob,
  decideNumbering,
  type FinishedImportJob,
  notImportedReason,
} from "../../core/import-row-verdicts";
import type { PoolUser } from "../../core/pool-user";

describe("line numbering is decided from the evidence", () => {
  test.each([
    [[1, 2, 3], 3, { firstDataLine: 1 }],
    [[2, 3, 4], 3, { firstDataLine: 2 }],
    [[1], 1, { firstDataLine: 1 }],
    [[2], 1, { firstDataLine: 2 }],
    [[1, 3], 3, { firstDataLine: 1 }],
    [[3, 4], 3, { firstDataLine: 2 }],
  ])("lines %j of %i rows → %j", (lines, rows, expected) => {
    expect(decideNumbering(lines, rows)).toEqual(expected);
  });
  test.each([
    [[], 3, /no row has a readable log line/],
    [[2, 3], 3, /fit both/],
    [[0, 1], 3, /do not fit/],
    [[1, 5], 3, /do not fit/],
  ])("lines %j of %i rows are ambiguous", (lines, rows, why) => {
    const numbering = decideNumbering(lines, rows);
    expect("ambiguous" in numbering && numbering.ambiguous).toMatch(why);
  });

  const job = (imported: number, skipped: number, failed: number): FinishedImportJob => ({
    jobId: "import-AbCdEfGhIj",
    status: "Failed",
    imported,
    skipped,
    failed,
  });
  const log = (entries: [number, "SUCCEEDED" | "SKIPPED" | "FAILED"][]) => ({
    rows: new Map(entries.map(([n, outcome]) => [n, { outcome, reason: outcome === "FAILED" ? "Bad value." : "" }])),
    conflicting: new Set<number>(),
  });

  test("a log counting the header row (2…n+1) is matched to the right rows", () => {
    const verdicts = classifyRows(
      3,
      log([
        [2, "SUCCEEDED"],
        [3, "FAILED"],
        [4, "SUCCEEDED"],
      ]),
      job(2, 0, 1),
    );
    expect(verdicts.rows.map((r) => r.kind)).toEqual(["imported", "failed", "imported"]);
    expect(verdicts.hiddenMayBePresent).toBe(false);
  });
  test("ambiguous numbering puts every row in doubt, and the counters say whether any may be in the pool", () => {
    const verdicts = classifyRows(
      4,
      log([
        [2, "SUCCEEDED"],
        [3, "FAILED"],
      ]),
      job(1, 0, 1),
    );
    expect(verdicts.rows.map((r) => r.kind)).toEqual(["doubt", "doubt", "doubt", "doubt"]);
    expect(verdicts.hiddenMayBePresent).toBe(true);
  });
  test("a log with more outcomes than the job counted is not trusted", () => {
    const verdicts = classifyRows(
      2,
      log([
        [1, "SUCCEEDED"],
        [2, "SUCCEEDED"],
      ]),
      job(1, 0, 1),
    );
    expect("ambiguous" in verdicts.numbering).toBe(true);
    expect(verdicts.rows.map((r) => r.kind)).toEqual(["doubt", "doubt"]);
    expect(verdicts.hiddenMayBePresent).toBe(true);
  });
  test("counters behind the log (a finished job counting none of the rows its log shows imported): the rows are read, not failed", () => {
    const verdicts = classifyRows(
      3,
      log([
        [1, "SUCCEEDED"],
        [2, "SUCCEEDED"],
        [3, "SUCCEEDED"],
      ]),
      { ...job(0, 0, 0), status: "Succeeded" },
    );
    expect(verdicts.rows.map((r) => r.kind)).toEqual(["doubt", "doubt", "doubt"]);
    expect(verdicts.hiddenMayBePresent).toBe(true);
  });
  test("a row logged with two different outcomes is in doubt", () => {
    const verdicts = classifyRows(
      2,
      {
        ...log([
          [1, "SUCCEEDED"],
          [2, "SUCCEEDED"],
        ]),
        conflicting: new Set([2]),
      },
      job(2, 0, 0),
    );
    expect(verdicts.rows.map((r) => r.kind)).toEqual(["imported", "doubt"]);
    expect(verdicts.hiddenMayBePresent).toBe(true);
  });
});

const finished = (over: Partial<FinishedImportJob> = {}): FinishedImportJob => ({
  jobId: "import-1",
  status: "Succeeded",
  imported: 3,
  skipped: 0,
  failed: 0,
  ...over,
});

test.each([
  ["every row imported", finished(), 3, true],
  ["fewer imported than rows", finished({ imported: 2 }), 3, false],
  ["one skipped", finished({ imported: 2, skipped: 1 }), 3, false],
  ["one failed", finished({ imported: 2, failed: 1 }), 3, false],
  ["Failed although all counted imported", finished({ status: "Failed" }), 3, false],
  ["more rows than imported", finished(), 4, false],
])("countersShowEveryRowImported: %s → %s", (_name, job, rows, expected) => {
  expect(countersShowEveryRowImported(job, rows)).toBe(expected);
});

const user = (status: string, createdAt?: number): PoolUser => ({
  username: "trainee.one@example.nhs.uk",
  attributes: {},
  enabled: true,
  status,
  ...(createdAt === undefined ? {} : { createdAt }),
});
const jobWindow = { startedAt: new Date(1000), completedAt: new Date(2000) };

test.each([
  ["created inside the job's jobWindow", user("RESET_REQUIRED", 1500), jobWindow, true],
  ["created at the start", user("RESET_REQUIRED", 1000), jobWindow, true],
  ["created at the completion", user("RESET_REQUIRED", 2000), jobWindow, true],
  ["created before the job started (an earlier job's)", user("RESET_REQUIRED", 999), jobWindow, false],
  ["created after the job completed", user("RESET_REQUIRED", 2001), jobWindow, false],
  ["no completion date yet: from the start on", user("RESET_REQUIRED", 9999), { startedAt: new Date(1000) }, true],
  ["a user with a password of their own", user("CONFIRMED", 1500), jobWindow, false],
  ["no creation date", user("RESET_REQUIRED"), jobWindow, false],
  ["no start date", user("RESET_REQUIRED", 1500), { completedAt: new Date(2000) }, false],
])("createdByImportJob: %s → %s", (_name, pool, job, expected) => {
  expect(createdByImportJob(pool, job)).toBe(expected);
});

test.each([
  [
    "stopped part-way, with the job's message",
    finished({ status: "Stopped", imported: 1, completionMessage: "Stopped by a request." }),
    3,
    [],
    "not imported: job import-1 ended Stopped after processing 1 of 3 rows (Stopped by a request.) and logged no result for this row",
  ],
  [
    "a log message when the job has none",
    finished({ status: "Failed", imported: 0, failed: 1 }),
    2,
    ["The CSV file is invalid."],
    "not imported: job import-1 ended Failed after processing 1 of 2 rows (The CSV file is invalid.) and logged no result for this row",
  ],
  [
    "every row processed, no message",
    finished({ status: "Failed", imported: 2, failed: 1 }),
    3,
    [],
    "not imported: job import-1 ended Failed and logged no result for this row",
  ],
])("notImportedReason: %s", (_name, job, rows, jobMessages, expected) => {
  expect(notImportedReason(job, rows, { jobMessages })).toBe(expected);
});

test.each([
  ["nothing logged", finished({ status: "Failed" }), undefined, "not in the pool after job import-1 ended Failed"],
  [
    "the job's message",
    finished({ status: "Failed", completionMessage: "Internal error." }),
    undefined,
    "not in the pool after job import-1 ended Failed: Internal error.",
  ],
  [
    "a skipped row",
    finished(),
    "The user already exists.",
    "not in the pool after job import-1 ended Succeeded (its row was skipped: The user already exists.)",
  ],
])("absentReason: %s", (_name, job, skipped, expected) => {
  expect(absentReason(job, skipped)).toBe(expected);
});
