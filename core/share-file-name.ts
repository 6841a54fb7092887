/**
 * One string for a users file's name across its result (load/load-roster-parallel.ts): a result that comes back
 * from a worker thread carries a fresh copy of the file name in every place, and half a million users would carry
 * half a million copies of a few dozen names.
 */
import type { UsersFileResult } from "./users-file";

/** Points every place of `result` (each user's source, each identity's places) at `result.file`; returns `result`. */
export function shareFileName(result: UsersFileResult): UsersFileResult {
  const file = result.file;
  for (const user of result.users) user.source.file = file;
  for (const identity of result.identities) {
    identity.usernamePlace.file = file;
    if (identity.emailPlace) identity.emailPlace.file = file;
    if (identity.phonePlace) identity.phonePlace.file = file;
  }
  return result;
}
