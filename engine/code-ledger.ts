/**
 * The ledger of first sign-in codes (`sendSignInCode: afterImport`), usernames as digests only: who is owed a code,
 * who was sent one (or possibly sent one), and whose owing waits on an import job's outcome.
 *
 * At most once and, unless refused, at least once:
 * - owed ahead: the users of a job are written down under the job's id BEFORE StartUserImportJob (`awaiting`), so
 *   a run interrupted at any point after the start leaves a record of whom the job may create; whoever resolves
 *   that entry later (the run itself once the job is confirmed, or the next apply) moves to `pending` exactly the
 *   users the job created — by evidence (its log line, its counters, or the user's creation time inside the job's
 *   run), never by the user's status alone — and forgets the rest;
 * - a code is marked `sent` before its call is made (written ahead), moved back to `pending` only when Cognito
 *   refused it (a 4xx answer: nothing was sent), and kept in `unknown` too when the call got no answer;
 * - the ledger is bound to the pool it describes (its ARN and creation date, as core/pool-binding.ts binds the
 *   applied digests): a ledger of a deleted and re-created pool describes no user of the new one and is dropped, so
 *   the trainees imported again are owed their code again.
 * `revision` grows with every save, so of two copies (a journal written mid-run and a state written after it) the
 * newer can be told. A save hands the store only what changed since the last one (O(changes) per batch), and the
 * whole record only to a store that asks for it.
 */
import type { PoolDescription } from "../aws/pool-users";
import type { CodeState, LedgerChange, SignInCodeRecord } from "../core/sign-in-code-record";

/** How the ledger is kept: the whole record at each save, and/or only what changed (core/sign-in-code-record.ts). */
export interface LedgerStore {
  save?: (record: SignInCodeRecord) => void;
  append?: (change: LedgerChange) => void;
}

/** Counts for people: what is owed, done, unknown and refused (no personal data). */
export interface LedgerCounts {
  /** Confirmed owed, not yet sent. */
  pending: number;
  /** Owed if an import job's outcome says so (resolved by the next apply). */
  awaiting: number;
  sent: number;
  unknown: number;
  refused: number;
}

export class CodeLedger {
  readonly pending: Set<string>;
  readonly sent: Set<string>;
  readonly unknown: Set<string>;
  readonly refused: Set<string>;
  readonly awaiting: Map<string, Set<string>>;
  private pool: SignInCodeRecord["pool"];
  private revision: number;
  /** Why the earlier record was dropped, if it was. */
  readonly dropped?: string;
  private readonly dirty = new Set<string>();
  private readonly dirtyJobs = new Set<string>();
  /** The next change starts from an empty record (the earlier one was dropped). */
  private reset: boolean;

  constructor(
    record: SignInCodeRecord | undefined,
    pool: PoolDescription,
    private readonly store: LedgerStore = {},
  ) {
    this.dropped = record?.pool && (record.pool.arn !== pool.arn || record.pool.createdAt !== pool.createdAt) ? DROPPED : undefined;
    const kept = this.dropped ? undefined : record;
    this.pending = new Set(kept?.pending ?? []);
    this.sent = new Set(kept?.sent ?? []);
    this.unknown = new Set(kept?.unknown ?? []);
    this.refused = new Set(kept?.refused ?? []);
    this.awaiting = new Map(Object.entries(kept?.awaiting ?? {}).map(([job, digests]) => [job, new Set(digests)]));
    this.pool = { arn: pool.arn, createdAt: pool.createdAt };
    this.revision = record?.revision ?? 0;
    this.reset = this.dropped !== undefined;
  }

  private touch(digest: string): void {
    this.dirty.add(digest);
  }

  private stateOf(digest: string): CodeState {
    if (this.unknown.has(digest)) return "unknown";
    if (this.sent.has(digest)) return "sent";
    if (this.refused.has(digest)) return "refused";
    return this.pending.has(digest) ? "pending" : "none";
  }

