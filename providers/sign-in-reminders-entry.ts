/**
 * What the two sign-in reminder resources do (stack setting `signInReminders`, engine/send-reminders.ts): the
 * record of reminders lives in the Pulumi stack's state — the one store the team's real workflow keeps (the
 * six-hourly `pulumi up` of roster-apply.yml, in the state backend every apply already uses) — and a reminder is
 * counted there BEFORE it is sent. Two resources make that so:
 *
 * - SignInReminderMarks (`marks`): its update reads the waiting trainees (one filtered ListUsers per 60 of them)
 *   and the pool (DescribeUserPool, which binds the record to the pool's ARN and creation date), and writes the
 *   record with this run's due trainees counted (digests and dates only) plus the round: `{at: runAt, digests}`.
 *   With DEVELOPER email it also reads the SES quota (one GetAccount) and marks no more than SES can still send: a
 *   mark counts toward K whether or not SES delivers it (core/reminder-ses-quota.ts). It sends nothing.
 * - SignInReminderSends (`sends`): fed the marks' round and the run's own `runAt`, it sends exactly that round —
 *   and only when the round was marked by this very run (`round.at === runAt`).
 *
 * Pulumi records a checkpoint of the state after each resource operation (https://www.pulumi.com/docs/iac/concepts/state-and-backends/,
 * "checkpoints"; PULUMI_SKIP_CHECKPOINTS turns that off and must not be set), and `sends` depends on `marks`, so the
 * marks are in the backend before the first reminder goes out. Hence, across crashes:
 * - killed before the marks' checkpoint: nothing was sent, nothing counted; the next run marks them again;
 * - killed after it, during the sends: the round's reminders are all counted (some perhaps never sent: at most
 *   once, like an unanswered code) and no later run sends that round again — a later run's marks either change
 *   (a new round, a new `at`) or not (the old round, whose `at` is not the new run's): never the old round again;
 * - an unanswered call counts as sent and is never repeated (aws/sign-in-codes.ts).
 * Two overlapping runs of one stack are refused by the state backend's lock (Pulumi Cloud and the self-managed
 * backends lock a stack for an update) and by roster-apply.yml's concurrency group; a run that starts after
 * another's marks were checkpointed sees them, so it sends those trainees nothing.
 *
 * `pulumi preview` (check and diff) reads the pool to say whether any reminder is due, and sends nothing. Progress
 * goes to stderr, counts only.
 */
import * as path from "node:path";
import { hasErrors } from "../core/diagnostics";
import type { DeclaredUser } from "../core/declared-user";
import type { PoolProfile } from "../core/profile";
import type { ReminderRecord, ReminderRound } from "../core/sign-in-reminders";
import { accessOnDate, DEFAULT_TIME_ZONE, dateInZone } from "../core/access-dates";
import { loadRoster } from "../load/load-roster";
import { createAwsClients } from "../aws/clients";
import type { NeverSignedIn } from "../aws/never-signed-in";
import { type PoolPorts, poolPorts, type UserReads } from "../aws/ports";
import type { RosterEngine } from "./roster-engine-entry";
import { sendReminderRound } from "../engine/send-reminders";
import {
  describeReminders,
  isRound,
  type MarkedRound,
  markReminders,
  type RemindersOutcome,
  roundOfThisRun,
} from "../core/reminder-rounds";
import { type ReminderInputs, reminderInputProblems, type SendInputs } from "../core/reminder-resource-inputs";
import type { Clock } from "../engine/backoff";
import { readSesQuota } from "../engine/observe-messaging";
import { type ReminderSesQuota, reminderMarkCap, type SesDeferral, sesDeferral, sesQuotaLine } from "../core/reminder-ses-quota";

interface MarkOutputs extends ReminderInputs {
  record: ReminderRecord;
  round: ReminderRound;
  /**
   * Counts of the last marking: due (= marked) and waiting trainees who had every reminder; with a DEVELOPER pool
   * whose SES quota left due trainees for a later round, how many and what SES could still send.
   */
  lastMark: { due: number; capped: number } & Partial<SesDeferral>;
}

