/**
 * What an apply's import jobs put in the pool, tallied (engine/apply-imports.ts acts on it): each user now in the
 * pool imported by this run or already present (someone else's import got there first), their `sub` where the
 * confirmation read it, and those not converged — an account someone else created may hold other values or another
 * enabled state, so it stays out of the applied record until a later run, which looks at it again, updates it. Pure.
 */
import { differingAttributes } from "./compare-attributes";
import type { DeclaredUser } from "./declared-user";
import type { PoolUser } from "./pool-user";
import { normalizeUsername } from "./user-digest";

export interface ImportTally {
  imported: number;
  /** Imported by someone else before our job reached them: in the pool, not failures. */
  alreadyPresent: number;
  importedByThisRun: DeclaredUser[];
  /** The `sub` of each user whose confirmation read it, by normalised username. */
  subs: Map<string, string>;
  /** Users in the pool whose `sub` the confirmation did not read (confirmed by counters or log). */
  withoutSub: string[];
  /** Usernames in the pool but not as declared. */
  notConverged: string[];
}

/** `present`: the users in the pool after the jobs, with the pool's copy and whether this run's job created them. */
export function tallyImportOutcome(
  present: readonly { user: DeclaredUser; pool: PoolUser; byThisJob: boolean }[],
  caseSensitive: boolean,
): ImportTally {
  const tally: ImportTally = { imported: 0, alreadyPresent: 0, importedByThisRun: [], subs: new Map(), withoutSub: [], notConverged: [] };
  for (const { user, pool, byThisJob } of present) {
    if (pool.attributes.sub) tally.subs.set(normalizeUsername(user.username, caseSensitive), pool.attributes.sub);
    else tally.withoutSub.push(user.username);
    if (byThisJob) {
      tally.imported++;
      tally.importedByThisRun.push(user);
    } else tally.alreadyPresent++;
    if (differingAttributes(user, pool).length > 0 || pool.enabled !== user.enabled) tally.notConverged.push(user.username);
  }
  return tally;
}