  snapshot(): SignInCodeRecord {
    const awaiting = Object.fromEntries([...this.awaiting].filter(([, d]) => d.size > 0).map(([job, d]) => [job, [...d].sort()]));
    return {
      pending: [...this.pending].sort(),
      sent: [...this.sent].sort(),
      ...(this.unknown.size > 0 ? { unknown: [...this.unknown].sort() } : {}),
      ...(this.refused.size > 0 ? { refused: [...this.refused].sort() } : {}),
      ...(Object.keys(awaiting).length > 0 ? { awaiting } : {}),
      ...(this.pool ? { pool: this.pool } : {}),
      revision: this.revision,
    };
  }

  save(): void {
    this.revision++;
    if (this.store.append) {
      const set: Record<string, CodeState> = {};
      for (const d of this.dirty) set[d] = this.stateOf(d);
      const awaiting: Record<string, string[] | null> = {};
      for (const job of this.dirtyJobs) awaiting[job] = this.awaiting.has(job) ? [...(this.awaiting.get(job) ?? [])].sort() : null;
      this.store.append({ revision: this.revision, pool: this.pool, set, awaiting, ...(this.reset ? { reset: true } : {}) });
    }
    this.store.save?.(this.snapshot());
    this.dirty.clear();
    this.dirtyJobs.clear();
    this.reset = false;
  }

  counts(): LedgerCounts {
    let awaiting = 0;
    for (const digests of this.awaiting.values()) awaiting += digests.size;
    return { pending: this.pending.size, awaiting, sent: this.sent.size, unknown: this.unknown.size, refused: this.refused.size };
  }

  /** Before StartUserImportJob: these users are owed a code if this job creates them. Saved at once. */
  expect(jobId: string, digests: Iterable<string>): void {
    const owed = [...digests].filter((d) => !this.sent.has(d));
    if (owed.length === 0) return;
    const set = this.awaiting.get(jobId) ?? new Set<string>();
    for (const d of owed) set.add(d);
    this.awaiting.set(jobId, set);
    this.dirtyJobs.add(jobId);
    this.save();
  }

  /** The job's outcome is known: those it created are owed (unless already sent one), the rest are not. */
  settle(jobId: string, createdByJob: ReadonlySet<string>): void {
    const expected = this.awaiting.get(jobId);
    if (!expected) return;
    for (const d of expected) {
      if (createdByJob.has(d) && !this.sent.has(d)) {
        this.pending.add(d);
        this.touch(d);
      }
    }
    this.awaiting.delete(jobId);
    this.dirtyJobs.add(jobId);
  }

  /** The job was not started by this run: it creates nobody we owe a code. Saved at once. */
  retract(jobId: string): void {
    if (!this.awaiting.delete(jobId)) return;
    this.dirtyJobs.add(jobId);
    this.save();
  }

  markSent(digest: string): void {
    this.pending.delete(digest);
    this.refused.delete(digest);
    this.sent.add(digest);
    this.touch(digest);
  }

  markUnknown(digest: string): void {
    this.markSent(digest);
    this.unknown.add(digest);
  }

  /** Nothing was sent (Cognito refused the call, or it was never made): owed again. */
  markOwed(digest: string, refused: boolean): void {
    this.sent.delete(digest);
    this.unknown.delete(digest);
    this.pending.add(digest);
    if (refused) this.refused.add(digest);
    this.touch(digest);
  }

  /** Owed nothing any more (set a password, gone, no longer declared). */
  forget(digest: string): void {
    this.pending.delete(digest);
    this.refused.delete(digest);
    this.touch(digest);
  }

  /** Nothing was sent and nothing is owed (the user is gone from the pool). */
  clear(digest: string): void {
    this.sent.delete(digest);
    this.unknown.delete(digest);
    this.forget(digest);
  }
}

const DROPPED =
  "the sign-in code record describes another pool (deleted and re-created, restored, or another account): " +
  "it no longer applies, and trainees imported into this pool are owed their code";
