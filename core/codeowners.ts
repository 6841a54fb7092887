/**
 * Local offices own their folders: checks a CODEOWNERS file against the users folders. Reports a users folder
 * whose files no office-specific entry covers, and an entry naming a path that does not exist — both placed in
 * the CODEOWNERS file.
 *
 * Pure: the CODEOWNERS text, its display path, the users folders and an existence predicate in; diagnostics
 * out. Pattern matching follows GitHub's documented CODEOWNERS rules (gitignore-like; the last matching line
 * wins; `docs/*` owns only the files directly in docs/; a line with no owners un-assigns ownership).
 * It checks only when the file has at least one entry under the users folder: a repository that does not route
 * review of users files by path has nothing to check here.
 */
import type { Diagnostic, DiagnosticCode } from "./diagnostics";

export interface CodeownersEntry {
  pattern: string;
  owners: string[];
  /** 1-based line and column of the pattern. */
  line: number;
  col: number;
}

export interface CodeownersCheck {
  /** The CODEOWNERS text and its path relative to the repository root (for diagnostics). */
  text: string;
  file: string;
  /** The users folder relative to the repository root, forward slashes, no trailing slash (e.g. `users`). */
  usersDir: string;
  /** The office folders under it (names only, e.g. `london`). */
  officeFolders: readonly string[];
  /** Whether a path relative to the repository root exists (file or folder). */
  exists: (relativePath: string) => boolean;
}

export function parseCodeowners(text: string): CodeownersEntry[] {
  const entries: CodeownersEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, "");
    const match = /^(\s*)(\S+)(.*)$/.exec(line);
    if (!match) return;
    entries.push({ pattern: match[2], owners: match[3].trim().split(/\s+/).filter(Boolean), line: index + 1, col: match[1].length + 1 });
  });
  return entries;
}

/** A regular expression for the paths (files, relative to the root) a CODEOWNERS pattern matches. */
export function patternRegExp(pattern: string): RegExp {
  const anchored = pattern.startsWith("/") || pattern.replace(/\/$/, "").includes("/");
  const directoryOnly = pattern.endsWith("/");
  const directFilesOnly = pattern.endsWith("/*");
  const body = pattern.replace(/^\//, "").replace(/\/$/, "");
  let source = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (body.startsWith("**/", i)) {
      source += "(?:.*/)?";
      i += 2;
    } else if (body.startsWith("/**", i) && i + 3 === body.length) {
      source += "/.*";
      i += 2;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  const tail = directoryOnly ? "/.*" : directFilesOnly ? "" : "(?:/.*)?";
  return new RegExp(`^${anchored ? "" : "(?:.*/)?"}${source}${tail}$`);
}

/** The entry that decides a path's owners: the last one that matches. */
export function effectiveEntry(entries: readonly CodeownersEntry[], filePath: string): CodeownersEntry | undefined {
  for (let i = entries.length - 1; i >= 0; i--) if (patternRegExp(entries[i].pattern).test(filePath)) return entries[i];
  return undefined;
}

export function checkCodeowners(check: CodeownersCheck): Diagnostic[] {
  const entries = parseCodeowners(check.text);
  const usersPrefix = `${check.usersDir}/`;
  const usersEntries = entries.filter((e) => e.pattern.replace(/^\//, "").startsWith(usersPrefix));
  if (usersEntries.length === 0) return [];
  const diagnostics: Diagnostic[] = [];
  const at = (entry: Pick<CodeownersEntry, "line" | "col">, code: DiagnosticCode, message: string) =>
    diagnostics.push({ file: check.file, line: entry.line, col: entry.col, severity: "error", code, message });

  // A folder is an office's own when the entry deciding its files would not also decide another office's files.
  const elsewhere = `${usersPrefix}~no-such-office~/file.yaml`;
  const lastUsersEntry = usersEntries[usersEntries.length - 1];
  for (const office of [...check.officeFolders].sort()) {
    const entry = effectiveEntry(entries, `${usersPrefix}${office}/file.yaml`);
    const specific = entry !== undefined && entry.owners.length > 0 && !patternRegExp(entry.pattern).test(elsewhere);
    if (!specific) {
      at(
        lastUsersEntry,
        "CODEOWNERS_FOLDER_NOT_OWNED",
        `${usersPrefix}${office}/ has no CODEOWNERS entry of its own` +
          `${entry && entry.owners.length > 0 ? ` (only ${entry.pattern}, line ${entry.line})` : ""}` +
          `: add a line \`/${usersPrefix}${office}/ @org/team\``,
      );
    }
  }
  for (const entry of entries) {
    // Only literal, anchored paths can be checked: a pattern without a slash may match at any depth.
    const anchored = entry.pattern.startsWith("/") || entry.pattern.replace(/\/$/, "").includes("/");
    if (/[*?[]/.test(entry.pattern) || !anchored) continue;
    const target = entry.pattern.replace(/^\//, "").replace(/\/$/, "");
    if (target === "" || check.exists(target)) continue;
    at(entry, "CODEOWNERS_PATH_MISSING", `${entry.pattern} does not exist in the repository: remove the line or fix the path`);
  }
  return diagnostics;
}
