/**
 * How each user the roster declared before and declares no more can be found without a scan (engine/
 * find-removed-users.ts reads them, one AdminGetUser each): by their username from the pull request's base files
 * (`--base-users`), else by the `sub` the applied record keeps (core/user-digest.ts `withSub`, `removedEntry`) —
 * trusted only while the record's binding matches the pool. Those nothing names are left to a scan. Pure.
 */
import { type AppliedDigests, recordedSub } from "./user-digest";

export interface RemovedHandles {
  /** Digest → the username or `sub` to read them by. */
  readable: Map<string, string>;
  /** The digests in `readable` read by a recorded `sub` (not by a base file's username). */
  bySub: Set<string>;
  /** Digests nothing names: only a scan can find them. */
  unnamed: string[];
}

/**
 * Sorts the removed digests into those a point read can reach and those it cannot. `previous` is the record whose
 * subs may be used: undefined when its binding does not match the pool.
 */
export function removedUserHandles(
  removed: readonly string[],
  previous: AppliedDigests | undefined,
  baseNames: ReadonlyMap<string, { username: string }> | undefined,
): RemovedHandles {
  const handles: RemovedHandles = { readable: new Map(), bySub: new Set(), unnamed: [] };
  for (const digest of removed) {
    const baseName = baseNames?.get(digest)?.username;
    const handle = baseName ?? recordedSub(previous?.[digest] ?? "");
    if (handle === undefined) handles.unnamed.push(digest);
    else handles.readable.set(digest, handle);
    if (baseName === undefined && handle !== undefined) handles.bySub.add(digest);
  }
  return handles;
}
