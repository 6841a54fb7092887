/**
 * The opt-in first sign-in code (stack setting `cognito-roster:sendSignInCode: afterImport`): right after an import
 * job, each trainee whose import this run confirmed is sent the password-reset code with AdminResetUserPassword,
 * so they can set a password without first pressing "Forgot your password?" (docs/first-sign-in.md).
 *
 * No trainee ever gets it twice. The record (`SignInCodeRecord`, usernames as digests only) is written ahead: a
 * batch is marked sent and saved BEFORE its calls are made, and a trainee goes back to pending only when Cognito
 * refused the call (a 4xx answer: nothing was sent). A crash in the middle of a batch therefore costs at most that
 * batch its code — those trainees can still use "Forgot your password?" — and never sends one twice. Trainees
 * still pending (an interrupted run, a refused call) are sent their code by the next apply, after AdminGetUser shows
 * they still have no password (a trainee who set one in the meantime must not have it reset).
 *
 * Pacing: AdminResetUserPassword shares the UserAccountRecovery quota (30 requests/s per account and Region, not
 * adjustable) with the app's own ForgotPassword and ConfirmForgotPassword, so at most two thirds of it is used.
 * It prints nothing itself and its progress carries counts only.
 */
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { DeclaredUser } from "../core/declared-user";
import { usernameDigest } from "../core/user-digest";
import { getPoolUser } from "../aws/pool-users";
import { ACCOUNT_RECOVERY_QUOTA_PER_SECOND, sendSignInCode } from "../aws/sign-in-codes";
import { type Clock, SYSTEM_CLOCK } from "./backoff";

/** Codes sent per second: two thirds of the account-wide quota, the rest left to the app's account recovery. */
const SIGN_IN_CODES_PER_SECOND = Math.floor((ACCOUNT_RECOVERY_QUOTA_PER_SECOND * 2) / 3);

/** Username digests (core/user-digest.ts) of trainees owed a code, and of those sent one (or possibly sent one). */
export interface SignInCodeRecord {
  pending: string[];
  sent: string[];
}

export interface SignInCodeRun {
  cognito: CognitoIdentityProviderClient;
  userPoolId: string;
  caseSensitive: boolean;
  /** Every declared user: pending digests are sent to declared users only. */
  declared: readonly DeclaredUser[];
  /** Users whose import THIS run confirmed (created by our job, RESET_REQUIRED). */
  importedNow: readonly DeclaredUser[];
  /** The record of earlier runs. */
  record?: SignInCodeRecord;
  /** Persists the record; called before each batch is sent and after it. */
  save?: (record: SignInCodeRecord) => void;
  progress?: (message: string) => void;
  /** The pool's AccountRecoverySetting is admin_only (DescribeUserPool, read once): Cognito sends nobody a code. */
  recoveryAdminOnly?: boolean;
  clock?: Clock;
  perSecond?: number;
  /** At most this many codes this run (what SES can still send, core/messaging-capacity.ts); the rest stay owed. */
  maxCodes?: number;
}

export interface SignInCodesOutcome {
  record: SignInCodeRecord;
  sent: number;
  /** Still owed a code (refused this time, or not reached): the next apply tries again. */
  pending: number;
  /** The call got no answer: possibly sent, recorded as sent so it is never sent twice. */
  uncertain: number;
  /** Why no code could be sent at all (the pool's account recovery is admin-only), if so. */
  problem?: string;
}

/** How many declared trainees an apply would send a code to now: the new imports plus those still pending. */
export function signInCodesToSend(
  userPoolId: string,
  caseSensitive: boolean,
  toImport: readonly DeclaredUser[],
  declared: readonly DeclaredUser[],
  record?: SignInCodeRecord,
): number {
  const sent = new Set(record?.sent ?? []);
  const owed = new Set<string>();
  for (const user of toImport) {
    const digest = usernameDigest(userPoolId, user.username, caseSensitive);
    if (!sent.has(digest)) owed.add(digest);
  }
  const pending = new Set(record?.pending ?? []);
  for (const user of declared) {
    const digest = usernameDigest(userPoolId, user.username, caseSensitive);
    if (pending.has(digest)) owed.add(digest);
  }
  return owed.size;
}

