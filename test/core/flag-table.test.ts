/**
 * core/flag-table.ts: each kind of flag as the usage line and --help show it. (test/cli/flag-table.test.ts renders
 * a whole sample table and checks every command's table against the README.)
 */
import { commandTable, helpText, synopsis, usageLine } from "../../core/flag-table";

const one = (flags: Parameters<typeof commandTable>[0]["flags"]) => commandTable({ name: "c", summary: "", about: [], flags });

test.each([
  { what: "a switch", flag: { type: "boolean", help: "" }, usage: "c [--x]", help: "--x" },
  { what: "a value", flag: { type: "string", value: "DIR", help: "" }, usage: "c [--x DIR]", help: "--x DIR" },
  { what: "no placeholder", flag: { type: "string", help: "" }, usage: "c [--x VALUE]", help: "--x VALUE" },
  { what: "choices", flag: { type: "string", choices: ["a", "b"], help: "" }, usage: "c [--x a|b]", help: "--x a|b" },
  { what: "required", flag: { type: "string", value: "N", required: true, help: "" }, usage: "c --x N", help: "--x N" },
  { what: "repeatable", flag: { type: "string", value: "F", multiple: true, help: "" }, usage: "c [--x F]...", help: "--x F" },
  {
    what: "its own usage",
    flag: { type: "string", value: "A", usage: "[--x A | --y B]", help: "" },
    usage: "c [--x A | --y B]",
    help: "--x A",
  },
  { what: "left out of the usage", flag: { type: "string", value: "A", usage: "", help: "" }, usage: "c", help: "--x A" },
] as const)("$what: $usage", ({ flag, usage, help }) => {
  const table = one({ x: flag });
  expect(synopsis(table)).toBe(usage);
  expect(usageLine(table)).toBe(`usage: cognito-roster ${usage}`);
  expect(helpText(table).split("\n")).toContain(`  ${help.padEnd("-h, --help".length + 2)}`);
});

test("operands come first, in order, and --help lists them before the flags", () => {
  const table = commandTable({
    name: "c",
    summary: "",
    about: ["What it does."],
    operands: [
      { name: "A.csv", help: "first" },
      { name: "B", help: "second" },
    ],
    flags: { yes: { type: "boolean", help: "do it" } },
  });
  expect(synopsis(table)).toBe("c A.csv B [--yes]");
  expect(helpText(table)).toBe(
    [
      "usage: cognito-roster c A.csv B [--yes]",
      "",
      "What it does.",
      "",
      "flags:",
      "  A.csv       first",
      "  B           second",
      "  --yes       do it",
      "  -h, --help  this help",
      "",
      "exit codes: 0 ok, 1 problems found or failed, 2 usage or configuration error",
    ].join("\n"),
  );
});