interface SendOutputs extends ReminderInputs {
  round: ReminderRound;
  lastSend: RemindersOutcome & { at: number };
}

type Props = Record<string, unknown>;

/** The methods the shims forward to: the same shape as the roster's engine. */
export type ReminderEngine = RosterEngine;

/** Test seams: the project root (default: the host's cwd, the project), the pacing clock and the reminders' pace. */
export interface ReminderEngineOptions {
  repoRoot?: string;
  clock?: Clock;
  perSecond?: number;
}

function say(message: string): void {
  process.stderr.write(`cognito-roster: ${message}\n`);
}

/** The declared users as on the run's day (the files the program validated, in the project the host runs in). */
function declaredUsers(inputs: ReminderInputs, repoRoot = process.cwd()): DeclaredUser[] {
  const loaded = loadRoster({ usersDir: path.resolve(repoRoot, inputs.usersDir), repoRoot, profile: inputs.profile });
  if (hasErrors(loaded.diagnostics)) throw new Error(`the users files in ${inputs.usersDir} have errors; no reminder was marked or sent`);
  return accessOnDate(loaded.users, dateInZone(inputs.profile.timeZone ?? DEFAULT_TIME_ZONE, inputs.runAt));
}

/** The pool's ports over clients of their own, and how to destroy those clients. */
function portsFor(profile: PoolProfile): { ports: PoolPorts; destroy(): void } {
  const aws = createAwsClients(profile.region, profile.userPoolId, { onRetry: say });
  return { ports: poolPorts(aws, profile.userPoolId), destroy: () => aws.destroy() };
}

/** This run's round, marked over `record` (nothing is stored or sent here), and the SES quota it was capped by. */
async function marking(
  inputs: ReminderInputs,
  record: ReminderRecord | undefined,
  repoRoot?: string,
): Promise<MarkedRound & { ses?: ReminderSesQuota }> {
  const settings = inputs.profile.signInReminders;
  if (!settings) throw new Error("signInReminders is not set for this stack");
  const opened = portsFor(inputs.profile);
  // Marking only reads: the waiting trainees, the pool and (DEVELOPER email) the SES account's quota.
  const users: UserReads = opened.ports.users;
  try {
    const waiting: NeverSignedIn[] = [];
    await users.neverSignedIn((page) => waiting.push(...page));
    const pool = await users.describePool();
    const ses = await readSesQuota(opened.ports.messaging, inputs.profile.region, pool);
    const marked = markReminders({
      userPoolId: inputs.profile.userPoolId,
      caseSensitive: inputs.profile.usernameCaseSensitive,
      settings,
      declared: declaredUsers(inputs, repoRoot),
      waiting,
      pool,
      record,
      now: inputs.runAt,
      maxMarks: reminderMarkCap(ses),
    });
    return { ...marked, ...(ses ? { ses } : {}) };
  } finally {
    opened.destroy();
  }
}

async function markAndRecord(inputs: ReminderInputs, record: ReminderRecord | undefined, repoRoot?: string): Promise<MarkOutputs> {
  const marked = await marking(inputs, record, repoRoot);
  if (marked.dropped) say(marked.dropped);
  if (marked.problem) say(marked.problem);
  const quotaLine = sesQuotaLine(marked.ses, marked.deferred);
  if (quotaLine) say(quotaLine);
  say(
    `sign-in reminders: ${marked.round.digests.length} due, counted in the stack's state before any is sent` +
      (marked.capped > 0 ? `; ${marked.capped} waiting trainee(s) already had every reminder` : ""),
  );
  return {
    usersDir: inputs.usersDir,
    profile: inputs.profile,
    runAt: inputs.runAt,
    record: marked.record,
    round: marked.round,
    lastMark: { due: marked.round.digests.length, capped: marked.capped, ...sesDeferral(marked.ses, marked.deferred) },
  };
}

