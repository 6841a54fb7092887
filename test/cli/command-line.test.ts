/**
 * cli/command-line.ts and the core/ decisions it uses: the shared conventions as functions — "did you mean", --help
 * detection, plurals, colour.
 */
import { colourEnabled, formatDiagnosticFor, parseCommandLine } from "../../cli/command-line";
import { closestName } from "../../core/closest-name";
import { unknownFlagMessage, wantsHelp } from "../../core/command-line-problems";
import { plural } from "../../core/words";
import type { DiagnosticCode } from "../../core/diagnostics";

test("a misspelt flag names the closest known one, and only when it is close", () => {
  expect(unknownFlagMessage("--user", ["users", "stack", "format"])).toBe("unknown flag --user (did you mean --users?)");
  expect(unknownFlagMessage("--fromat=json", ["users", "stack", "format"])).toBe("unknown flag --fromat (did you mean --format?)");
  expect(unknownFlagMessage("--zzzzzz", ["users", "stack", "format"])).toBe("unknown flag --zzzzzz");
  expect(closestName("vaildate", ["validate", "plan", "apply"])).toBe("validate");
  expect(closestName("ful", ["full", "users"])).toBe("full");
});

test("parsing: unknown flags, missing values, values given to switches, extra arguments", () => {
  const options = { flags: { users: { type: "string", help: "" }, yes: { type: "boolean", help: "" } } } as const;
  const withFile = { ...options, operands: [{ name: "FILE.csv", help: "" }] };
  expect(parseCommandLine(["--usres", "x"], options)).toBe("unknown flag --usres (did you mean --users?)");
  expect(parseCommandLine(["--users"], options)).toBe("--users needs a value");
  expect(parseCommandLine(["--yes=1"], options)).toBe("--yes takes no value");
  expect(parseCommandLine(["extra"], options)).toBe('unexpected argument "extra" (this command takes only flags)');
  expect(parseCommandLine(["a.csv", "--users", "u"], withFile)).toEqual({ values: { users: "u" }, positionals: ["a.csv"] });
  expect(wantsHelp(["--users", "x", "-h"])).toBe(true);
  expect(wantsHelp(["--", "--help"])).toBe(false);
});

test("plurals", () => {
  expect(plural(1, "AWS call")).toBe("1 AWS call");
  expect(plural(2, "AWS call")).toBe("2 AWS calls");
  expect(plural(0, "file")).toBe("0 files");
});

test("colour only on a terminal, never with NO_COLOR", () => {
  expect(colourEnabled({ isTTY: true }, {})).toBe(true);
  expect(colourEnabled({ isTTY: false }, {})).toBe(false);
  expect(colourEnabled({}, {})).toBe(false);
  expect(colourEnabled({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
  expect(colourEnabled({ isTTY: true }, { NO_COLOR: "" })).toBe(true); // no-color.org: set and not empty
  expect(colourEnabled({ isTTY: true }, { TERM: "dumb" })).toBe(false);
  const d = { file: "a.csv", line: 2, col: 1, severity: "error" as const, code: "X" as DiagnosticCode, message: "m" };
  expect(formatDiagnosticFor(d, { isTTY: false })).toBe("a.csv:2:1: error X m");
});
