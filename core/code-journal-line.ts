/**
 * One line of the sign-in code journal (load/code-journal.ts appends and replays them): a `LedgerChange` as JSON
 * (core/sign-in-code-record.ts). A line that is blank or broken — the last line of an interrupted write — is no
 * change, never an error: the journal is replayed over the record, and a half-written save is a save that did not
 * happen.
 */
import type { LedgerChange } from "./sign-in-code-record";

/** One journal line, or undefined for a blank or broken one (the last line of an interrupted write). */
export function parseCodeJournalLine(line: string): LedgerChange | undefined {
  if (line.trim() === "") return undefined;
  try {
    const c = JSON.parse(line) as Partial<LedgerChange>;
    if (
      typeof c.revision !== "number" ||
      typeof c.set !== "object" ||
      c.set === null ||
      typeof c.awaiting !== "object" ||
      c.awaiting === null
    )
      return undefined;
    return c as LedgerChange;
  } catch {
    return undefined;
  }
}
