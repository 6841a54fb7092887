/**
 * core/personal-attributes.ts, the one list of personal attributes (issue 22.5), and its two readers: the scrubber
 * replaces every personal value an AWS message echoes, and export never puts one in a file's shared `defaults`.
 * Cognito's standard attributes are split exactly into personal and not, so a new one needs a decision.
 */
import { STANDARD_ATTRIBUTES } from "../../core/declared-user";
import { exportUsers } from "../../core/export-users";
import { NOT_PERSONAL_ATTRIBUTES, PERSONAL_ATTRIBUTES } from "../../core/personal-attributes";
import type { PoolUser } from "../../core/pool-user";
import { scrubUser } from "../../core/scrub-personal-data";
import { traineeProfile } from "../support/roster-fixture";

/** One synthetic value per personal attribute, each distinct from the others and at least 3 characters. */
const PERSONAL_VALUES: Record<string, string> = {
  email: "ann.example@example.nhs.uk",
  phone_number: "+447700900123",
  preferred_username: "annex",
  profile: "https://example.com/profile/ann",
  picture: "https://example.com/picture/ann.png",
  website: "https://example.com/ann",
  name: "Ann Q. Example",
  given_name: "Ann",
  family_name: "Example",
  middle_name: "Quinn",
  nickname: "Annie",
  birthdate: "1985-02-01",
  address: "10 High Street, Leeds",
};
const SHARED_VALUES: Record<string, string> = { gender: "female", zoneinfo: "Europe/London", locale: "en-GB" };

test("Cognito's standard attributes are personal or not, each exactly once", () => {
  const split = [...PERSONAL_ATTRIBUTES, ...NOT_PERSONAL_ATTRIBUTES];
  expect([...split].sort()).toEqual([...STANDARD_ATTRIBUTES].sort());
  expect(new Set(split).size).toBe(STANDARD_ATTRIBUTES.length);
  expect(Object.keys(PERSONAL_VALUES).sort()).toEqual([...PERSONAL_ATTRIBUTES].sort());
});

describe("the scrubber replaces every personal attribute's value", () => {
  const user = { username: "ann.example@example.nhs.uk", attributes: { ...PERSONAL_VALUES, ...SHARED_VALUES } };
  test.each(PERSONAL_ATTRIBUTES.map((key) => [key, PERSONAL_VALUES[key]]))("%s", (key, value) => {
    expect(scrubUser(`Invalid ${key} value for user: (${value}) refused`, user)).toBe(`Invalid ${key} value for user: (<user>) refused`);
  });
  test("values shared by many people stay", () => {
    const message = "gender female, zoneinfo Europe/London, locale en-GB";
    expect(scrubUser(message, user)).toBe(message);
  });
});

test("export never puts a personal value in defaults, even when every user shares it; shared values go there", () => {
  const profile = traineeProfile();
  const poolUser = (n: number): PoolUser => ({
    username: `trainee.${n}@example.nhs.uk`,
    enabled: true,
    status: "RESET_REQUIRED",
    attributes: { sub: `sub-${n}`, email_verified: "true", ...PERSONAL_VALUES, birthdate: "02/01/1985", ...SHARED_VALUES },
  });
  const result = exportUsers([poolUser(1), poolUser(2)], {
    profile,
    office: { kind: "single", folder: "exported" },
    excludes: [],
    fileName: "exported.yaml",
    schemaFromUsersDir: "../schemas/users-file.schema.json",
  });
  const text = result.files[0].text;
  const defaults = text.slice(text.indexOf("defaults:"), text.indexOf("users:"));
  expect(defaults.split("\n").map((line) => line.trim().split(":")[0])).toEqual([
    "defaults",
    "email_verified",
    "gender",
    "zoneinfo",
    "locale",
    "mfa_enabled",
    "",
  ]);
  for (const key of PERSONAL_ATTRIBUTES) expect(text.split(`\n    ${key}: `)).toHaveLength(3);
});
