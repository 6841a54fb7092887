/**
 * core/command-line-problems.ts: --help anywhere before `--`, and what is wrong with a command line said as a usage
 * message — from parseArgs's errors (their codes and messages as Node 20–24 word them), misspelt flags and values.
 */
import { describeParseError, unknownFlagMessage, valueProblem, wantsHelp } from "../../core/command-line-problems";

const KNOWN = ["users", "stack", "format", "yes"];

test.each([
  { args: [], help: false },
  { args: ["--help"], help: true },
  { args: ["-h"], help: true },
  { args: ["--users", "x", "-h"], help: true },
  { args: ["--", "--help"], help: false },
  { args: ["--users", "--help"], help: true },
  { args: ["--helpful"], help: false },
])("$args asks for help: $help", ({ args, help }) => {
  expect(wantsHelp(args)).toBe(help);
});

const parseError = (code: string | undefined, message: string) => Object.assign(new Error(message), { code });

test.each([
  { code: "ERR_PARSE_ARGS_UNKNOWN_OPTION", message: "Unknown option '--usres'", said: "unknown flag --usres (did you mean --users?)" },
  { code: "ERR_PARSE_ARGS_UNKNOWN_OPTION", message: "Unknown option '--zzzzzz'", said: "unknown flag --zzzzzz" },
  { code: "ERR_PARSE_ARGS_UNKNOWN_OPTION", message: "Unknown option '-x'", said: "unknown flag -x" },
  { code: "ERR_PARSE_ARGS_INVALID_OPTION_VALUE", message: "Option '--users <value>' argument missing", said: "--users needs a value" },
  { code: "ERR_PARSE_ARGS_INVALID_OPTION_VALUE", message: "Option '--yes' does not take an argument", said: "--yes takes no value" },
  { code: "ERR_PARSE_ARGS_INVALID_OPTION_VALUE", message: "Option '--yes' is odd\nsecond line", said: "Option '--yes' is odd" },
  { code: undefined, message: "something else\nmore", said: "something else" },
])("$code $message: $said", ({ code, message, said }) => {
  expect(describeParseError(parseError(code, message), KNOWN)).toBe(said);
});

test.each([
  { flag: "--user", said: "unknown flag --user (did you mean --users?)" },
  { flag: "--fromat=json", said: "unknown flag --fromat (did you mean --format?)" },
  { flag: "--stak", said: "unknown flag --stak (did you mean --stack?)" },
  { flag: "--zzzzzz", said: "unknown flag --zzzzzz" },
  { flag: "-y", said: "unknown flag -y (did you mean --yes?)" },
])("$flag: $said", ({ flag, said }) => {
  expect(unknownFlagMessage(flag, KNOWN)).toBe(said);
});

const FLAGS = {
  users: { type: "string", help: "" },
  format: { type: "string", choices: ["text", "markdown", "json"], help: "" },
  column: { type: "string", multiple: true, help: "" },
  yes: { type: "boolean", help: "" },
} as const;

test.each([
  { values: {}, problem: undefined },
  { values: { users: "u", format: "json", yes: true }, problem: undefined },
  { values: { users: "" }, problem: "--users needs a value" },
  { values: { format: "yaml" }, problem: "--format must be text, markdown or json (got yaml)" },
  { values: { format: "" }, problem: "--format needs a value" },
  { values: { column: ["a=b", ""] }, problem: "--column needs a value" },
  { values: { column: ["a=b", "c=d"] }, problem: undefined },
])("$values: $problem", ({ values, problem }) => {
  expect(valueProblem(values, FLAGS)).toBe(problem);
});
