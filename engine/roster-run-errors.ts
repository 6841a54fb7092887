/**
 * The errors a plan or apply stops with, each with its kind (what the CLI maps to an exit code): invalid users
 * files, a plan the safety rails refuse, a pool without import jobs left. Checked by `name`, not instanceof.
 */
import { type Diagnostic, formatDiagnostic } from "../core/diagnostics";

/** Invalid users files: carries every diagnostic. Checked by `name`, not instanceof. */
export class RosterValidationError extends Error {
  readonly name = "RosterValidationError";
  readonly kind = "validation";
  constructor(readonly diagnostics: Diagnostic[]) {
    super(
      `the users files have errors:\n${diagnostics
        .filter((d) => d.severity === "error")
        .map(formatDiagnostic)
        .join("\n")}`,
    );
  }
}

/** A plan the safety rails refuse to apply. */
export class PlanRefusedError extends Error {
  readonly name = "PlanRefusedError";
  readonly kind = "refused";
}

/** The pool has no import jobs left for this apply (core/import-job-budget.ts). */
export class ImportBudgetError extends Error {
  readonly name = "ImportBudgetError";
  readonly kind = "refused";
}
