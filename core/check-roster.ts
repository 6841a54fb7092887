/**
 * Checks a roster from the bytes of its users files: decode each file (strict UTF-8), check it, then the
 * cross-file checks (duplicates), in file-path order. Pure: the files are found and read by load/load-roster.ts
 * (and by its worker threads), which hand their bytes here; nothing here touches the file system.
 */
import type { DeclaredUser } from "./declared-user";
import { type Diagnostic, type DiagnosticCode, shorten, sortDiagnostics } from "./diagnostics";
import type { PoolProfile } from "./profile";
import { findDuplicateUsers } from "./roster-duplicates";
import { findLookalikeIdentities } from "./lookalike-identities";
import { decodeUsersFileBytes } from "./users-file-bytes";
import type { UsersFileChecker, UsersFileResult } from "./users-file";

export interface LoadedRoster {
  users: DeclaredUser[];
  /** Sorted by file, line, column. */
  diagnostics: Diagnostic[];
  /** Users files found and read (or tried): those that failed to load count too. */
  fileCount: number;
  /** Paths (files, and folders or links of the tree) with at least one error. */
  filesWithErrors: number;
}

/**
 * Which phone numbers must differ between users: every one where phone_number is a username attribute (it names the
 * account), the verified ones where it is an alias ("the value provided can be in a verified state in only one
 * account"), none otherwise (two trainees may share a phone).
 */
function uniquePhoneRule(profile: PoolProfile): "all" | "verified" | undefined {
  if (profile.usernameAttributes.includes("phone_number")) return "all";
  return profile.aliasAttributes.includes("phone_number") ? "verified" : undefined;
}

/** Decodes (strict UTF-8) and checks the bytes of one file. */
export function checkUsersFileBytes(bytes: Uint8Array, file: string, check: UsersFileChecker): UsersFileResult {
  const decoded = decodeUsersFileBytes(bytes);
  if (decoded.problem !== undefined)
    return fileProblem(file, decoded.problem.line, decoded.problem.col, decoded.problem.code, decoded.problem.message);
  try {
    return check(decoded.text, file);
  } catch (e) {
    // A bug of ours must not become a stack trace, nor lose the other files: one diagnostic names the file.
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return fileProblem(file, 0, 0, "INTERNAL_ERROR", `the checker failed on this file (${shorten(what)}); please report it`);
  }
}

/** A whole file's problem (it could not be read, or decoded) as that file's only result. */
export function fileProblem(file: string, line: number, col: number, code: DiagnosticCode, message: string): UsersFileResult {
  return { file, users: [], identities: [], diagnostics: [{ file, line, col, severity: "error", code, message }] };
}

/**
 * The cross-file step: `results` in file-path order, plus the tree's path problems. Shared by the sequential and
 * the parallel loader.
 */
export function combineFileResults(
  results: readonly UsersFileResult[],
  profile: PoolProfile,
  pathDiagnostics: readonly Diagnostic[] = [],
): LoadedRoster {
  const duplicates = findDuplicateUsers(
    results.map((r) => r.identities),
    profile.usernameCaseSensitive,
    { uniquePhone: uniquePhoneRule(profile) },
  );
  const users: DeclaredUser[] = [];
  const lookalikes = findLookalikeIdentities(
    results.map((r) => r.identities),
    profile.usernameCaseSensitive,
  );
  const diagnostics: Diagnostic[] = [...duplicates.diagnostics, ...lookalikes, ...pathDiagnostics];
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
