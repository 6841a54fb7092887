/**
 * The `sub` of every user the roster applied, kept in the applied record (core/user-digest.ts `withSub`) so that a
 * user who disappears from the files is found by one point read (engine/find-removed-users.ts), with no base files
 * and no ListUsers scan. Where each `sub` comes from, at no call or at O(changes):
 *  - a user the plan looked up: the pool's copy (the pool decides, over an older record);
 *  - a user the plan did not look up: the record's `sub`, or one noted by a scan the run made anyway;
 *  - a user this apply imported: the confirmation's pool copy when it read one, else one AdminGetUser after the
 *    import — for at most 120 users (one second of AdminGetUser quota). Those reads are a cache's: one that fails
 *    leaves that user's `sub` unknown, it never fails the apply.
 * A larger import (onboarding a whole roster) is not read again: onboarding stays a handful of calls at any size
 * (BENCHMARKS.md), and those users, like entries written before subs were kept, get their `sub` from the next scan
 * a run makes anyway — `pulumi refresh` (the scheduled weekly refresh), `cognito-roster apply --full`, or the first
 * removal nothing else names, which pays that one scan (as before subs were kept) and fills in everyone's.
 * Which subs a plan knows and which it still has to note is decided in core/applied-subs.ts.
 */
import { normalizeUsername } from "../core/user-digest";
import type { UserReads } from "../aws/ports";
import { errorName } from "../aws/error-name";
import { forEachLimited } from "./observe-pool";

/** Imported users whose `sub` is read after the import, at most (one second of AdminGetUser quota). */
const POINT_READS_UP_TO = 120;

export interface ImportedSubsRequest {
  caseSensitive: boolean;
  /** Usernames of the imported users whose `sub` is not known yet. */
  usernames: readonly string[];
  progress?: (message: string) => void;
}

/** The `sub` of each user this apply imported, by normalised username; users not read stay unknown. */
export async function readImportedSubs(users: UserReads, request: ImportedSubsRequest): Promise<Map<string, string>> {
  const subs = new Map<string, string>();
  const wanted = new Set(request.usernames.map((u) => normalizeUsername(u, request.caseSensitive)));
  if (wanted.size === 0) return subs;
  if (wanted.size > POINT_READS_UP_TO) {
    request.progress?.(
      `${wanted.size} imported users: their subs are left to the next scan (pulumi refresh, apply --full), not read one by one`,
    );
    return subs;
  }
  try {
    await forEachLimited([...wanted], 8, async (key) => {
      const sub = (await users.getUser(key))?.attributes.sub;
      if (sub) subs.set(key, sub);
    });
  } catch (err) {
    request.progress?.(
      `could not read the sub of every imported user (${errorName(err) || (err as Error).message}): the next scan fills them in`,
    );
  }
  return subs;
}
