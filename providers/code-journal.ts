/**
 * The provider's journal of the sign-in code ledger while an update runs. Pulumi writes the resource's outputs only
 * once the update returns, so a ledger kept only in the state would lose what a crashed or killed update wrote ahead —
 * the jobs it started and the codes it marked sent — and the next `up` would either send no code or send one twice.
 * Every save is therefore appended to `.roster/sign-in-codes-<pool id>.jsonl` under the project (git-ignored,
 * digests only, load/code-journal.ts), the next update replays it over the state's copy, and a successful update,
 * whose outputs carry the whole record, empties it. A fresh checkout has no journal: the state's copy is then the
 * newest there is, as before.
 */
import * as path from "node:path";
import type { LedgerChange, SignInCodeRecord } from "../core/sign-in-code-record";
import { appendCodeJournal, clearCodeJournal, replayCodeJournal } from "../load/code-journal";

function journalPath(repoRoot: string, userPoolId: string): string {
  return path.join(repoRoot, ".roster", `sign-in-codes-${userPoolId}.jsonl`);
}

/** The state's copy with the journal's newer changes applied. */
export function latestCodeRecord(
  repoRoot: string,
  userPoolId: string,
  fromState: SignInCodeRecord | undefined,
): SignInCodeRecord | undefined {
  return replayCodeJournal(journalPath(repoRoot, userPoolId), fromState);
}

export function appendCodeChange(repoRoot: string, userPoolId: string, change: LedgerChange): void {
  appendCodeJournal(journalPath(repoRoot, userPoolId), change);
}

export function clearCodeChanges(repoRoot: string, userPoolId: string): void {
  clearCodeJournal(journalPath(repoRoot, userPoolId));
}
