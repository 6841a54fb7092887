/**
 * What kind of failure stopped a run (issue 22.6). Every error that crosses a boundary — out of the engine to the
 * CLI or to Pulumi — carries one of five kinds, and the CLI maps kinds to exit codes in one place
 * (core/exit-codes.ts `exitCodeFor`):
 * - `config`: the stack file, the environment or the pool's settings must change first (exit 2);
 * - `validation`: the users files have errors (exit 1);
 * - `refused`: a safety rail or a limit refused the work (exit 1);
 * - `aws`: AWS answered with an error (exit 1);
 * - `transient`: worth running again later — throttled, unreachable, another run's job, a wait that ran out (exit 1).
 *
 * Pure: kinds are read by a `kind` field (a brand that survives a second copy of a module, as serialised provider
 * code can load one) or, for the SDK's own errors, from their shape; never by `instanceof`.
 */

export type ErrorKind = "config" | "validation" | "refused" | "aws" | "transient";

const KINDS: readonly string[] = ["config", "validation", "refused", "aws", "transient"];

/** The one configuration error: a message saying what to set or fix; nothing was changed. Checked by `name`/`kind`. */
export class RosterConfigError extends Error {
  readonly name = "RosterConfigError";
  readonly kind = "config";
}

/** Errors AWS answers that mean "try again later", once the SDK's own retries are spent. */
const THROTTLING = new Set(["TooManyRequestsException", "ThrottlingException"]);
/** No answer at all: the connection failed or timed out (Node's error codes, the SDK's TimeoutError). */
const NO_ANSWER = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "EHOSTUNREACH", "ENETUNREACH"]);

/** The kind an error carries, or undefined for one nobody expected (a bug: exit 1 all the same). */
export function errorKind(err: unknown): ErrorKind | undefined {
  const e = err as { kind?: unknown; name?: string; code?: string; $metadata?: unknown; $fault?: string } | undefined;
  if (typeof e?.kind === "string" && KINDS.includes(e.kind)) return e.kind as ErrorKind;
  // The SDK found no credentials anywhere: the environment must change first.
  if (e?.name === "CredentialsProviderError") return "config";
  if (e?.name === "TimeoutError" || NO_ANSWER.has(e?.code ?? "")) return "transient";
  if (e?.$metadata !== undefined && typeof e.$metadata === "object")
    return e.$fault === "server" || THROTTLING.has(e.name ?? "") ? "transient" : "aws";
  return undefined;
}
