/**
 * Diagnostics: every problem found in the users files or the stack profile, as plain data.
 *
 * A diagnostic names its place (file relative to the repository root, 1-based line and column), so that
 * people can fix it from a pull request log. Diagnostics are collected, never thrown; callers decide.
 */

export type Severity = "error" | "warning";

export interface Diagnostic {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  col: number;
  severity: Severity;
  /** Stable, upper snake case (e.g. DUPLICATE_USERNAME); tests and tools match on it. */
  code: string;
  message: string;
}

/** Sorted by file, then line, then column: the order people read a report in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.col - b.col ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/** Compiler-style: `users/london/2026-08.yaml:14:7: error CODE message`. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code} ${d.message}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
