/**
 * Dates in the files (issue 16, item 3), the pure side: the day in the stack's time zone on both sides of midnight,
 * users outside their dates planned as leavers, the starts and ends due within 14 days, validation with positions,
 * the timeZone setting, and the plan report.
 */
import { accessOnDate, addDays, dateInZone, datesDue, hasAccessOn } from "../../core/access-dates";
import type { DeclaredUser } from "../../core/declared-user";
import { profileFromConfig } from "../../core/profile";
import { renderPlan } from "../../core/plan-report";
import type { RosterPlan } from "../../core/plan";
import { fixtureProfile } from "./fixture-cases";
import { checkUsersFileText } from "../support/one-call";

const dev = fixtureProfile();

describe("the day in the stack's time zone", () => {
  test.each([
    ["summer: 22:59 UTC is 23:59 in London, still the 3rd", Date.UTC(2027, 7, 3, 22, 59, 59), "Europe/London", "2027-08-03"],
    ["summer: 23:00 UTC is midnight in London, the 4th", Date.UTC(2027, 7, 3, 23, 0, 0), "Europe/London", "2027-08-04"],
    ["winter: 23:59 UTC is 23:59 in London", Date.UTC(2027, 1, 3, 23, 59, 59), "Europe/London", "2027-02-03"],
    ["winter: midnight UTC is midnight in London", Date.UTC(2027, 1, 4, 0, 0, 0), "Europe/London", "2027-02-04"],
    ["Auckland is a day ahead at noon UTC", Date.UTC(2027, 7, 3, 12, 0, 0), "Pacific/Auckland", "2027-08-04"],
    ["UTC itself", Date.UTC(2027, 7, 3, 23, 30, 0), "UTC", "2027-08-03"],
  ])("%s", (_name, instant, zone, day) => {
    expect(dateInZone(zone, instant)).toBe(day);
  });

  test("adding days crosses months and leap days", () => {
    expect(addDays("2028-02-20", 14)).toBe("2028-03-05");
    expect(addDays("2027-12-25", 14)).toBe("2028-01-08");
  });
});

function declared(username: string, extra: Partial<DeclaredUser> = {}, line = 5): DeclaredUser {
  return {
    username,
    mfaEnabled: true,
    enabled: true,
    attributes: { email: username },
    groups: ["trainees"],
    source: { file: "users/kss/2027-08.yaml", line, col: 5 },
    ...extra,
  };
}

describe("access on a day", () => {
  const starter = declared("starter@example.com", { startDate: "2027-08-04" });
  const ender = declared("ender@example.com", { endDate: "2027-08-04" });

  test("from startDate (inclusive) until endDate (exclusive)", () => {
    expect([hasAccessOn(starter, "2027-08-03"), hasAccessOn(starter, "2027-08-04")]).toEqual([false, true]);
    expect([hasAccessOn(ender, "2027-08-03"), hasAccessOn(ender, "2027-08-04")]).toEqual([true, false]);
  });

  test("outside their dates a user is a leaver in no group; inside, unchanged; applying twice changes nothing", () => {
    const before = accessOnDate([starter, ender], "2027-08-03");
    expect(before[0]).toEqual({ ...starter, enabled: false, groups: undefined });
    expect(before[0]).not.toHaveProperty("groups");
    expect(before[1]).toBe(ender);
    const after = accessOnDate([starter, ender], "2027-08-04");
    expect(after[0]).toBe(starter);
    expect(after[1]).toMatchObject({ enabled: false, endDate: "2027-08-04" });
    expect(accessOnDate(after, "2027-08-04")).toEqual(after);
  });

  test("starts and ends due within 14 days, by date; a far start only when this plan would import that user", () => {
    const far = declared("far@example.com", { startDate: "2027-12-01" }, 20);
    const users = [declared("soon@example.com", { startDate: "2027-08-17" }, 10), ender, far, starter];
    expect(datesDue(users, "2027-08-03", "users").map((d) => `${d.kind} ${d.date} ${d.username} ${d.office}`)).toEqual([
      "end 2027-08-04 ender@example.com kss",
      "start 2027-08-04 starter@example.com kss",
      "start 2027-08-17 soon@example.com kss",
    ]);
    expect(datesDue(users, "2027-08-04", "users", new Set(["far@example.com"])).map((d) => d.username)).toEqual([
      "soon@example.com",
      "far@example.com",
    ]);
  });
});