export async function sendSignInCodes(run: SignInCodeRun): Promise<SignInCodesOutcome> {
  const ledger = new CodeLedger(run.record, run.save);
  const digestOf = (user: DeclaredUser) => usernameDigest(run.userPoolId, user.username, run.caseSensitive);
  const importedNow = markImportsOwed(run.importedNow, ledger, digestOf);
  const due = await codesDueNow(run, ledger, importedNow, digestOf);
  // Over the day's email capacity, the rest stay pending (recorded as owed above): spread over applies, not dropped.
  const queue = run.maxCodes === undefined ? due : due.slice(0, Math.max(0, run.maxCodes));
  if (queue.length < due.length)
    run.progress?.(
      `${due.length - queue.length} first sign-in codes held back: over what the pool's email can send now; the next apply sends them`,
    );
  if (queue.length === 0) {
    ledger.save();
    return { record: ledger.snapshot(), sent: 0, pending: ledger.pending.size, uncertain: 0 };
  }
  const say = run.progress ?? (() => undefined);
  say(
    `sending the first sign-in code to ${queue.length} trainee${queue.length === 1 ? "" : "s"} (AdminResetUserPassword, ${run.perSecond ?? SIGN_IN_CODES_PER_SECOND}/s)`,
  );
  const tally = await sendInBatches(run, ledger, queue);
  say(describeTally(tally));
  const { sent, uncertain, problem } = tally;
  return { record: ledger.snapshot(), sent, pending: ledger.pending.size, uncertain, ...(problem ? { problem } : {}) };
}

/** The record as this run changes it, as sets of digests; saved sorted. */
class CodeLedger {
  readonly pending: Set<string>;
  readonly sent: Set<string>;

  constructor(
    record: SignInCodeRecord | undefined,
    private readonly persist: ((record: SignInCodeRecord) => void) | undefined,
  ) {
    this.pending = new Set(record?.pending ?? []);
    this.sent = new Set(record?.sent ?? []);
  }

  snapshot(): SignInCodeRecord {
    return { pending: [...this.pending].sort(), sent: [...this.sent].sort() };
  }

  save(): void {
    this.persist?.(this.snapshot());
  }

  markSent(digest: string): void {
    this.pending.delete(digest);
    this.sent.add(digest);
  }

  /** Nothing was sent (Cognito refused the call, or it was never made): owed again. */
  markOwed(digest: string): void {
    this.sent.delete(digest);
    this.pending.add(digest);
  }
}

/** Records this run's imports as owed a code (saved before any is sent) and returns their digests. */
function markImportsOwed(imported: readonly DeclaredUser[], ledger: CodeLedger, digestOf: (user: DeclaredUser) => string): Set<string> {
  const importedNow = new Set<string>();
  for (const user of imported) {
    const digest = digestOf(user);
    importedNow.add(digest);
    if (!ledger.sent.has(digest)) ledger.pending.add(digest);
  }
  if (importedNow.size > 0) ledger.save();
  return importedNow;
}

interface QueuedCode {
  digest: string;
  user: DeclaredUser;
}

