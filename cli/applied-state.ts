/**
 * The CLI's memory of its last successful apply: the applied digests (no personal data), per stack, under
 * `.roster/` (git-ignored). The Pulumi provider keeps the same digests in the stack state instead; a file
 * `pulumi stack export` file can be passed with --applied too, so a pull-request plan reads only what changed.
 *
 * The record is a cache, bound to the pool it describes (core/pool-binding.ts): the file is
 * `{"userPoolId", "applied": {digest: digest}, "pool": {"userPoolId", "arn", "createdAt", "managedUsers"}}`.
 * Older files without `pool` (and bare digest maps) still read; the engine treats them as unbound.
 * With `sendSignInCode: afterImport` it also holds the sign-in code ledger, `signInCodes` (core/sign-in-code-record.ts),
 * written whole at the end of an apply; while the apply runs, each save is appended to `<file>.codes.jsonl` instead
 * (load/code-journal.ts), so an interrupted apply resumes without sending any code twice or leaving one owed.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { AppliedDigests } from "../core/user-digest";
import type { PoolBinding } from "../core/pool-binding";
import type { SignInCodeRecord } from "../core/sign-in-code-record";
import { type AppliedRecord, appliedRecordOf } from "../core/applied-record-file";

/** The sign-in code journal beside an applied record. */
export function codeJournalPath(appliedStatePath: string): string {
  return `${appliedStatePath}.codes.jsonl`;
}

export function defaultAppliedStatePath(repoRoot: string, stack: string): string {
  return path.join(repoRoot, ".roster", `applied-${stack}.json`);
}

/** The digests and the pool binding; undefined when there is no file yet (its contents: core/applied-record-file.ts). */
export function readAppliedRecord(file: string, userPoolId: string): AppliedRecord | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  return appliedRecordOf(JSON.parse(text), userPoolId);
}

/** Written to a temporary file and renamed, so an interrupted write never leaves half a file. */
export function writeAppliedState(
  file: string,
  userPoolId: string,
  applied: AppliedDigests,
  binding?: PoolBinding,
  signInCodes?: SignInCodeRecord,
): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(
    tmp,
    JSON.stringify({ userPoolId, applied, ...(binding ? { pool: binding } : {}), ...(signInCodes ? { signInCodes } : {}) }),
  );
  renameSync(tmp, file);
}
