/**
 * Calls that must not be repeated blindly: AdminResetUserPassword (a repeat sends the trainee a second code),
 * CreateUserImportJob (a repeat creates a second job, and the first one looks like another run's) and
 * StartUserImportJob (a repeat is refused, and the run would take its own job for another run's).
 *
 * The SDK's retry strategy repeats an attempt that got no answer (a dropped connection, a timeout) or a 5xx, though
 * the service may have acted on it. For these calls such an attempt is turned, inside the retry loop, into an
 * UnansweredCallError, which the strategy does not retry (no HTTP status, no transient name or code); the caller
 * then finds out what happened from the service. Throttling and other 4xx answers (nothing was done) and a refused
 * connection (nothing reached the service) are left to the strategy as usual.
 */
import type { FinalizeHandler, FinalizeHandlerArguments, MetadataBearer, RelativeMiddlewareOptions } from "@smithy/types";
import { errorName } from "./error-name";

/** Checked by `name`; `unansweredError` is the name of the error the attempt ended with. */
interface UnansweredCallError extends Error {
  name: "UnansweredCallError";
  unansweredError: string;
}

const NOT_SENT_CODES = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"];

/** The name of the error the unanswered attempt ended with, or undefined when `err` is not an unanswered call. */
export function unansweredErrorName(err: unknown): string | undefined {
  return errorName(err) === "UnansweredCallError" ? (err as UnansweredCallError).unansweredError : undefined;
}

/** True when the service answered with a 4xx: it refused the request and did nothing. */
export function answeredRefusal(err: unknown): boolean {
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return typeof status === "number" && status >= 400 && status < 500;
}

const NEVER_REPEAT_UNANSWERED: RelativeMiddlewareOptions = {
  relation: "after",
  toMiddleware: "retryMiddleware",
  name: "cognitoRosterNeverRepeatUnanswered",
};

/** Adds the guard to one command (before it is sent). */
export function neverRepeatUnanswered<C extends { middlewareStack: { addRelativeTo(m: unknown, o: RelativeMiddlewareOptions): void } }>(
  command: C,
  operation: string,
): C {
  const middleware =
    <Output extends MetadataBearer>(next: FinalizeHandler<object, Output>): FinalizeHandler<object, Output> =>
    async (args: FinalizeHandlerArguments<object>) => {
      try {
        return await next(args);
      } catch (err) {
        const code = String((err as { code?: string }).code ?? "");
        if (answeredRefusal(err) || NOT_SENT_CODES.includes(code)) throw err;
        const name = errorName(err) || "Error";
        throw Object.assign(new Error(`${operation} got no answer (${name}); not repeated: the service may have acted`), {
          name: "UnansweredCallError",
          unansweredError: name,
        });
      }
    };
  command.middlewareStack.addRelativeTo(middleware, NEVER_REPEAT_UNANSWERED);
  return command;
}
