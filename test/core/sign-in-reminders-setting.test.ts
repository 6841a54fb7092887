/**
 * The stack setting `cognito-roster:signInReminders` (issue 19 item 3): whole numbers, everyDays ≥ 1, maxReminders
 * 1–10, each problem at its own line and column; absent = off.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseStackProfile } from "../../core/profile";
import { reminderDue } from "../../core/sign-in-reminders";

const DEV = readFileSync(path.resolve(__dirname, "../../Pulumi.dev.yaml"), "utf8");
const ANCHOR = "  cognito-roster:maxRemovalFraction: 0.25";

const withReminders = (yaml: string) => DEV.replace(ANCHOR, `${ANCHOR}\n  cognito-roster:signInReminders:${yaml}`);
const parse = (text: string) => parseStackProfile(text, "Pulumi.dev.yaml");
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

test("absent is off; a valid setting is read", () => {
  expect(parse(DEV).profile?.signInReminders).toBeUndefined();
  const text = withReminders("\n    everyDays: 7\n    maxReminders: 3");
  expect(parse(text)).toMatchObject({ diagnostics: [], profile: { signInReminders: { everyDays: 7, maxReminders: 3 } } });
});

test.each([
  ["\n    everyDays: 0\n    maxReminders: 3", "everyDays: 0", "everyDays must be a whole number from 1 to 3650 (got 0)"],
  ["\n    everyDays: 1.5\n    maxReminders: 3", "everyDays: 1.5", "everyDays must be a whole number from 1 to 3650 (got 1.5)"],
  ["\n    everyDays: 7\n    maxReminders: 11", "maxReminders: 11", "maxReminders must be a whole number from 1 to 10 (got 11)"],
  ['\n    everyDays: 7\n    maxReminders: "3"', "maxReminders: ", 'maxReminders must be a whole number from 1 to 10 (got "3")'],
  ["\n    everyDays: 7\n    maxReminders: 3\n    everyWeek: 1", "everyWeek", "everyWeek is not a reminder setting"],
  [" 7", "signInReminders", "must be a mapping {everyDays: N, maxReminders: K}"],
])("%j is an error at its place", (yaml, needle, message) => {
  const text = withReminders(yaml);
  const { profile, diagnostics } = parse(text);
  expect(profile).toBeUndefined();
  expect(diagnostics).toHaveLength(1);
  expect(diagnostics[0]).toMatchObject({ code: "CONFIG_INVALID", line: lineOf(text, needle) });
  expect(diagnostics[0].message).toContain(message);
});

test("a missing number is named", () => {
  const { diagnostics } = parse(withReminders("\n    everyDays: 7"));
  expect(diagnostics.map((d) => d.message)).toEqual([
    "cognito-roster:signInReminders: maxReminders must be a whole number from 1 to 10 (got nothing)",
  ]);
});

test("due: under the cap and the last code (the record's, or the import) at least N days old", () => {
  const DAY = 86_400_000;
  const settings = { everyDays: 3, maxReminders: 2 };
  expect(reminderDue(undefined, 10 * DAY, 12 * DAY, settings)).toBe(false);
  expect(reminderDue(undefined, 10 * DAY, 13 * DAY, settings)).toBe(true);
  expect(reminderDue({ count: 1, lastAt: 13 * DAY }, 10 * DAY, 15 * DAY, settings)).toBe(false);
  expect(reminderDue({ count: 1, lastAt: 13 * DAY }, 10 * DAY, 16 * DAY, settings)).toBe(true);
  expect(reminderDue({ count: 2, lastAt: 13 * DAY }, 10 * DAY, 99 * DAY, settings)).toBe(false);
});
