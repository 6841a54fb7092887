/**
 * The sign-in code ledger's journal on disk: one line of JSON per save, only what that save changed
 * (core/sign-in-code-record.ts `LedgerChange`), so saving costs O(changes) however large the ledger. The whole record
 * is written once, at the end of a run, by its owner (the CLI's applied record, the provider's state), and the journal
 * is then emptied; a run that was interrupted leaves its journal, which the next run replays over the record.
 * Digests only, never a username.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { parseCodeJournalLine } from "../core/code-journal-line";
import { applyLedgerChange, type LedgerChange, type SignInCodeRecord } from "../core/sign-in-code-record";

/** Appends one change (a line written in one call; an interrupted write leaves at most a broken last line). */
export function appendCodeJournal(file: string, change: LedgerChange): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(change)}\n`);
}

/** The record with every journalled change newer than it applied, in order; the record itself when there is none. */
export function replayCodeJournal(file: string, record: SignInCodeRecord | undefined): SignInCodeRecord | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return record;
  }
  let out = record;
  for (const line of text.split("\n")) {
    const change = parseCodeJournalLine(line);
    if (change) out = applyLedgerChange(out, change);
  }
  return out;
}

/** Empties the journal once the whole record has been written. */
export function clearCodeJournal(file: string): void {
  rmSync(file, { force: true });
}
