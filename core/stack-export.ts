/**
 * What `cognito-roster plan --applied` and `apply --applied` read from a `pulumi stack export` file: the roster
 * resource's outputs and the sign-in reminders' record, found by resource type, each checked before it is trusted
 * (the file is JSON anyone can hand over). core/applied-record-file.ts turns the roster's outputs into the applied record.
 * Pure.
 */
import type { SignInCodeRecord } from "./sign-in-code-record";
import type { ReminderRecord } from "./sign-in-reminders";
import type { AppliedDigests } from "./user-digest";

/** The resource type of the roster (providers/user-pool-roster.ts), as the stack records it. */
const ROSTER_TYPE = "pulumi-nodejs:dynamic/cognito-roster:UserPoolRoster";
/** The resource type of the sign-in reminders' marks (providers/sign-in-reminders.ts). */
const REMINDER_MARKS_TYPE = "pulumi-nodejs:dynamic/cognito-roster:SignInReminderMarks";

/** One roster resource's outputs, as far as the applied record reads them; `pool` is checked by its reader. */
interface RosterOutputsInExport {
  userPoolId?: string;
  applied?: AppliedDigests;
  pool?: unknown;
  signInCodes?: unknown;
}

/** The shape of `pulumi stack export` this reads: the resources' types and outputs. */
export interface StackExport {
  deployment: {
    resources?: {
      type?: string;
      outputs?: RosterOutputsInExport & { profile?: unknown; record?: unknown };
    }[];
  };
}

/** True for a `pulumi stack export` (it has a deployment), as opposed to the CLI's own record. */
export function isStackExport(data: unknown): data is StackExport {
  return typeof data === "object" && data !== null && "deployment" in data;
}

/** The outputs of every roster resource in the export, in its order (none: the stack has not applied a roster yet). */
export function rosterOutputsOf(data: StackExport): RosterOutputsInExport[] {
  return (data.deployment.resources ?? []).filter((r) => r.type === ROSTER_TYPE).map((r) => r.outputs ?? {});
}

/** A sign-in code ledger: its pending and sent lists hold digests (strings). */
export function isSignInCodeRecord(value: unknown): value is SignInCodeRecord {
  const r = value as Partial<SignInCodeRecord> | undefined;
  const digests = (list: unknown) => Array.isArray(list) && list.every((d) => typeof d === "string");
  return typeof r === "object" && r !== null && digests(r.pending) && digests(r.sent);
}

/** The reminder marks' record for this pool (providers/sign-in-reminders-entry.ts), if the stack has one. */
export function remindersFromStackExport(data: StackExport, userPoolId: string): ReminderRecord | undefined {
  const marks = (data.deployment.resources ?? []).find(
    (r) => r.type === REMINDER_MARKS_TYPE && (r.outputs?.profile as { userPoolId?: unknown } | undefined)?.userPoolId === userPoolId,
  );
  const record = marks?.outputs?.record as Partial<ReminderRecord> | undefined;
  return typeof record === "object" && record !== null && typeof record.trainees === "object" && record.trainees !== null
    ? (record as ReminderRecord)
    : undefined;
}
