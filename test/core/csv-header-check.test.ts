/**
 * The pool's import CSV header against the stack profile (core/csv-header-check.ts): equal as sets, else one
 * configuration error naming what is missing and what is extra.
 */
import { csvHeaderMismatch } from "../../core/csv-header-check";
import { csvHeaderForProfile } from "../../core/profile";
import { traineeProfile } from "../support/roster-fixture";

const profile = traineeProfile();
const header = csvHeaderForProfile(profile);
const prefix = `pool ${profile.userPoolId} does not match the stack profile: its CSV header `;
const fix = " (fix cognito-roster:customAttributes in the stack config)";

test.each([
  ["the same columns", header, undefined],
  ["the same columns in another order", [...header].reverse(), undefined],
  ["a column missing", header.filter((c) => c !== "custom:tisId"), `${prefix}lacks custom:tisId${fix}`],
  ["a column extra", [...header, "custom:grade"], `${prefix}has custom:grade the profile does not declare${fix}`],
  [
    "both",
    [...header.filter((c) => c !== "custom:tisId"), "custom:grade"],
    `${prefix}lacks custom:tisId and has custom:grade the profile does not declare${fix}`,
  ],
])("csvHeaderMismatch: %s", (_name, columns, message) => {
  const error = csvHeaderMismatch(columns, profile);
  expect(error?.message).toBe(message);
  if (error) expect(error.name).toBe("RosterConfigError");
});
