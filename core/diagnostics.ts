/**
 * Diagnostics: every problem found in the users files or the stack profile, as plain data.
 *
 * A diagnostic names its place (file relative to the repository root, 1-based line and column), so that
 * people can fix it from a pull request log. Diagnostics are collected, never thrown; callers decide.
 */
import type { DiagnosticCode } from "./diagnostic-codes";
import { logLine, visible } from "./untrusted-text";

export type { DiagnosticCode } from "./diagnostic-codes";

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
  code: DiagnosticCode;
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

/**
 * Compiler-style: `users/london/2026-08.yaml:14:7: error CODE message`; a problem with a path as a whole (line 0)
 * is `users/london: error CODE message`. Text from the input (file names, values in messages) is shown the one way
 * core/untrusted-text.ts shows untrusted text in a terminal or a CI log: control, bidi and invisible characters as
 * escapes (`\x1b`, `\u202e`), one line, never a workflow command. JSON output carries the exact text instead.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const place = d.line > 0 ? `${visible(d.file)}:${d.line}:${d.col}` : visible(d.file);
  return logLine(`${place}: ${d.severity} ${d.code} ${d.message}`);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** A key or value quoted in a message, shortened with an ellipsis past `max` characters (the file has the rest). */
export function shorten(text: string, max = 80): string {
  if (text.length <= max) return text;
  // Do not cut a surrogate pair in half.
  const cut = (text.charCodeAt(max - 2) & 0xfc00) === 0xd800 ? max - 2 : max - 1;
  return `${text.slice(0, cut)}…`;
}
