/**
 * What an apply with `sendSignInCode: afterImport` plans to send (engine/send-sign-in-codes.ts sends them): the
 * trainees owed a first sign-in code now — new imports, pending and awaiting ones — and the ledger's counts, from a
 * record bound to this pool; and how many the apply may send, capped by what the pool's email can still send
 * (core/messaging-capacity.ts). Pure.
 */
import type { DeclaredUser } from "./declared-user";
import { messagingCapacity } from "./messaging-capacity";
import type { RosterPlan } from "./plan";
import type { SignInCodeRecord } from "./sign-in-code-record";
import { usernameDigest } from "./user-digest";

/** What the plan says about codes: owed now (an upper bound while jobs are awaited) and the ledger's counts. */
export interface PlannedSignInCodes {
  owed: number;
  awaiting: number;
  sent: number;
  unknown: number;
  refused: number;
}

/** What an apply would send now (new imports, pending and awaiting trainees) and what the ledger already holds. */
export function plannedSignInCodes(
  userPoolId: string,
  caseSensitive: boolean,
  toImport: readonly DeclaredUser[],
  declared: readonly DeclaredUser[],
  record: SignInCodeRecord | undefined,
  pool: { arn: string; createdAt: number },
): PlannedSignInCodes {
  const bound = record?.pool && (record.pool.arn !== pool.arn || record.pool.createdAt !== pool.createdAt) ? undefined : record;
  const sent = new Set(bound?.sent ?? []);
  const digestOf = (user: DeclaredUser) => usernameDigest(userPoolId, user.username, caseSensitive);
  const owed = new Set<string>();
  for (const user of toImport) if (!sent.has(digestOf(user))) owed.add(digestOf(user));
  const pending = new Set(bound?.pending ?? []);
  const awaiting = new Set(Object.values(bound?.awaiting ?? {}).flat());
  let awaited = 0;
  for (const user of declared) {
    const digest = digestOf(user);
    if (pending.has(digest)) owed.add(digest);
    else if (awaiting.has(digest) && !sent.has(digest) && !owed.has(digest)) awaited++;
  }
  return {
    owed: owed.size + awaited,
    awaiting: awaited,
    sent: sent.size,
    unknown: bound?.unknown?.length ?? 0,
    refused: bound?.refused?.length ?? 0,
  };
}

/** The roster's own codes beyond what SES can send now stay owed for a later apply (core/messaging-capacity.ts). */
export function codesCap(plan: Pick<RosterPlan, "messaging">): { maxCodes?: number } {
  const cap = plan.messaging ? messagingCapacity(plan.messaging)?.codesPerApply : undefined;
  return cap === undefined ? {} : { maxCodes: cap };
}
