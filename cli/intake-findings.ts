/**
 * The findings of an intake and how they are printed: on stderr, sorted, compiler-style, the first MAX_REPORTED of
 * them and how many more, then the count of problems and "nothing written".
 */
import type { Diagnostic } from "../core/diagnostics";
import { formatDiagnosticFor } from "./command-line";
import { EXIT_PROBLEMS } from "../core/exit-codes";
import { plural } from "../core/words";

/** Diagnostics printed at most: a spreadsheet with a problem in every row is answered with the first ones and a count. */
const MAX_REPORTED = 1000;

/** The findings of an intake, the first MAX_REPORTED kept to print and every one counted. */
export class Findings {
  readonly shown: Diagnostic[] = [];
  total = 0;
  errors = 0;

  static of(diagnostics: readonly Diagnostic[]): Findings {
    const findings = new Findings();
    for (const d of diagnostics) findings.add(d);
    return findings;
  }

  add(d: Diagnostic): void {
    this.total++;
    if (d.severity === "error") this.errors++;
    if (this.shown.length < MAX_REPORTED) this.shown.push(d);
  }

  print(): void {
    const sorted = [...this.shown].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
    for (const d of sorted) process.stderr.write(`${formatDiagnosticFor(d, process.stderr)}\n`);
    if (this.total > this.shown.length)
      process.stderr.write(
        `cognito-roster intake: ${plural(this.total - this.shown.length, "more finding")} not shown (the first ${MAX_REPORTED} are)\n`,
      );
  }
}

/** Prints the findings and says nothing was written: exit 1. */
export function fail(findings: Findings): number {
  findings.print();
  process.stderr.write(`cognito-roster intake: ${plural(findings.errors, "problem")}; nothing written\n`);
  return EXIT_PROBLEMS;
}
