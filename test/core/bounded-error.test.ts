/**
 * core/bounded-error.ts: the error a provider hands the Pulumi host fits its 64 KB trailer, names the AWS call it
 * came from, and never carries a URL's credentials. Table cases (test/providers/user-pool-roster.test.ts drives it
 * through the provider).
 */
import { boundedError } from "../../core/bounded-error";
import type { Diagnostic } from "../../core/diagnostics";

const noCall = () => undefined;
const named = (name: string, message: string) => Object.assign(new Error(message), { name });

test.each<[string, unknown, string, string]>([
  ["a short error passes as it is", named("RosterConfigError", "pool has no group x"), "RosterConfigError", "pool has no group x"],
  ["a thrown string becomes an error", "plain text", "Error", "plain text"],
  [
    "a thrown string loses a URL's credentials",
    "cannot reach https://user:secret@cognito-idp.example.com/",
    "Error",
    "cannot reach https://***@cognito-idp.example.com/",
  ],
  [
    "an error loses a URL's credentials, keeping its name",
    named("TimeoutError", "cannot reach https://user:secret@cognito-idp.example.com/"),
    "TimeoutError",
    "cannot reach https://***@cognito-idp.example.com/",
  ],
])("%s", (_name, err, name, message) => {
  const shown = boundedError(err, noCall);
  expect(shown.name).toBe(name);
  expect(shown.message).toBe(message);
});

test("an AWS failure names its call, pool and request id, keeping its name", () => {
  const err = named("TooManyRequestsException", "Rate exceeded");
  const describe = (e: Error) => (e === err ? "AdminGetUser on pool eu-west-2_A1, AWS request id r-1" : undefined);
  const shown = boundedError(err, describe);
  expect(shown.name).toBe("TooManyRequestsException");
  expect(shown.message).toBe("Rate exceeded (AdminGetUser on pool eu-west-2_A1, AWS request id r-1)");
});

test.each([
  ["50 lines: whole", 50, 10, undefined],
  ["51 lines: the first 50, and how many more", 51, 10, "… and 1 more lines; `npx cognito-roster validate` lists every problem"],
  ["16,000 characters: whole", 1, 16_000, undefined],
  ["16,001 characters: cut short", 1, 16_001, "… cut short; `npx cognito-roster validate` lists every problem"],
])("bounded: %s", (_name, lines, width, tail) => {
  const err = named("Error", Array.from({ length: lines }, () => "x".repeat(width)).join("\n"));
  const shown = boundedError(err, noCall);
  if (tail === undefined) expect(shown).toBe(err);
  else {
    expect(shown.message.endsWith(`\n${tail}`)).toBe(true);
    expect(shown.message.split("\n").length).toBeLessThanOrEqual(51);
    expect(shown.message.length).toBeLessThanOrEqual(16_000 + 1 + tail.length);
  }
});

test("a validation error shows a count and each error, escaped; warnings are left out", () => {
  const diagnostic = (line: number, severity: "error" | "warning", message: string): Diagnostic => ({
    file: "users/kss/a.yaml",
    line,
    col: 3,
    severity,
    code: "DUPLICATE_USERNAME",
    message,
  });
  const diagnostics = [
    ...Array.from({ length: 60 }, (_, i) => diagnostic(i + 1, "error", `bad <value> ${i + 1}`)),
    diagnostic(99, "warning", "only a warning"),
  ];
  const err = Object.assign(named("RosterValidationError", "the users files have errors"), { diagnostics });
  const shown = boundedError(err, noCall);
  const lines = shown.message.split("\n");
  expect(shown.name).toBe("RosterValidationError");
  expect(lines[0]).toBe("60 problem(s) in the users files; nothing was applied:");
  expect(lines).toHaveLength(51);
  expect(lines[1]).toContain("users/kss/a.yaml:1:3");
  expect(lines[1]).not.toContain("<");
  expect(shown.message).not.toContain("only a warning");
  expect(lines[50]).toBe("… and 11 more lines; `npx cognito-roster validate` lists every problem");
});
