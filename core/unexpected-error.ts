/**
 * An error no command caught, said in one line instead of a stack trace (cli/main.ts; its exit code is
 * core/exit-codes.ts `exitCodeForUnexpected`). Pure.
 */
import { withoutUrlCredentials } from "./untrusted-text";

/** A busy port says so plainly; otherwise the error's name and the first line of its message, without credentials. */
export function describeUnexpected(err: unknown): string {
  const e = err as { code?: string; name?: string; message?: string; port?: number };
  if (e?.code === "EADDRINUSE") {
    const port = e.port === undefined ? "the port" : `port ${e.port}`;
    return `${port} is already in use (EADDRINUSE): stop whatever listens there or choose another --port`;
  }
  const message = withoutUrlCredentials((e?.message ?? String(err)).split("\n")[0]);
  return e?.name && e.name !== "Error" ? `${e.name}: ${message}` : message;
}
