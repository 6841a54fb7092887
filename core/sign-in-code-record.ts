/**
 * The stored form of the sign-in code ledger (engine/code-ledger.ts), usernames as digests only, and the changes
 * a run appends to its journal as it goes. Pure data and pure functions: the engine keeps the ledger, the CLI and
 * the provider store it.
 *
 * A run saves its ledger after every batch of codes: writing the whole record each time would cost O(record) per
 * batch (at 100,000 trainees, 5,000 batches × 7 MB). It appends only what changed since its last save (a
 * `LedgerChange`), and writes the whole record once, at the end; a reader replays the changes newer than the record.
 */

export interface SignInCodeRecord {
  /** Owed a code, confirmed imported by one of our jobs. */
  pending: string[];
  /** Sent, or possibly sent: never sent again. */
  sent: string[];
  /** Of `sent`: the call got no answer (or a 5xx), so the code may or may not have gone out. */
  unknown?: string[];
  /** Of `pending`: Cognito refused the last attempt (nothing was sent). */
  refused?: string[];
  /** Job id → users the job may create: owed a code if, and only if, that job created them. */
  awaiting?: Record<string, string[]>;
  /** The pool this ledger describes (DescribeUserPool Arn and CreationDate). */
  pool?: { arn: string; createdAt: number };
  /** Grows with every save. */
  revision?: number;
}

/** Where one trainee stands in the ledger. */
export type CodeState = "pending" | "refused" | "sent" | "unknown" | "none";

/** What one save changed: each digest's new state, each job's awaited users (null: resolved). */
export interface LedgerChange {
  revision: number;
  pool?: SignInCodeRecord["pool"];
  set: Record<string, CodeState>;
  awaiting: Record<string, string[] | null>;
  /** The earlier record was dropped (another pool's): the change starts from an empty one. */
  reset?: boolean;
}

/** The record with `change` applied (a change not newer than the record is ignored). */
export function applyLedgerChange(record: SignInCodeRecord | undefined, change: LedgerChange): SignInCodeRecord {
  if ((record?.revision ?? 0) >= change.revision) return record ?? { pending: [], sent: [] };
  const base: SignInCodeRecord = !record || change.reset ? { pending: [], sent: [] } : record;
  const lists = {
    pending: new Set(base.pending),
    sent: new Set(base.sent),
    unknown: new Set(base.unknown ?? []),
    refused: new Set(base.refused ?? []),
  };
  for (const [digest, state] of Object.entries(change.set)) {
    for (const list of Object.values(lists)) list.delete(digest);
    if (state === "pending" || state === "refused") lists.pending.add(digest);
    if (state === "refused") lists.refused.add(digest);
    if (state === "sent" || state === "unknown") lists.sent.add(digest);
    if (state === "unknown") lists.unknown.add(digest);
  }
  const awaiting = { ...(base.awaiting ?? {}) };
  for (const [job, digests] of Object.entries(change.awaiting)) {
    if (digests === null || digests.length === 0) delete awaiting[job];
    else awaiting[job] = digests;
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return {
    pending: sorted(lists.pending),
    sent: sorted(lists.sent),
    ...(lists.unknown.size > 0 ? { unknown: sorted(lists.unknown) } : {}),
    ...(lists.refused.size > 0 ? { refused: sorted(lists.refused) } : {}),
    ...(Object.keys(awaiting).length > 0 ? { awaiting } : {}),
    ...((change.pool ?? base.pool) ? { pool: change.pool ?? base.pool } : {}),
    revision: change.revision,
  };
}
