/**
 * Reads an import job's per-row results from CloudWatch Logs.
 *
 * Cognito writes one line per CSV row, by line number and without user data:
 * `[SUCCEEDED] Line Number 5956 - The import succeeded.` The group is /aws/cognito/userpools/<poolId>/<poolName>,
 * the stream <jobId>/<jobName>.
 */
import { type CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { errorName } from "./error-name";

export type RowOutcome = "SUCCEEDED" | "SKIPPED" | "FAILED";

export interface RowResult {
  outcome: RowOutcome;
  /** The text after the line number, e.g. "The user already exists." */
  reason: string;
}

const LINE = /^\[(SUCCEEDED|SKIPPED|FAILED)\] Line Number (\d+) - (.*)$/;

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

/** Row results by the line number Cognito logged. A missing stream (the job never ran) gives an empty map. */
export async function readImportLog(logs: CloudWatchLogsClient, group: string, stream: string): Promise<Map<number, RowResult>> {
  const results = new Map<number, RowResult>();
  let token: string | undefined;
  for (;;) {
    let out;
    try {
      out = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, nextToken: token }));
    } catch (err) {
      if (errorName(err) === "ResourceNotFoundException") return results;
      throw err;
    }
    for (const event of out.events ?? []) {
      const parsed = parseImportLogLine(event.message ?? "");
      if (parsed) results.set(parsed.line, parsed.result);
    }
    // GetLogEvents signals the end by returning the token it was given.
    if (!out.nextForwardToken || out.nextForwardToken === token || (out.events ?? []).length === 0) return results;
    token = out.nextForwardToken;
  }
}
