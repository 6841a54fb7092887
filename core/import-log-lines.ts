/**
 * What an import job's log lines say (aws/import-log.ts reads them from CloudWatch Logs). Cognito writes one line
 * per CSV row, by line number and without user data: `[SUCCEEDED] Line Number 5956 - The import succeeded.`;
 * lines of the same form without a line number (e.g. a whole-file failure) are the job's own messages.
 */

type RowOutcome = "SUCCEEDED" | "SKIPPED" | "FAILED";

export interface RowResult {
  outcome: RowOutcome;
  /** The text after the line number, e.g. "The user already exists." */
  reason: string;
}

/** The row results read so far. */
export interface LogLines {
  /** Row results by the line number Cognito logged. */
  rows: Map<number, RowResult>;
  /** Line numbers logged twice with different outcomes: those rows are in doubt. */
  conflicting: Set<number>;
  /** Lines of the import's form without a line number (e.g. a whole-file failure), reason text only. */
  jobMessages: string[];
}

const LINE = /^\[(SUCCEEDED|SKIPPED|FAILED)\] Line Number (\d+) - (.*)$/s;
const UNNUMBERED = /^\[(SUCCEEDED|SKIPPED|FAILED)\] (?!Line Number )(.*)$/s;

/** Parses one log message; null for lines of another form. @internal */
export function parseImportLogLine(message: string): { line: number; result: RowResult } | null {
  const m = LINE.exec(message.trim());
  return m ? { line: Number(m[2]), result: { outcome: m[1] as RowOutcome, reason: m[3] } } : null;
}

/** Adds a page of messages to `read`: a line logged again with another outcome is in doubt; other lines are ignored. */
export function absorbLogLines(read: LogLines, messages: readonly string[]): void {
  for (const raw of messages) {
    const message = raw.trim();
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
