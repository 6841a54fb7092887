/**
 * The opt-in first sign-in code (stack setting `cognito-roster:sendSignInCode: afterImport`): right after an import
 * job, each trainee whose import this run confirmed is sent the password-reset code with AdminResetUserPassword,
 * so they can set a password without first pressing "Forgot your password?" (docs/first-sign-in.md).
 *
 * No trainee ever gets it twice, and every trainee a roster job created gets it unless Cognito refuses it. The ledger
 * (engine/code-ledger.ts, usernames as digests only) is written ahead twice: a job's users are recorded as awaiting
 * the job before it is started, and a batch of codes is marked sent and saved BEFORE its calls are made; a trainee
 * goes back to pending only when Cognito refused the call (a 4xx answer: nothing was sent), and a call that got no
 * answer is never repeated (aws/sign-in-codes.ts) and counted "unknown". A crash in the middle of a batch therefore
 * costs at most that batch its code — reported as unknown, and those trainees can still use "Forgot your
 * password?" — and never sends one twice. Users awaiting a job an interrupted run started are resolved here by
 * evidence: the job's StartDate and CompletionDate against the user's UserCreateDate (one DescribeUserImportJob per
 * job, one AdminGetUser per user awaiting it). Trainees still pending (an interrupted run, a refused call) are sent
 * their code by the next apply, after AdminGetUser shows they still have no password (a trainee who set one in the
 * meantime must not have it reset).
 *
 * Pacing: AdminResetUserPassword shares the UserAccountRecovery quota (30 requests/s per account and Region, not
 * adjustable) with the app's own ForgotPassword and ConfirmForgotPassword, so at most two thirds of it is used.
 * It prints nothing itself and its progress carries counts only.
 */
import type { DeclaredUser } from "../core/declared-user";
import { usernameDigest } from "../core/user-digest";
import { FINISHED_STATUSES, type ImportJob } from "../aws/import-jobs";
import { errorName } from "../aws/error-name";
import type { ImportJobsPort, SignInCodesPort, UserReads } from "../aws/ports";
import { REQUESTS_PER_SECOND } from "../core/cognito-quotas";
import type { Clock } from "./backoff";
import type { SignInCodeRecord } from "../core/sign-in-code-record";
import type { SignInCodeCounts } from "../core/apply-counts";
import type { CodeLedger } from "./code-ledger";
import { type CodeTally, describeTally } from "../core/sign-in-code-tally";
import { createdByImportJob } from "../core/import-row-verdicts";
import { createPacer, type Pace } from "./pacer";

/** Codes sent per second: two thirds of the account-wide quota, the rest left to the app's account recovery. */
export const SIGN_IN_CODES_PER_SECOND = Math.floor((REQUESTS_PER_SECOND.accountRecovery * 2) / 3);

export interface SignInCodeRun {
  /** Reads of the pool's users and jobs, and the send itself. */
  ports: { users: UserReads; importJobs: Pick<ImportJobsPort, "describeImportJob">; signInCodes: SignInCodesPort };
  userPoolId: string;
  caseSensitive: boolean;
  /** Every declared user: codes go to declared users only. */
  declared: readonly DeclaredUser[];
  /** The run's ledger: this run's own jobs already settled in it (engine/reconcile.ts). */
  ledger: CodeLedger;
  /** Digests of users this run's jobs created (just confirmed: sent without another read). */
  importedNow: ReadonlySet<string>;
  progress?: (message: string) => void;
  /** The pool's AccountRecoverySetting is admin_only (DescribeUserPool, read once): Cognito sends nobody a code. */
  recoveryAdminOnly?: boolean;
  clock?: Clock;
  perSecond?: number;
  /** At most this many codes this run (what SES can still send, core/messaging-capacity.ts); the rest stay owed. */
  maxCodes?: number;
}

/** The codes counted (core/apply-counts.ts), and the record to keep. */
export interface SignInCodesOutcome extends SignInCodeCounts {
  record: SignInCodeRecord;
}

export async function sendSignInCodes(run: SignInCodeRun): Promise<SignInCodesOutcome> {
  const { ledger } = run;
  const declaredByDigest = new Map(run.declared.map((u) => [usernameDigest(run.userPoolId, u.username, run.caseSensitive), u] as const));
  const verified = new Set(run.importedNow);
  await resolveAwaiting(run, declaredByDigest, verified);
  ledger.save();
  const due = await codesDueNow(run, declaredByDigest, verified);
  const say = run.progress ?? (() => undefined);
  // Over the day's email capacity, the rest stay owed in the ledger: spread over applies, never dropped.
  const queue = run.maxCodes === undefined ? due : due.slice(0, Math.max(0, run.maxCodes));
  if (queue.length < due.length)
    say(`${due.length - queue.length} first sign-in codes held back: over what the pool's email can send now; the next apply sends them`);
  const tally: CodeTally = { sent: 0, uncertain: 0, refused: 0, refusedBy: {} };
  if (queue.length > 0 && run.recoveryAdminOnly) {
    // Read once from the pool's AccountRecoverySetting: nothing is sent or marked, every trainee stays owed a code.
    tally.problem = "the pool's account recovery is admin-only (AccountRecoverySetting), so Cognito sends no reset codes";
    say(describeTally(tally));
  } else if (queue.length > 0) {
    say(
      `sending the first sign-in code to ${queue.length} trainee${queue.length === 1 ? "" : "s"} ` +
        `(AdminResetUserPassword, ${run.perSecond ?? SIGN_IN_CODES_PER_SECOND}/s)`,
    );
    await sendInBatches(run, queue, tally);
    say(describeTally(tally));
  } else ledger.save();
  const { pending, awaiting } = ledger.counts();
  return { record: ledger.snapshot(), ...tally, pending, awaiting };
}

