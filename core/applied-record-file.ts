/**
 * What an applied record file says (cli/applied-state.ts reads and writes the file): the CLI's own record
 * `{"userPoolId", "applied", "pool", "signInCodes"}`, an older bare digest map, or a `pulumi stack export`
 * (core/stack-export.ts). Each part is checked before it is trusted: the file is JSON anyone can hand over. Pure.
 */
import type { PoolBinding } from "./pool-binding";
import type { SignInCodeRecord } from "./sign-in-code-record";
import type { ReminderRecord } from "./sign-in-reminders";
import { isSignInCodeRecord, isStackExport, remindersFromStackExport, rosterOutputsOf, type StackExport } from "./stack-export";
import type { AppliedDigests } from "./user-digest";

/** What a record holds: the digests, and the pool they were applied to when the record says so. */
export interface AppliedRecord {
  applied: AppliedDigests;
  binding?: PoolBinding;
  signInCodes?: SignInCodeRecord;
  /** From a `pulumi stack export`: the sign-in reminders' record (SignInReminderMarks), for the plan's capacity. */
  reminders?: ReminderRecord;
}

type RecordFile = { userPoolId?: string; applied?: AppliedDigests; pool?: PoolBinding; signInCodes?: unknown } | AppliedDigests;

/** The record a parsed file holds for pool `userPoolId`; undefined for a stack export that has applied no roster yet. */
export function appliedRecordOf(data: RecordFile | StackExport, userPoolId: string): AppliedRecord | undefined {
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