describe("validation of dates", () => {
  const FILE = "users/kss/a.yaml";
  const where = (text: string) => checkUsersFileText(text, FILE, dev).diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`);
  const file = (defaults: string[], ...entry: string[]) =>
    [
      "defaults:",
      "  mfa_enabled: true",
      "  email_verified: true",
      ...defaults,
      "users:",
      "  - username: a@example.com",
      "    email: a@example.com",
      '    custom:tisId: "1"',
      ...entry,
      "",
    ].join("\n");

  test("real ISO dates, per user or in defaults, are read into the user", () => {
    const checked = checkUsersFileText(file(["  startDate: 2027-08-04"], "    endDate: 2028-02-04"), FILE, dev);
    expect(checked.diagnostics).toEqual([]);
    expect(checked.users[0]).toMatchObject({ startDate: "2027-08-04", endDate: "2028-02-04" });
    expect(checked.users[0].attributes).not.toHaveProperty("startDate");
  });

  test.each([
    ["a date that does not exist", file([], "    startDate: 2027-02-30"), ["8:16 INVALID_DATE"]],
    ["not ISO", file([], "    endDate: 04/08/2027"), ["8:14 NON_ISO_DATE"]],
    ["end before start", file([], "    startDate: 2027-08-04", "    endDate: 2027-08-01"), ["9:14 END_NOT_AFTER_START"]],
    ["end on the start day", file([], "    startDate: 2027-08-04", "    endDate: 2027-08-04"), ["9:14 END_NOT_AFTER_START"]],
    [
      "a default start after the user's end: at the end",
      file(["  startDate: 2027-09-01"], "    endDate: 2027-08-01"),
      ["9:14 END_NOT_AFTER_START"],
    ],
    [
      "a default end before the user's start: at the entry",
      file(["  endDate: 2027-08-01"], "    startDate: 2027-09-01"),
      ["6:3 END_NOT_AFTER_START"],
    ],
    ["a bad default date: at the default", file(["  startDate: 2027-13-01"]), ["4:14 INVALID_DATE"]],
  ])("%s", (_name, text, expected) => {
    expect(where(text)).toEqual(expected);
  });
});

describe("the timeZone setting", () => {
  const base = {
    "aws:region": "eu-west-2",
    "cognito-roster:userPoolId": "eu-west-2_abc",
    "cognito-roster:autoVerifiedAttributes": ["email"],
    "cognito-roster:mfaConfiguration": "OFF",
  };
  test("defaults to Europe/London; an IANA zone is taken; anything else is a config error", () => {
    expect(profileFromConfig(base).profile?.timeZone).toBe("Europe/London");
    expect(profileFromConfig({ ...base, "cognito-roster:timeZone": "Pacific/Auckland" }).profile?.timeZone).toBe("Pacific/Auckland");
    const bad = profileFromConfig({ ...base, "cognito-roster:timeZone": "Mars/Olympus" });
    expect(bad.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('"Mars/Olympus" is not an IANA time zone')]);
  });
  test("removedUsers: delete is not offered", () => {
    const bad = profileFromConfig({ ...base, "cognito-roster:removedUsers": "delete" });
    expect(bad.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('is "delete", which is not offered')]);
    expect(profileFromConfig(base).profile?.removedUsers).toBe("disable");
  });
});

test("the plan report shows the dates due per office, in text, markdown and JSON", () => {
  const due = datesDue([declared("starter@example.com", { startDate: "2027-08-04" })], "2027-08-03", "users");
  const plan: RosterPlan = {
    userPoolId: "eu-west-2_abc",
    import: [],
    update: [],
    disable: [],
    enable: [],
    remove: [],
    unchanged: 1,
    dates: { today: "2027-08-03", timeZone: "Europe/London", due },
  };
  expect(renderPlan(plan, "text", { awsCalls: 0 })).toContain(
    "Dates due, office kss (today 2027-08-03 in Europe/London):\n  starts 2027-08-04: starter@example.com  (users/kss/2027-08.yaml:5)",
  );
  expect(renderPlan(plan, "markdown", { awsCalls: 0 })).toContain(
    "- starts `2027-08-04`: `starter@example.com` (`users/kss/2027-08.yaml:5`)",
  );
  expect(JSON.parse(renderPlan(plan, "json", { awsCalls: 0 })).dates).toEqual({
    today: "2027-08-03",
    timeZone: "Europe/London",
    offices: {
      kss: { starts: [{ username: "starter@example.com", file: "users/kss/2027-08.yaml", line: 5, date: "2027-08-04" }], ends: [] },
    },
  });
});
