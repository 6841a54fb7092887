/**
 * Loads and validates a whole users tree, synchronously: find the files (find-user-files.ts), read each one's
 * bytes, and hand them to the pure checks in core/check-roster.ts. The one module that reads users files for the
 * CLI, the Pulumi program and the engine. For large trees on a multi-core machine, `load-roster-parallel.ts` gives
 * the same result faster.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { checkUsersFileBytes, combineFileResults, fileProblem, type LoadedRoster } from "../core/check-roster";
import type { PoolProfile } from "../core/profile";
import { createUsersFileChecker, type UsersFileChecker, type UsersFileResult } from "../core/users-file";
import { MAX_USERS_FILE_BYTES } from "../core/users-file-bytes";
import { scanUsersTree, toDisplayPath, type UserFileRef } from "./find-user-files";

export type { LoadedRoster } from "../core/check-roster";

export interface LoadRosterOptions {
  usersDir: string;
  /** Paths in diagnostics are relative to this directory. */
  repoRoot: string;
  profile: PoolProfile;
}

export function loadRoster(options: LoadRosterOptions): LoadedRoster {
  const scan = scanUsersTree(options.usersDir, options.repoRoot);
  if (scan === undefined) return missingUsersDir(options);
  const check = createUsersFileChecker(options.profile);
  return combineFileResults(
    scan.files.map((ref) => checkUserFile(ref, check)),
    options.profile,
    scan.diagnostics,
  );
}

/** Reads and checks one file; a file that cannot be read, is too large or is not UTF-8 becomes a diagnostic. */
export function checkUserFile(ref: UserFileRef, check: UsersFileChecker): UsersFileResult {
  const bytes = readUsersFileBytes(ref.absolutePath);
  if (typeof bytes === "string")
    return fileProblem(
      ref.file,
      0,
      0,
      bytes.startsWith("FILE_TOO_LARGE") ? "FILE_TOO_LARGE" : "FILE_UNREADABLE",
      bytes.slice(bytes.indexOf(" ") + 1),
    );
  return checkUsersFileBytes(bytes, ref.file, check);
}

/**
 * The file's bytes, or "CODE message" when it cannot be read. Reads through one descriptor, checking the size
 * on it, so that a file swapped or grown between the listing and the read is still bounded.
 */
function readUsersFileBytes(absolutePath: string): Buffer | string {
  let fd: number | undefined;
  try {
    fd = openSync(absolutePath, "r");
    const stats = fstatSync(fd);
    if (!stats.isFile()) return "FILE_UNREADABLE this is not a regular file: it is not read";
    if (stats.size > MAX_USERS_FILE_BYTES) {
      return `FILE_TOO_LARGE the file is ${stats.size} bytes; a users file may be at most ${MAX_USERS_FILE_BYTES} bytes (10 MiB): split it`;
    }
    const buffer = Buffer.alloc(stats.size);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } catch (e) {
    return `FILE_UNREADABLE cannot read the file (${(e as NodeJS.ErrnoException).code ?? "unknown error"})`;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function missingUsersDir(options: LoadRosterOptions): LoadedRoster {
  const dir = toDisplayPath(options.usersDir, options.repoRoot) || ".";
  return {
    users: [],
    diagnostics: [
      {
        file: dir,
        line: 0,
        col: 0,
        severity: "error",
        code: "USERS_DIR_NOT_FOUND",
        message: `the users directory ${dir} does not exist or is not a directory`,
      },
    ],
    fileCount: 0,
    filesWithErrors: 1,
  };
}
