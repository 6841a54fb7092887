/**
 * A finding of the per-user rules (core/user-rules.ts, core/username-rules.ts, core/csv-text-rules.ts,
 * core/merged-user-rules.ts): plain data naming the key it is about and whether it points at the key, the value or
 * the whole entry; the caller (core/users-file.ts) turns that into a file:line:col.
 */
import type { Severity, DiagnosticCode } from "./diagnostics";

export interface UserFinding {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** The key the finding is about; absent for findings about the whole entry. */
  key?: string;
  part: "key" | "value" | "entry";
}

/** No findings: the common answer, shared rather than allocated per value. */
export const NO_FINDINGS: readonly UserFinding[] = Object.freeze([]);

/** An error finding; without a key it is about the whole entry. */
export function errorFinding(code: DiagnosticCode, key: string | undefined, part: UserFinding["part"], message: string): UserFinding {
  return key === undefined ? { code, severity: "error", message, part } : { code, severity: "error", message, key, part };
}
