/**
 * The exit codes of every `cognito-roster` command, in one place: 0 ok, 1 problems found or the work failed, 2 usage
 * or configuration. A failure's exit code follows from its kind (core/roster-errors.ts); an error no command caught
 * has one too. bin/cognito-roster.js names its two as literals, because it runs when dist/ cannot be loaded. Pure.
 */
import { type ErrorKind, errorKind } from "./roster-errors";

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/** What --help says of them, under every command's flags and the top-level usage. */
export const EXIT_CODES_HELP = "exit codes: 0 ok, 1 problems found or failed, 2 usage or configuration error";

/** The one map from a failure's kind to the exit code; an error of no kind is a problem. */
const EXIT_BY_KIND: Record<ErrorKind, number> = {
  config: EXIT_USAGE,
  validation: EXIT_PROBLEMS,
  refused: EXIT_PROBLEMS,
  aws: EXIT_PROBLEMS,
  transient: EXIT_PROBLEMS,
};

/** The exit code of a failure a command reports (cli/command-context.ts `reportFailure`). */
export function exitCodeFor(err: unknown): number {
  const kind = errorKind(err);
  return kind === undefined ? EXIT_PROBLEMS : EXIT_BY_KIND[kind];
}

/**
 * The exit code of an error no command caught (cli/main.ts): a port in use or not allowed is the command line's
 * to change (another --port), anything else a problem.
 */
export function exitCodeForUnexpected(err: unknown): number {
  return isUsageProblem(err) ? EXIT_USAGE : EXIT_PROBLEMS;
}

function isUsageProblem(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === "EADDRINUSE" || code === "EACCES";
}
