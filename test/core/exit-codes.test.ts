/**
 * core/exit-codes.ts: the three exit codes, a failure's exit code from its kind, and the exit code of an error no
 * command caught. (test/aws/aws-failure.test.ts maps real errors, the SDK's among them, through their kinds.)
 */
import { EXIT_CODES_HELP, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, exitCodeFor, exitCodeForUnexpected } from "../../core/exit-codes";

test("0 ok, 1 problems, 2 usage or configuration, as --help says", () => {
  expect([EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE]).toEqual([0, 1, 2]);
  expect(EXIT_CODES_HELP).toBe("exit codes: 0 ok, 1 problems found or failed, 2 usage or configuration error");
});

test.each([
  { kind: "config", code: 2 },
  { kind: "validation", code: 1 },
  { kind: "refused", code: 1 },
  { kind: "aws", code: 1 },
  { kind: "transient", code: 1 },
  { kind: "no such kind", code: 1 },
  { kind: undefined, code: 1 },
])("a failure of kind $kind exits $code", ({ kind, code }) => {
  expect(exitCodeFor(Object.assign(new Error("m"), { kind }))).toBe(code);
});

test.each([
  { what: "a port in use", err: Object.assign(new Error("listen"), { code: "EADDRINUSE", port: 9229 }), code: 2 },
  { what: "a port not allowed", err: Object.assign(new Error("listen"), { code: "EACCES" }), code: 2 },
  { what: "a file not found", err: Object.assign(new Error("open"), { code: "ENOENT" }), code: 1 },
  { what: "a bug", err: new TypeError("x is undefined"), code: 1 },
  { what: "a thrown string", err: "oops", code: 1 },
  { what: "undefined", err: undefined, code: 1 },
  { what: "null", err: null, code: 1 },
])("an unexpected error, $what, exits $code", ({ err, code }) => {
  expect(exitCodeForUnexpected(err)).toBe(code);
});