/**
 * Users awaiting a job an earlier (interrupted) run started: owed a code if that job created them, by the pool's
 * evidence. A job still running, or a read that fails, leaves its users awaiting for the next apply.
 */
async function resolveAwaiting(run: SignInCodeRun, declaredByDigest: Map<string, DeclaredUser>, verified: Set<string>): Promise<void> {
  const say = run.progress ?? (() => undefined);
  for (const [jobId, digests] of [...run.ledger.awaiting]) {
    let job: ImportJob;
    try {
      job = await run.ports.importJobs.describeImportJob(jobId);
    } catch (err) {
      say(`sign-in codes: could not read import job ${jobId} (${errorName(err) || "error"}); its ${digests.size} users stay awaiting it`);
      continue;
    }
    if (!FINISHED_STATUSES.includes(job.status)) continue;
    const created = new Set<string>();
    let unread = 0;
    for (const digest of digests) {
      const user = declaredByDigest.get(digest);
      if (!user || job.startedAt === undefined) continue; // not ours to write to, or a job never started: created none
      try {
        const pool = await run.ports.users.getUser(user.username);
        if (pool?.enabled && createdByImportJob(pool, job)) created.add(digest);
      } catch {
        unread++;
      }
    }
    if (unread > 0) {
      say(`sign-in codes: ${unread} users awaiting import job ${jobId} could not be read; they stay awaiting it`);
      continue;
    }
    run.ledger.settle(jobId, created);
    for (const digest of created) verified.add(digest);
    say(
      `sign-in codes: import job ${jobId} of an earlier run (${job.status}) ` +
        `created ${created.size} of the ${digests.size} trainees it was to import`,
    );
  }
}

interface QueuedCode {
  digest: string;
  user: DeclaredUser;
}

/** The owed codes to send now, in digest order: a trainee pending from an earlier run only if still without a password. */
async function codesDueNow(
  run: SignInCodeRun,
  declaredByDigest: Map<string, DeclaredUser>,
  verified: ReadonlySet<string>,
): Promise<QueuedCode[]> {
  const { ledger } = run;
  // A pending trainee no longer declared is no longer ours to write to.
  for (const digest of [...ledger.pending]) if (!declaredByDigest.has(digest)) ledger.forget(digest);
  const queue: QueuedCode[] = [];
  for (const digest of [...ledger.pending].sort()) {
    const user = declaredByDigest.get(digest) as DeclaredUser;
    if (!verified.has(digest)) {
      const state = await stillWithoutPassword(run, user);
      if (state === "unknown") continue; // could not look: stays pending for the next apply
      if (state === "no") {
        ledger.forget(digest); // set a password by themselves, disabled, or gone: owed nothing
        continue;
      }
    }
    queue.push({ digest, user });
  }
  return queue;
}

/** A second's worth of codes a batch, each send within the pace; stops at a problem that would refuse every code. */
async function sendInBatches(run: SignInCodeRun, queue: readonly QueuedCode[], tally: CodeTally): Promise<void> {
  const perSecond = Math.max(1, run.perSecond ?? SIGN_IN_CODES_PER_SECOND);
  const pace = createPacer(perSecond, run.clock);
  for (let start = 0; start < queue.length && tally.problem === undefined; start += perSecond) {
    const batch = queue.slice(start, start + perSecond);
    for (const { digest } of batch) run.ledger.markSent(digest);
    run.ledger.save(); // written ahead: a crash from here on never sends these a second code
    await sendBatch(run, batch, tally, pace);
    run.ledger.save();
  }
}

async function sendBatch(run: SignInCodeRun, batch: readonly QueuedCode[], tally: CodeTally, pace: Pace): Promise<void> {
  const { ledger } = run;
  for (const { digest, user } of batch) {
    await pace();
    const outcome = await run.ports.signInCodes.sendSignInCode(user.username);
    if (outcome.kind === "sent") tally.sent++;
    else if (outcome.kind === "unknown") {
      ledger.markUnknown(digest);
      tally.uncertain++;
    } else if (outcome.kind === "no-such-user") {
      ledger.clear(digest);
    } else {
      // This user only (e.g. disabled, or FORCE_CHANGE_PASSWORD: NotAuthorizedException): skipped, the rest go on.
      ledger.markOwed(digest, true);
      tally.refused++;
      tally.refusedBy[outcome.error] = (tally.refusedBy[outcome.error] ?? 0) + 1;
    }
  }
}

/** "yes" when the pool still holds the user enabled and without a password of their own (RESET_REQUIRED). */
async function stillWithoutPassword(run: SignInCodeRun, user: DeclaredUser): Promise<"yes" | "no" | "unknown"> {
  try {
    const pool = await run.ports.users.getUser(user.username);
    return pool?.enabled && pool.status === "RESET_REQUIRED" ? "yes" : "no";
  } catch {
    return "unknown";
  }
}
