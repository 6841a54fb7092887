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
import { type CloudWatchLogsClient, paginateGetLogEvents } from "@aws-sdk/client-cloudwatch-logs";
import { absorbLogLines, type LogLines, type RowResult } from "../core/import-log-lines";
import { errorName } from "./error-name";

export type { RowResult };

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

export interface ImportLogRead extends LogLines {
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

/**
 * One pass over the job's stream, to its end: every row result readable now (added to `options.from`'s when
 * given). A stream that does not exist gives an empty read, complete when no rows are expected (the job never
 * ran). Incomplete when fewer rows than expected are readable: the caller may wait and read on from it.
 * @internal exported for its tests (the engine reads through readJobLog, the import-log port)
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
  if (read.calls >= maxCalls) return bounded(read, expected);
  // The SDK's paginator with stopOnSameToken: it stops when the token passed in comes back (the end for now), never
  // on an empty page. `token` follows it: the token the last page was asked with, where the next pass starts.
  let token = read.endToken;
  const input = { logGroupName: group, logStreamName: stream, startFromHead: true };
  const pages = paginateGetLogEvents({ client: logs, pageSize: LOG_PAGE_LIMIT, startingToken: token, stopOnSameToken: true }, input);
  try {
    for await (const page of pages) {
      read.calls++;
      absorbLogLines(
        read,
        (page.events ?? []).map((e) => e.message ?? ""),
      );
      const next = page.nextForwardToken;
      // The service documents the tokens as never null; a missing one can only end the read.
      if (next === undefined || next === token) break;
      token = next;
      if (read.calls >= maxCalls) return bounded(read, expected);
    }
  } catch (err) {
    // No group or stream yet: the job wrote nothing, or its first lines are not ingested.
    if (errorName(err) !== "ResourceNotFoundException") throw err;
    read.calls++;
  }
  read.endToken = token;
  if (read.rows.size >= expected) {
    read.complete = true;
    read.incompleteReason = undefined;
    return read;
  }
  return incomplete(read, `${expected - read.rows.size} of ${expected} processed rows had no readable log line`);
}

/** The job whose log to read: its stream is `<jobId>/<jobName>` in the pool's group `/aws/cognito/userpools/<poolId>/<poolName>`. */
export interface ImportLogJob {
  poolName: string;
  jobId: string;
  jobName: string;
}

/** readImportLog on the job's stream in the pool's log group. */
export function readJobLog(
  logs: CloudWatchLogsClient,
  userPoolId: string,
  job: ImportLogJob,
  options: ReadImportLogOptions = {},
): Promise<ImportLogRead> {
  return readImportLog(logs, `/aws/cognito/userpools/${userPoolId}/${job.poolName}`, `${job.jobId}/${job.jobName}`, options);
}

function bounded(read: ImportLogRead, expected: number): ImportLogRead {
  read.bounded = true;
  return incomplete(read, `stopped after ${read.calls} GetLogEvents calls with ${read.rows.size} of ${expected} rows readable`);
}

function incomplete(read: ImportLogRead, reason: string): ImportLogRead {
  read.complete = false;
  read.incompleteReason = reason;
  return read;
}
