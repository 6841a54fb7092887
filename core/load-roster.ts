/**
 * Loads and validates a whole users tree, synchronously: find the files, check each, then the cross-file checks.
 *
 * This is the public entry of the core and the one the Pulumi dynamic provider calls, so it must stay free of
 * worker threads, Pulumi and AWS, and must not build anything at module load (the provider serialises it).
 * For large trees on a multi-core machine, `load-roster-parallel.ts` gives the same result faster.
 */
import { closeSync, fstatSync, openSync, readSync } from "fs";
import type { DeclaredUser } from "./declared-user";
import { shorten, sortDiagnostics, type Diagnostic } from "./diagnostics";
import { scanUsersTree, toDisplayPath, type UserFileRef } from "./find-user-files";
import { decodeUsersFileBytes } from "./users-file-bytes";
import type { PoolProfile } from "./profile";
import { findDuplicateUsers } from "./roster-duplicates";
import { createUsersFileChecker, type UsersFileChecker, type UsersFileResult } from "./users-file";

export interface LoadRosterOptions {
  usersDir: string;
  /** Paths in diagnostics are relative to this directory. */
  repoRoot: string;
  profile: PoolProfile;
}

export interface LoadedRoster {
  users: DeclaredUser[];
  /** Sorted by file, line, column. */
  diagnostics: Diagnostic[];
  /** Users files found and read (or tried): those that failed to load count too. */
  fileCount: number;
  /** Paths (files, and folders or links of the tree) with at least one error. */
  filesWithErrors: number;
}

/** The largest users file read, in bytes: a bigger one is an error, not a long wait (see docs/users-files.md). */
export const MAX_USERS_FILE_BYTES = 10 * 1024 * 1024;

export function loadRoster(options: LoadRosterOptions): LoadedRoster {
  const scan = scanUsersTree(options.usersDir, options.repoRoot);
  if (scan === undefined) return missingUsersDir(options);
  const check = createUsersFileChecker(options.profile);
  return combineFileResults(scan.files.map((ref) => checkUserFile(ref, check)), options.profile, scan.diagnostics);
}

/** Reads and checks one file; a file that cannot be read, is too large or is not UTF-8 becomes a diagnostic. */
export function checkUserFile(ref: UserFileRef, check: UsersFileChecker): UsersFileResult {
  const bytes = readUsersFileBytes(ref.absolutePath);
  if (typeof bytes === "string") return fileProblem(ref.file, 0, 0, bytes.startsWith("FILE_TOO_LARGE") ? "FILE_TOO_LARGE" : "FILE_UNREADABLE", bytes.slice(bytes.indexOf(" ") + 1));
  return checkUsersFileBytes(bytes, ref.file, check);
}

/** Decodes (strict UTF-8) and checks the bytes of one file. Pure: no I/O. */
export function checkUsersFileBytes(bytes: Uint8Array, file: string, check: UsersFileChecker): UsersFileResult {
  const decoded = decodeUsersFileBytes(bytes);
  if (decoded.problem !== undefined) return fileProblem(file, decoded.problem.line, decoded.problem.col, decoded.problem.code, decoded.problem.message);
  try {
    return check(decoded.text, file);
  } catch (e) {
    // A bug of ours must not become a stack trace, nor lose the other files: one diagnostic names the file.
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return fileProblem(file, 0, 0, "INTERNAL_ERROR", `the checker failed on this file (${shorten(what)}); please report it`);
  }
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

function fileProblem(file: string, line: number, col: number, code: string, message: string): UsersFileResult {
  return { file, users: [], identities: [], diagnostics: [{ file, line, col, severity: "error", code, message }] };
}

/**
 * The cross-file step: `results` in file-path order, plus the tree's path problems. Shared by the sequential and
 * the parallel loader.
 */
export function combineFileResults(results: readonly UsersFileResult[], profile: PoolProfile, pathDiagnostics: readonly Diagnostic[] = []): LoadedRoster {
  const duplicates = findDuplicateUsers(
    results.map((r) => r.identities),
    profile.usernameCaseSensitive,
  );
  const users: DeclaredUser[] = [];
  const diagnostics: Diagnostic[] = [...duplicates.diagnostics, ...pathDiagnostics];
  results.forEach((result, fileIndex) => {
    const excluded = duplicates.duplicateUserIndexes[fileIndex];
    result.users.forEach((user, index) => {
      if (!excluded.has(index)) users.push(user);
    });
    for (const d of result.diagnostics) diagnostics.push(d);
  });
  const filesWithErrors = new Set(diagnostics.filter((d) => d.severity === "error").map((d) => d.file)).size;
  return { users, diagnostics: sortDiagnostics(diagnostics), fileCount: results.length, filesWithErrors };
}

export function missingUsersDir(options: LoadRosterOptions): LoadedRoster {
  const dir = toDisplayPath(options.usersDir, options.repoRoot) || ".";
  return {
    users: [],
    diagnostics: [{ file: dir, line: 0, col: 0, severity: "error", code: "USERS_DIR_NOT_FOUND", message: `the users directory ${dir} does not exist or is not a directory` }],
    fileCount: 0,
    filesWithErrors: 1,
  };
}
