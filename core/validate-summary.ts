/**
 * The last line of `cognito-roster validate`: what the diagnostics above it add up to. Pure.
 */
import type { Diagnostic } from "./diagnostics";
import { plural } from "./words";

/**
 * `3 errors, 1 warning in 12 files (57 users); 2 paths with errors`: counted from the diagnostics printed above
 * it, so the numbers always agree with the lines. Files that failed to load (unreadable, not UTF-8…) count as
 * files, with errors.
 */
export function summaryLine(diagnostics: readonly Diagnostic[], fileCount: number, userCount: number): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  // Paths named by the error lines printed above (users files, folders, links, CODEOWNERS…).
  const filesWithErrors = new Set(diagnostics.filter((d) => d.severity === "error").map((d) => d.file)).size;
  const warnings = diagnostics.length - errors;
  const failing = filesWithErrors > 0 ? `; ${plural(filesWithErrors, "path")} with errors` : "";
  const counts = `${plural(errors, "error")}, ${plural(warnings, "warning")} in ${plural(fileCount, "file")}`;
  return `${counts} (${plural(userCount, "user")})${failing}`;
}