/** The owed codes to send now, in digest order: a trainee pending from an earlier run only if still without a password. */
async function codesDueNow(
  run: SignInCodeRun,
  ledger: CodeLedger,
  importedNow: ReadonlySet<string>,
  digestOf: (user: DeclaredUser) => string,
): Promise<QueuedCode[]> {
  const declaredByDigest = new Map(run.declared.map((u) => [digestOf(u), u] as const));
  // A pending trainee no longer declared is no longer ours to write to.
  for (const digest of [...ledger.pending]) if (!declaredByDigest.has(digest)) ledger.pending.delete(digest);
  const queue: QueuedCode[] = [];
  for (const digest of [...ledger.pending].sort()) {
    const user = declaredByDigest.get(digest) as DeclaredUser;
    if (!importedNow.has(digest)) {
      const state = await stillWithoutPassword(run, user);
      if (state === "unknown") continue; // could not look: stays pending for the next apply
      if (state === "no") {
        ledger.pending.delete(digest); // set a password by themselves, disabled, or gone: owed nothing
        continue;
      }
    }
    queue.push({ digest, user });
  }
  return queue;
}

interface CodeTally {
  sent: number;
  uncertain: number;
  refused: number;
  /** The refusals by error name (names only: Cognito's messages can echo the user). */
  refusedBy: Record<string, number>;
  /** Set when no code can be sent at all: sending stops. */
  problem?: string;
}

/** One batch a second, within the pace; stops at a problem that would refuse every code. */
async function sendInBatches(run: SignInCodeRun, ledger: CodeLedger, queue: readonly QueuedCode[]): Promise<CodeTally> {
  const clock = run.clock ?? SYSTEM_CLOCK;
  const perSecond = Math.max(1, run.perSecond ?? SIGN_IN_CODES_PER_SECOND);
  const tally: CodeTally = { sent: 0, uncertain: 0, refused: 0, refusedBy: {} };
  if (run.recoveryAdminOnly) {
    // Nothing is sent or marked: every trainee stays owed a code.
    tally.problem = "the pool's account recovery is admin-only (AccountRecoverySetting), so Cognito sends no reset codes";
    return tally;
  }
  for (let start = 0; start < queue.length && tally.problem === undefined; start += perSecond) {
    const began = clock.now();
    const batch = queue.slice(start, start + perSecond);
    for (const { digest } of batch) ledger.markSent(digest);
    ledger.save(); // written ahead: a crash from here on never sends these a second code
    await sendBatch(run, ledger, batch, tally);
    ledger.save();
    const more = start + perSecond < queue.length;
    if (more) await clock.sleep(Math.max(0, 1000 - (clock.now() - began)));
  }
  return tally;
}

async function sendBatch(run: SignInCodeRun, ledger: CodeLedger, batch: readonly QueuedCode[], tally: CodeTally): Promise<void> {
  for (const { digest, user } of batch) {
    const outcome = await sendSignInCode(run.cognito, run.userPoolId, user.username);
    if (outcome.kind === "sent") tally.sent++;
    else if (outcome.kind === "unknown") tally.uncertain++;
    else if (outcome.kind === "no-such-user") ledger.sent.delete(digest);
    else {
      // This user only (e.g. disabled, or FORCE_CHANGE_PASSWORD: NotAuthorizedException): skipped, the rest go on.
      ledger.markOwed(digest);
      tally.refused++;
      tally.refusedBy[outcome.error] = (tally.refusedBy[outcome.error] ?? 0) + 1;
    }
  }
}

function describeTally({ sent, refused, refusedBy, uncertain, problem }: CodeTally): string {
  const reasons = Object.entries(refusedBy)
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");
  return (
    `sign-in codes: ${sent} sent` +
    (refused > 0 ? `, ${refused} refused by Cognito (${reasons}; kept pending)` : "") +
    (uncertain > 0 ? `, ${uncertain} unanswered (recorded as sent, never sent twice)` : "") +
    (problem ? `; ${problem}` : "")
  );
}

/** "yes" when the pool still holds the user enabled and without a password of their own (RESET_REQUIRED). */
async function stillWithoutPassword(run: SignInCodeRun, user: DeclaredUser): Promise<"yes" | "no" | "unknown"> {
  try {
    const pool = await getPoolUser(run.cognito, run.userPoolId, user.username);
    return pool?.enabled && pool.status === "RESET_REQUIRED" ? "yes" : "no";
  } catch {
    return "unknown";
  }
}