async function sendAndRecord(inputs: SendInputs, options: ReminderEngineOptions, before?: SendOutputs): Promise<SendOutputs> {
  const round = roundOfThisRun(inputs);
  const kept = { usersDir: inputs.usersDir, profile: inputs.profile, runAt: inputs.runAt };
  const empty: ReminderRound = { at: isRound(inputs.round) ? inputs.round.at : 0, digests: [] };
  if (!round) return { ...kept, round: empty, lastSend: before?.lastSend ?? { at: 0, sent: 0, uncertain: 0, refused: 0, skipped: 0 } };
  const opened = portsFor(inputs.profile);
  try {
    const outcome = await sendReminderRound({
      signInCodes: opened.ports.signInCodes,
      userPoolId: inputs.profile.userPoolId,
      caseSensitive: inputs.profile.usernameCaseSensitive,
      declared: declaredUsers(inputs, options.repoRoot),
      digests: round.digests,
      progress: say,
      clock: options.clock,
      perSecond: options.perSecond,
    });
    say(describeReminders(outcome, round.digests.length));
    // The round is not kept: it was counted by the marks, and nothing here sends it again.
    return { ...kept, round: { at: round.at, digests: [] }, lastSend: { at: round.at, ...outcome } };
  } finally {
    opened.destroy();
  }
}

async function check(_olds: Props, news: Props) {
  const failures = reminderInputProblems(news as Partial<ReminderInputs>).map((reason) => ({
    property: reason.slice(0, reason.indexOf(":")),
    reason,
  }));
  return { inputs: news, failures };
}

const settingsOf = (p: Partial<ReminderInputs>) => JSON.stringify([p.profile, p.usersDir]);

/** The marks' engine. */
export function reminderMarksEngine(options: ReminderEngineOptions = {}): ReminderEngine {
  return {
    check,
    async diff(_id, olds, news) {
      const before = olds as Partial<MarkOutputs>;
      const after = news as unknown as ReminderInputs;
      if (settingsOf(before) !== settingsOf(after)) return { changes: true };
      try {
        // Trainees the SES quota leaves for later are a change too: the update says so (never a silent no-op).
        const marked = await marking(after, before.record, options.repoRoot);
        return { changes: marked.round.digests.length > 0 || marked.deferred !== undefined };
      } catch (err) {
        say(`sign-in reminders: could not read pool ${after.profile.userPoolId} (${(err as Error).name}); none is shown as due`);
        return { changes: false };
      }
    },
    async create(inputs) {
      const marks = inputs as unknown as ReminderInputs;
      return { id: `${marks.profile.userPoolId}/reminder-marks`, outs: { ...(await markAndRecord(marks, undefined, options.repoRoot)) } };
    },
    async update(_id, olds, news) {
      return {
        outs: { ...(await markAndRecord(news as unknown as ReminderInputs, (olds as Partial<MarkOutputs>).record, options.repoRoot)) },
      };
    },
    // `pulumi refresh` keeps the record: it is ours, not a copy of anything the pool holds.
    async read(id, props) {
      return { id, props };
    },
    async delete() {},
  };
}

/** The sends' engine. */
export function reminderSendsEngine(options: ReminderEngineOptions = {}): ReminderEngine {
  return {
    check,
    async diff(_id, _olds, news) {
      const after = news as unknown as SendInputs;
      // Unknown during a preview that updates the marks: there may be a round to send.
      return { changes: !isRound(after.round) || roundOfThisRun(after) !== undefined };
    },
    async create(inputs) {
      const sends = inputs as unknown as SendInputs;
      return { id: `${sends.profile.userPoolId}/reminder-sends`, outs: { ...(await sendAndRecord(sends, options)) } };
    },
    async update(_id, olds, news) {
      return { outs: { ...(await sendAndRecord(news as unknown as SendInputs, options, olds as unknown as SendOutputs)) } };
    },
    async read(id, props) {
      return { id, props };
    },
    async delete() {},
  };
}

export const signInReminderMarksEngine = reminderMarksEngine();
export const signInReminderSendsEngine = reminderSendsEngine();
