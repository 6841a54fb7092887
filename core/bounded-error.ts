/**
 * The error a Pulumi provider sends back to the host, bounded: its message crosses the host's 64 KB gRPC trailer,
 * so a roster with thousands of invalid users says how many and shows the first ones (`cognito-roster validate`
 * lists them all); an AWS failure names its call, pool and request id (what AWS support asks for); a URL's
 * credentials never reach Pulumi's output. Pure: the provider (providers/roster-engine-entry.ts) passes the AWS
 * layer's description of a failed call in.
 */
import { type Diagnostic, formatDiagnostic, sortDiagnostics } from "./diagnostics";
import { preformattedLine, withoutUrlCredentials } from "./untrusted-text";

/** Errors shown in full up to this many lines: a thrown error's message travels in the gRPC trailer (64 KB). */
const MAX_ERROR_LINES = 50;
const MAX_ERROR_CHARACTERS = 16_000;

/**
 * `err` as the host may send it. `describeCall` names the AWS call an error came from (aws/aws-failure.ts
 * describeAwsCall), or undefined for an error that is not an AWS failure.
 */
export function boundedError(err: unknown, describeCall: (err: Error) => string | undefined): Error {
  if (!(err instanceof Error)) return new Error(withoutUrlCredentials(String(err)));
  // An AWS failure names its call, pool and request id (aws/aws-failure.ts): what AWS support asks for.
  const call = describeCall(err);
  if (call !== undefined) {
    const named = new Error(`${err.message} (${call})`);
    named.name = err.name;
    return boundedError(named, describeCall);
  }
  // An SDK or network error may quote the endpoint with its credentials: they never reach Pulumi's output.
  if (withoutUrlCredentials(err.message) !== err.message) {
    const shown = new Error(withoutUrlCredentials(err.message));
    shown.name = err.name;
    return boundedError(shown, describeCall);
  }
  const text = err.name === "RosterValidationError" ? validationLines(err as Error & { diagnostics: readonly Diagnostic[] }) : err.message;
  const lines = text.split("\n");
  if (lines.length <= MAX_ERROR_LINES && text.length <= MAX_ERROR_CHARACTERS) return err;
  const more = lines.length > MAX_ERROR_LINES ? `and ${lines.length - MAX_ERROR_LINES} more lines` : "cut short";
  const shown = lines.slice(0, MAX_ERROR_LINES).join("\n").slice(0, MAX_ERROR_CHARACTERS);
  const bounded = new Error(`${shown}\n… ${more}; \`npx cognito-roster validate\` lists every problem`);
  bounded.name = err.name;
  return bounded;
}

/** A RosterValidationError (engine/roster-run-errors.ts) as lines: a count, then each error, escaped. */
function validationLines(err: { diagnostics: readonly Diagnostic[] }): string {
  const errors = sortDiagnostics(err.diagnostics).filter((d) => d.severity === "error");
  return [
    `${errors.length} problem(s) in the users files; nothing was applied:`,
    ...errors.map((d) => preformattedLine(formatDiagnostic(d))),
  ].join("\n");
}
