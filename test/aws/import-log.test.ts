/**
 * aws/import-log.ts against a tiny CloudWatch Logs stand-in that speaks `Logs_20140328.GetLogEvents` (AWS JSON
 * 1.1) the way the GetLogEvents reference describes it, through an unmodified SDK v3 client:
 * "A returned page might only be partially full, or even empty … As long as the nextForwardToken … is NOT equal
 * to the nextToken that you passed … there might be more log events." Ingestion is asynchronous, so events can
 * become readable after the job ends. Waits run on an injected clock: no real time passes.
 */
import * as http from "node:http";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { readImportLog } from "../../aws/import-log";
import { type AwsClients, createAwsClients } from "../../aws/clients";
import { type ImportLogPort, poolPorts } from "../../aws/ports";
// The wait for lines not yet ingested is the engine's (on its back-off helper); it reads on with aws/import-log.
import { readImportLogWaiting } from "../../engine/confirm-import";

interface StandIn {
  endpoint: string;
  /** Every GetLogEvents request body received. */
  requests: Record<string, unknown>[];
  close(): Promise<void>;
}

/** `answer` gets the request body and returns the response body (or an error with `__type`). */
async function startStandIn(
  answer: (input: Record<string, unknown>) => { status?: number; body: Record<string, unknown> },
): Promise<StandIn> {
  const requests: Record<string, unknown>[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      if (target !== "Logs_20140328.GetLogEvents") {
        res.writeHead(400, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify({ __type: "UnknownOperationException" }));
        return;
      }
      const input = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      requests.push(input);
      const { status = 200, body } = answer(input);
      const headers: Record<string, string> = {
        "content-type": "application/x-amz-json-1.1",
        "x-amzn-requestid": `req-${requests.length}`,
      };
      if (status !== 200) headers["x-amzn-errortype"] = `${String(body.__type)}:`;
      res.writeHead(status, headers).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const lineOf = (n: number, outcome = "SUCCEEDED", reason = "The import succeeded.") => `[${outcome}] Line Number ${n} - ${reason}`;

/**
 * A stream served in the given page sizes (0 = an empty page mid-stream), then the end: the token passed in
 * comes back. `readable()` says how many events are ingested so far (the rest are not returned yet).
 */
function pagedStream(messages: string[], pageSizes: number[], readable: () => number = () => messages.length) {
  let call = 0;
  return (input: Record<string, unknown>) => {
    const from = input.nextToken === undefined ? 0 : Number(String(input.nextToken).slice(2));
    const available = Math.min(readable(), messages.length);
    const size = call < pageSizes.length ? pageSizes[call] : Number(input.limit ?? 10_000);
    call++;
    const to = Math.min(available, from + size);
    // At the end, the same token comes back (for the first call, a token for position 0).
    const next = to === from && input.nextToken !== undefined ? String(input.nextToken) : `f/${to}`;
    return {
      body: {
        events: messages
          .slice(from, to)
          .map((message, i) => ({ timestamp: 1_700_000_000_000 + from + i, ingestionTime: 1_700_000_000_500, message })),
        nextForwardToken: next,
        nextBackwardToken: `b/${from}`,
      },
    };
  };
}

const POOL_ID = "eu-west-2_Test00001";
const GROUP = `/aws/cognito/userpools/${POOL_ID}/trainee-pool`;
const STREAM = "import-AbCdEfGhIj/cognito-roster-test";
/** The same stream, as the engine names it through the pool's import-log port. */
const JOB = { poolName: "trainee-pool", jobId: "import-AbCdEfGhIj", jobName: "cognito-roster-test" };

let standIn: StandIn | undefined;
let client: CloudWatchLogsClient | undefined;

function clientFor(s: StandIn): CloudWatchLogsClient {
  client = new CloudWatchLogsClient({
    endpoint: s.endpoint,
    region: "eu-west-2",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
    maxAttempts: 1,
  });
  return client;
}

let aws: AwsClients | undefined;

/** The pool's import-log port over the product's clients, sending to the stand-in. */
function logPortFor(s: StandIn): ImportLogPort {
  aws = createAwsClients("eu-west-2", POOL_ID, {
    endpoint: s.endpoint,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
    maxAttempts: 1,
  });
  return poolPorts(aws, POOL_ID).importLog;
}

function fakeClock() {
  const clock = { ms: 0, slept: [] as number[] };
  return {
    clock,
    now: () => clock.ms,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.ms += ms;
    },
  };
}

afterEach(async () => {
  client?.destroy();
  client = undefined;
  aws?.destroy();
  aws = undefined;
  await standIn?.close();
  standIn = undefined;
});

test("empty and partial pages mid-stream do not end the read: only the repeated token does", async () => {
  const messages = Array.from({ length: 25 }, (_, i) => lineOf(i + 1));
  standIn = await startStandIn(pagedStream(messages, [0, 3, 0, 0, 10, 1, 0]));
  // An empty page that repeats the token is the end for now: the engine's wait reads on from it (no real time).
  const read = await readImportLogWaiting(logPortFor(standIn), JOB, { expectedRows: 25, clock: fakeClock() });
  expect([...read.rows.keys()].sort((a, b) => a - b)).toEqual(messages.map((_, i) => i + 1));
  expect(read.complete).toBe(true);
  // 7 scripted pages, one page with the remaining 11 events, and the call that returns the same token.
  expect(read.calls).toBe(9);
  expect(standIn.requests[0]).toMatchObject({ logGroupName: GROUP, logStreamName: STREAM, startFromHead: true, limit: 10_000 });
  expect(standIn.requests[0].nextToken).toBeUndefined();
  expect(standIn.requests[1].nextToken).toBe("f/0");
});

test("a stream whose first page is empty is read to the end (the old reader stopped there)", async () => {
  const messages = [
    lineOf(1),
    lineOf(2, "FAILED", "The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true)."),
  ];
  standIn = await startStandIn(pagedStream(messages, [0]));
  const read = await readImportLog(clientFor(standIn), GROUP, STREAM);
  expect(read.rows.get(2)).toEqual({
    outcome: "FAILED",
    reason: "The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).",
  });
  expect(read.rows.size).toBe(2);
});

test("lines not yet ingested are waited for from the last token, with back-off, until the counters' rows are readable", async () => {
  const messages = Array.from({ length: 10 }, (_, i) => lineOf(i + 1));
  const t = fakeClock();
  // 6 events readable at first, the rest 5 s later.
  standIn = await startStandIn(pagedStream(messages, [], () => (t.clock.ms >= 5_000 ? 10 : 6)));
  const progress: string[] = [];
  const read = await readImportLogWaiting(logPortFor(standIn), JOB, {
    expectedRows: 10,
    clock: t,
    progress: (m) => progress.push(m),
  });
  expect(read.complete).toBe(true);
  expect(read.rows.size).toBe(10);
  expect(t.clock.slept).toEqual([1_000, 2_000, 4_000]);
  // Re-reads continue from the token the end of the stream returned, not from the head: the first read, the end
  // found at f/6, a re-read after each of the three waits, and the end found at f/10.
  expect(standIn.requests.map((r) => r.nextToken)).toEqual([undefined, "f/6", "f/6", "f/6", "f/6", "f/10"]);
  expect(progress[0]).toMatch(/6 of 10 row results readable, waiting for CloudWatch Logs to ingest the rest: next check in 1\.0 s/);
});

test("lines that never arrive are waited for a bounded time, then reported missing, not invented", async () => {
  const messages = Array.from({ length: 10 }, (_, i) => lineOf(i + 1));
  const t = fakeClock();
  standIn = await startStandIn(pagedStream(messages, [], () => 6));
  const read = await readImportLogWaiting(logPortFor(standIn), JOB, {
    expectedRows: 10,
    clock: t,
    wait: { ingestionWaitMs: 20_000 },
  });
  expect(read.complete).toBe(false);
  expect(read.rows.size).toBe(6);
  expect(read.incompleteReason).toMatch(/4 of 10 processed rows had no readable log line after waiting 20 s/);
  expect(t.clock.ms).toBe(20_000);
  expect(read.calls).toBeLessThanOrEqual(8);
});

test("a stream that does not exist yet is waited for when rows are expected, and is an empty log when none are", async () => {
  const missing = () => ({
    status: 400,
    body: { __type: "ResourceNotFoundException", message: "The specified log stream does not exist." },
  });
  standIn = await startStandIn(missing);
  const none = await readImportLog(clientFor(standIn), GROUP, STREAM);
  expect(none).toMatchObject({ complete: true, calls: 1 });
  expect(none.rows.size).toBe(0);

  const t = fakeClock();
  const waited = await readImportLogWaiting(logPortFor(standIn), JOB, {
    expectedRows: 3,
    clock: t,
    wait: { ingestionWaitMs: 10_000 },
  });
  expect(waited.complete).toBe(false);
  expect(t.clock.ms).toBe(10_000);
});

test("a service that never repeats its token is read a bounded number of times", async () => {
  let n = 0;
  standIn = await startStandIn(() => ({ body: { events: [], nextForwardToken: `f/${++n}`, nextBackwardToken: "b/0" } }));
  const read = await readImportLog(clientFor(standIn), GROUP, STREAM, { expectedRows: 5 });
  expect(read.complete).toBe(false);
  expect(read.calls).toBe(23);
  expect(read.incompleteReason).toMatch(/stopped after 23 GetLogEvents calls with 0 of 5 rows readable/);
});

test("a line logged twice with different outcomes is marked conflicting; unnumbered lines are job messages", async () => {
  const messages = [
    lineOf(1),
    lineOf(2),
    lineOf(2, "FAILED", "Internal error."),
    "[FAILED] The CSV file could not be parsed.",
    "some other text",
  ];
  standIn = await startStandIn(pagedStream(messages, []));
  const read = await readImportLog(clientFor(standIn), GROUP, STREAM);
  expect([...read.conflicting]).toEqual([2]);
  expect(read.jobMessages).toEqual(["The CSV file could not be parsed."]);
  expect(read.rows.size).toBe(2);
});

test("other errors propagate (the caller decides what an unreadable log means)", async () => {
  standIn = await startStandIn(() => ({ status: 400, body: { __type: "AccessDeniedException", message: "not authorised" } }));
  await expect(readImportLog(clientFor(standIn), GROUP, STREAM)).rejects.toMatchObject({ name: "AccessDeniedException" });
});
