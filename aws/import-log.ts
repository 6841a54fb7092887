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
 * caller says how many rows the job processed (its counters) and fewer are readable, the end of the stream is
 * re-read from the last token with back-off for a bounded time; what is still missing is reported, not guessed.
 * It decides nothing about users (engine/confirm-import does); it never logs a message's text.
 */
import { type CloudWatchLogsClient, GetLogEventsCommand, type GetLogEventsCommandOutput } from "@aws-sdk/client-cloudwatch-logs";
import { errorName } from "./error-name";

export type RowOutcome = "SUCCEEDED" | "SKIPPED" | "FAILED";

export interface RowResult {
  outcome: RowOutcome;
  /** The text after the line number, e.g. "The user already exists." */
  reason: string;
}

/** GetLogEvents' largest page: 10,000 events (or 1 MB). Asking for it keeps a 500,000-row log to ≥ 50 calls. */
export const LOG_PAGE_LIMIT = 10_000;

export interface LogWaitTiming {
  /** How long to keep re-reading the end of the stream for rows the counters say exist. */
  ingestionWaitMs: number;
  /** First pause before a re-read; doubles up to `maxRetryMs`. */
  firstRetryMs: number;
  maxRetryMs: number;
}

export const DEFAULT_LOG_WAIT: LogWaitTiming = { ingestionWaitMs: 60_000, firstRetryMs: 1_000, maxRetryMs: 15_000 };

export interface ReadImportLogOptions {
  /** Rows the job's counters say were processed (imported + skipped + failed); 0 or absent = do not wait. */
  expectedRows?: number;
  wait?: Partial<LogWaitTiming>;
  /** Bound on GetLogEvents calls, whatever the service answers (default: 3 per full page expected, plus 20). */
  maxCalls?: number;
  progress?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
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
export function parseImportLogLine(message: string): { line: number; result: RowResult } | null {
  const m = LINE.exec(message.trim());
  return m ? { line: Number(m[2]), result: { outcome: m[1] as RowOutcome, reason: m[3] } } : null;
}

/**
 * Every row result in the job's stream. A stream that does not exist gives an empty (complete) read when no
 * rows are expected — the job never ran — and is waited for like missing lines otherwise.
 */
export async function readImportLog(
  logs: CloudWatchLogsClient,
  group: string,
  stream: string,
  options: ReadImportLogOptions = {},
): Promise<ImportLogRead> {
  const expected = options.expectedRows ?? 0;
  const wait = { ...DEFAULT_LOG_WAIT, ...options.wait };
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const maxCalls = options.maxCalls ?? 3 * Math.ceil(expected / LOG_PAGE_LIMIT) + 20;
  const read: ImportLogRead = { rows: new Map(), conflicting: new Set(), jobMessages: [], complete: false, calls: 0 };

  let token: string | undefined;
  let waitedSince: number | undefined;
  let pause = wait.firstRetryMs;
  for (;;) {
    if (read.calls >= maxCalls) return incomplete(read, `stopped after ${read.calls} GetLogEvents calls with ${read.rows.size} of ${expected} rows readable`);
    const page = await getPage(logs, group, stream, token);
    read.calls++;
    if (page !== "missing") absorb(read, page.events ?? []);
    const next = page === "missing" ? token : page.nextForwardToken;
    // The service documents the tokens as never null; a missing one can only end the read.
    const atEnd = page === "missing" || next === undefined || next === token;
    if (!atEnd) {
      token = next;
      continue;
    }
    if (read.rows.size >= expected) {
      read.complete = true;
      return read;
    }
    // At the end with rows missing: the rest may not be ingested yet. Re-read from the same token, bounded.
    waitedSince ??= now();
    const waited = now() - waitedSince;
    if (waited >= wait.ingestionWaitMs) {
      return incomplete(read, `${expected - read.rows.size} of ${expected} processed rows had no readable log line after waiting ${Math.round(waited / 1000)} s`);
    }
    const delay = Math.min(pause, wait.ingestionWaitMs - waited);
    options.progress?.(
      `import log: ${read.rows.size} of ${expected} row results readable; waiting ${(delay / 1000).toFixed(1)} s for CloudWatch Logs to ingest the rest`,
    );
    await sleep(delay);
    pause = Math.min(wait.maxRetryMs, pause * 2);
  }
}

async function getPage(logs: CloudWatchLogsClient, group: string, stream: string, token: string | undefined): Promise<GetLogEventsCommandOutput | "missing"> {
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

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
