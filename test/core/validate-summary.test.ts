/**
 * core/validate-summary.ts: validate's last line agrees with the diagnostics above it.
 */
import type { Diagnostic, DiagnosticCode } from "../../core/diagnostics";
import { summaryLine } from "../../core/validate-summary";

const at = (file: string, severity: "error" | "warning"): Diagnostic => ({
  file,
  line: 1,
  col: 1,
  severity,
  code: "X" as DiagnosticCode,
  message: "m",
});

test.each([
  { diagnostics: [], files: 1, users: 1, line: "0 errors, 0 warnings in 1 file (1 user)" },
  { diagnostics: [], files: 0, users: 0, line: "0 errors, 0 warnings in 0 files (0 users)" },
  { diagnostics: [at("a.yaml", "warning")], files: 2, users: 5, line: "0 errors, 1 warning in 2 files (5 users)" },
  {
    diagnostics: [at("a.yaml", "error"), at("a.yaml", "error"), at("b.yaml", "warning")],
    files: 12,
    users: 57,
    line: "2 errors, 1 warning in 12 files (57 users); 1 path with errors",
  },
  {
    diagnostics: [at("a.yaml", "error"), at(".github/CODEOWNERS", "error"), at("b.yaml", "warning")],
    files: 3,
    users: 2,
    line: "2 errors, 1 warning in 3 files (2 users); 2 paths with errors",
  },
])("$line", ({ diagnostics, files, users, line }) => {
  expect(summaryLine(diagnostics, files, users)).toBe(line);
});
