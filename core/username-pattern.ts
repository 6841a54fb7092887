/**
 * The `usernamePattern` house rule, run in linear time whatever the pattern and the username.
 *
 * JavaScript's RegExp backtracks: a pattern with nested quantifiers such as `^(a+)+$` takes exponential time on a
 * 40-character username that almost matches, and validate (a pull-request check) hangs. The pattern therefore runs
 * on re2js, a JavaScript port of RE2, whose matching time is linear in the input for every pattern; the features
 * that have no linear-time algorithm (backreferences, lookahead, lookbehind) are refused when the stack is read,
 * with the reason. A pattern must also be a valid JavaScript regular expression (`u` flag), as documented, so it
 * means the same to a reader who tries it in a browser. Pure: no state between calls.
 */
import { RE2JS } from "re2js";

/** A compiled house rule: `test` is true when the pattern matches anywhere in the username, as RegExp.test. */
export interface UsernamePattern {
  test(username: string): boolean;
}

/** Compiles `source`, or says why it cannot be run (an error for the stack file). */
export function compileUsernamePattern(source: string): UsernamePattern | { problem: string } {
  try {
    new RegExp(source, "u");
  } catch (e) {
    return { problem: `is not a valid regular expression: ${(e as Error).message}` };
  }
  try {
    const re2 = RE2JS.compile(source);
    return { test: (username) => re2.test(username) };
  } catch (e) {
    return {
      problem:
        `cannot be run in linear time (${(e as Error).message}): the house rule runs on RE2, ` +
        "which has no backreferences (\\1), lookahead (?=…) or lookbehind (?<=…) and repeats at most {1000}; write the rule without them",
    };
  }
}
