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
import type { ReminderRecord } from "../core/sign-in-reminders";
import { isSignInCodeRecord, isStackExport, remindersFromStackExport, rosterOutputsOf, type StackExport } from "../core/stack-export";

/** What a record holds: the digests, and the pool they were applied to when the record says so. */
export interface AppliedRecord {
  applied: AppliedDigests;
  binding?: PoolBinding;
  signInCodes?: SignInCodeRecord;
  /** From a `pulumi stack export`: the sign-in reminders' record (SignInReminderMarks), for the plan's capacity. */
  reminders?: ReminderRecord;
}

/** The sign-in code journal beside an applied record. */
export function codeJournalPath(appliedStatePath: string): string {
  return `${appliedStatePath}.codes.jsonl`;
}

export function defaultAppliedStatePath(repoRoot: string, stack: string): string {
  return path.join(repoRoot, ".roster", `applied-${stack}.json`);
}

/** The digests and the pool binding; undefined when there is no file yet. */
export function readAppliedRecord(file: string, userPoolId: string): AppliedRecord | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const data = JSON.parse(text) as
    | { userPoolId?: string; applied?: AppliedDigests; pool?: PoolBinding; signInCodes?: unknown }
    | AppliedDigests
    | StackExport;
  if (isStackExport(data)) return appliedFromStackExport(data, userPoolId);
  if ("applied" in data && typeof data.applied === "object") {
    if (data.userPoolId !== undefined && data.userPoolId !== userPoolId) return foreignRecord(String(data.userPoolId));
    const binding = isBinding(data.pool) ? data.pool : undefined;
    const signInCodes = isSignInCodeRecord(data.signInCodes) ? data.signInCodes : undefined;
    return { applied: data.applied as AppliedDigests, ...(binding ? { binding } : {}), ...(signInCodes ? { signInCodes } : {}) };
  }
  return { applied: data as AppliedDigests };
}

/**
 * A record of another pool (a copied checkout, a changed stack setting): none of its digests can describe this
 * pool. Returned rather than refused, so the engine reports the mismatch in one line and checks every declared
 * user, and the next apply writes a record for this pool — a stale file never blocks a run.
 */
function foreignRecord(otherPoolId: string): AppliedRecord {
  return { applied: {}, binding: { userPoolId: otherPoolId, arn: "", createdAt: 0, managedUsers: 0 } };
}

function isBinding(value: unknown): value is PoolBinding {
  const b = value as Partial<PoolBinding> | undefined;
  return (
    typeof b === "object" &&
    b !== null &&
    typeof b.arn === "string" &&
    typeof b.createdAt === "number" &&
    typeof b.managedUsers === "number"
  );
}

/** The record a stack export holds for this pool: its roster's outputs, and the reminders' record. */
function appliedFromStackExport(data: StackExport, userPoolId: string): AppliedRecord | undefined {
  const rosters = rosterOutputsOf(data);
  if (rosters.length === 0) return undefined; // the stack has not applied a roster yet
  const mine = rosters.find((outputs) => outputs.userPoolId === userPoolId);
  if (!mine) return foreignRecord(String(rosters[0].userPoolId ?? "unknown"));
  const binding = isBinding(mine.pool) ? mine.pool : undefined;
  const signInCodes = isSignInCodeRecord(mine.signInCodes) ? mine.signInCodes : undefined;
  const reminders = remindersFromStackExport(data, userPoolId);
  return {
    applied: mine.applied ?? {},
    ...(binding ? { binding } : {}),
    ...(signInCodes ? { signInCodes } : {}),
    ...(reminders ? { reminders } : {}),
  };
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
