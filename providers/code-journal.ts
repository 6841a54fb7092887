/**
 * The provider's copy of the sign-in code ledger (engine/code-ledger.ts) while an update runs. Pulumi writes the
 * resource's outputs only once the update returns, so a ledger kept only in the state would lose what a crashed or
 * killed update wrote ahead — the jobs it started and the codes it marked sent — and the next `up` would either
 * send no code or send one twice. The provider therefore also writes every save to
 * `.roster/sign-in-codes-<pool id>.json` under the project (git-ignored, digests only), and the next update takes
 * the newer of that journal and the state's copy (by the ledger's revision). A fresh checkout has no journal: the
 * state's copy is then the newest there is, as before.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { newerRecord, type SignInCodeRecord } from "../engine/code-ledger";

function journalPath(repoRoot: string, userPoolId: string): string {
  return path.join(repoRoot, ".roster", `sign-in-codes-${userPoolId}.json`);
}

/** The newer of the journal and the state's copy; a missing or unreadable journal counts as none. */
export function latestCodeRecord(
  repoRoot: string,
  userPoolId: string,
  fromState: SignInCodeRecord | undefined,
): SignInCodeRecord | undefined {
  let journal: SignInCodeRecord | undefined;
  try {
    const data = JSON.parse(readFileSync(journalPath(repoRoot, userPoolId), "utf8")) as Partial<SignInCodeRecord>;
    if (Array.isArray(data.pending) && Array.isArray(data.sent)) journal = data as SignInCodeRecord;
  } catch {
    journal = undefined;
  }
  return newerRecord(journal, fromState);
}

/** Written to a temporary file and renamed, so an interrupted write never leaves half a file. */
export function saveCodeJournal(repoRoot: string, userPoolId: string, record: SignInCodeRecord): void {
  const file = journalPath(repoRoot, userPoolId);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(record));
  renameSync(tmp, file);
}
