/**
 * Reads an import job's per-row results from CloudWatch Logs.
 *
 * Cognito writes one line per CSV row, by line number and without user data:
 * `[SUCCEEDED] Line Number 5956 - The import succeeded.` The group is /aws/cognito/userpools/<poolId>/<poolName>,
 * the stream <jobId>/<jobName>.
 *
 * Reading follows the GetLogEvents reference: "A returned page might only be partially full, or even empty …
 * As long as the nextForwardToken … is NOT equal to the nextToken that you passed … there might be more log
 * events." So only a repeated token ends the stream, never an empty page. Ingestion is asynchronous: when the
 * caller says how many rows the job processed (its counters) and fewer are readable, the read is incomplete and
 * remembers the token the stream ended at; the engine waits (engine/backoff.ts) and reads on from there
 * (`readImportLog` with `from`), for a bounded time. It never waits itself, decides nothing about users
 * (engine/confirm-import does) and never logs a message's text.
 */
import { type CloudWatchLogsClient, GetLogEventsCommand, type GetLogEventsCommandOutput } from "@aws-sdk/client-cloudwatch-logs";
import { errorName } from "./error-name";

type RowOutcome = "SUCCEEDED" | "SKIPPED" | "FAILED";

export interface RowResult {
  outcome: RowOutcome;
  /** The text after the line number, e.g. "The user already exists." */
  reason: string;
}

/** GetLogEvents' largest page: 10,000 events (or 1 MB). Asking for it keeps a 500,000-row log to ≥ 50 calls. */
const LOG_PAGE_LIMIT = 10_000;

export interface LogWaitTiming {
  /** How long to keep re-reading the end of the stream for rows the counters say exist. */
  ingestionWaitMs: number;
  /** First pause before a re-read; doubles up to `maxRetryMs`. */
  firstRetryMs: number;
  maxRetryMs: number;
}

export const DEFAULT_LOG_WAIT: LogWaitTiming = { ingestionWaitMs: 60_000, firstRetryMs: 1_000, maxRetryMs: 15_000 };

export interface ReadImportLogOptions {
  /** Rows the job's counters say were processed (imported + skipped + failed); 0 or absent = all there is. */
  expectedRows?: number;
  /** Bound on GetLogEvents calls over all passes, whatever the service answers (default: 3 per full page expected, plus 20). */
  maxCalls?: number;
  /** An earlier, incomplete read to go on from: its results are kept and reading resumes at its end token. */
  from?: ImportLogRead;
}

export interface ImportLogRead {
  /** Row results by the line number Cognito logged. */
  rows: Map<number, RowResult>;
  /** Line numbers logged twice with different outcomes: those rows are in doubt. */
  conflicting: Set<number>;
  /** Lines of the import's form without a line number (e.g. a whole-file failure), reason text only. */
  jobMessages: string[];
  /** True when at least `expectedRows` rows were readable (or none were expected) and the stream was read to its end. */
  complete: boolean;
  /** Why the read is incomplete; no user data. */
  incompleteReason?: string;
  /** GetLogEvents calls made. */
  calls: number;
  /** The token the last pass ended at: the next pass starts there (ingestion may have added lines). */
  endToken?: string;
  /** True when the call bound was reached: reading on cannot help. */
  bounded?: boolean;
}

const LINE = /^\[(SUCCEEDED|SKIPPED|FAILED)\] Line Number (\d+) - (.*)$/s;
const UNNUMBERED = /^\[(SUCCEEDED|SKIPPED|FAILED)\] (?!Line Number )(.*)$/s;

export function importLogGroup(userPoolId: string, userPoolName: string): string {
  return `/aws/cognito/userpools/${userPoolId}/${userPoolName}`;
}

export function importLogStream(jobId: string, jobName: string): string {
  return `${jobId}/${jobName}`;
}

/** Parses one log message; null for lines of another form. */
function parseImportLogLine(message: string): { line: number; result: RowResult } | null {
  const m = LINE.exec(message.trim());
  return m ? { line: Number(m[2]), result: { outcome: m[1] as RowOutcome, reason: m[3] } } : null;
}

/**
 * One pass over the job's stream, to its end: every row result readable now (added to `options.from`'s when
 * given). A stream that does not exist gives an empty read, complete when no rows are expected (the job never
 * ran). Incomplete when fewer rows than expected are readable: the caller may wait and read on from it.
 */
export async function readImportLog(
  logs: CloudWatchLogsClient,
  group: string,
  stream: string,
  options: ReadImportLogOptions = {},
): Promise<ImportLogRead> {
  const expected = options.expectedRows ?? 0;
  const maxCalls = options.maxCalls ?? 3 * Math.ceil(expected / LOG_PAGE_LIMIT) + 20;
  const read: ImportLogRead = options.from ?? { rows: new Map(), conflicting: new Set(), jobMessages: [], complete: false, calls: 0 };
  let token = read.endToken;
  for (;;) {
    if (read.calls >= maxCalls) {
      read.bounded = true;
      return incomplete(read, `stopped after ${read.calls} GetLogEvents calls with ${read.rows.size} of ${expected} rows readable`);
    }
    const page = await getPage(logs, group, stream, token);
    read.calls++;
    if (page !== "missing") absorb(read, page.events ?? []);
    const next = page === "missing" ? token : page.nextForwardToken;
    // The service documents the tokens as never null; a missing one can only end the read.
    if (page !== "missing" && next !== undefined && next !== token) {
      token = next;
      continue;
    }
    read.endToken = token;
    if (read.rows.size >= expected) {
      read.complete = true;
      read.incompleteReason = undefined;
      return read;
    }
    return incomplete(read, `${expected - read.rows.size} of ${expected} processed rows had no readable log line`);
  }
}

async function getPage(
  logs: CloudWatchLogsClient,
  group: string,
  stream: string,
  token: string | undefined,
): Promise<GetLogEventsCommandOutput | "missing"> {
  try {
    return await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, limit: LOG_PAGE_LIMIT, nextToken: token }),
    );
  } catch (err) {
    // No group or stream yet: the job wrote nothing, or its first lines are not ingested.
    if (errorName(err) === "ResourceNotFoundException") return "missing";
    throw err;
  }
}

function absorb(read: ImportLogRead, events: readonly { message?: string }[]): void {
  for (const event of events) {
    const message = (event.message ?? "").trim();
    const parsed = parseImportLogLine(message);
    if (parsed) {
      const seen = read.rows.get(parsed.line);
      if (seen && seen.outcome !== parsed.result.outcome) read.conflicting.add(parsed.line);
      read.rows.set(parsed.line, parsed.result);
      continue;
    }
    const unnumbered = UNNUMBERED.exec(message);
    if (unnumbered) read.jobMessages.push(unnumbered[2]);
  }
}

function incomplete(read: ImportLogRead, reason: string): ImportLogRead {
  read.complete = false;
  read.incompleteReason = reason;
  return read;
}
