/**
 * Loads and validates a whole users tree, synchronously: find the files, check each, then the cross-file checks.
 *
 * This is the public entry of the core and the one the Pulumi dynamic provider calls, so it must stay free of
 * worker threads, Pulumi and AWS, and must not build anything at module load (the provider serialises it).
 * For large trees on a multi-core machine, `load-roster-parallel.ts` gives the same result faster.
 */
import { readFileSync } from "fs";
import type { DeclaredUser } from "./declared-user";
import { sortDiagnostics, type Diagnostic } from "./diagnostics";
import { findUserFiles, toDisplayPath, type UserFileRef } from "./find-user-files";
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
  fileCount: number;
}

export function loadRoster(options: LoadRosterOptions): LoadedRoster {
  const files = findUserFiles(options.usersDir, options.repoRoot);
  if (files === undefined) return missingUsersDir(options);
  const check = createUsersFileChecker(options.profile);
  return combineFileResults(files.map((ref) => checkUserFile(ref, check)), options.profile);
}

/** Reads and checks one file; an unreadable file becomes a diagnostic. */
export function checkUserFile(ref: UserFileRef, check: UsersFileChecker): UsersFileResult {
  let text: string;
  try {
    text = readFileSync(ref.absolutePath, "utf8");
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? "unknown error";
    return {
      file: ref.file,
      users: [],
      identities: [],
      diagnostics: [{ file: ref.file, line: 1, col: 1, severity: "error", code: "FILE_UNREADABLE", message: `cannot read the file (${reason})` }],
    };
  }
  return check(text, ref.file);
}

/** The cross-file step: `results` in file-path order. Shared by the sequential and the parallel loader. */
export function combineFileResults(results: readonly UsersFileResult[], profile: PoolProfile): LoadedRoster {
  const duplicates = findDuplicateUsers(
    results.map((r) => r.identities),
    profile.usernameCaseSensitive,
  );
  const users: DeclaredUser[] = [];
  const diagnostics: Diagnostic[] = [...duplicates.diagnostics];
  results.forEach((result, fileIndex) => {
    const excluded = duplicates.duplicateUserIndexes[fileIndex];
    result.users.forEach((user, index) => {
      if (!excluded.has(index)) users.push(user);
    });
    for (const d of result.diagnostics) diagnostics.push(d);
  });
  return { users, diagnostics: sortDiagnostics(diagnostics), fileCount: results.length };
}

export function missingUsersDir(options: LoadRosterOptions): LoadedRoster {
  const dir = toDisplayPath(options.usersDir, options.repoRoot) || ".";
  return {
    users: [],
    diagnostics: [{ file: dir, line: 1, col: 1, severity: "error", code: "USERS_DIR_NOT_FOUND", message: `the users directory ${dir} does not exist` }],
    fileCount: 0,
  };
}
