/**
 * What `check` guarantees of a resource's inputs without reading the files (core/roster-resource-state.ts for
 * UserPoolRoster, core/reminder-resource-inputs.ts for the reminder resources): one `property: reason` per input
 * missing or of the wrong kind.
 */
import { reminderInputProblems } from "../../core/reminder-resource-inputs";
import { rosterInputProblems } from "../../core/roster-resource-state";

const profile = { userPoolId: "eu-west-2_Check0001" };

test.each([
  ["whole", { usersDir: "users", profile, rosterDigest: "abc" }, []],
  ["nothing", {}, ["usersDir", "profile", "rosterDigest"]],
  ["an empty users directory", { usersDir: "", profile, rosterDigest: "abc" }, ["usersDir"]],
  ["a profile without a pool id", { usersDir: "users", profile: {}, rosterDigest: "abc" }, ["profile"]],
  ["a null profile", { usersDir: "users", profile: null, rosterDigest: "abc" }, ["profile"]],
  ["an empty digest", { usersDir: "users", profile, rosterDigest: "" }, ["rosterDigest"]],
])("UserPoolRoster: %s", (_name, inputs, properties) => {
  const problems = rosterInputProblems(inputs as never);
  expect(problems.map((p) => p.slice(0, p.indexOf(":")))).toEqual(properties);
});

test.each([
  ["whole", { usersDir: "users", profile, runAt: 1 }, []],
  ["nothing", {}, ["usersDir", "profile", "runAt"]],
  ["a run time that is not a number", { usersDir: "users", profile, runAt: "1" }, ["runAt"]],
  ["a run time that is not finite", { usersDir: "users", profile, runAt: Number.NaN }, ["runAt"]],
  ["a profile without a pool id", { usersDir: "users", profile: {}, runAt: 1 }, ["profile"]],
])("sign-in reminders: %s", (_name, inputs, properties) => {
  const problems = reminderInputProblems(inputs as never);
  expect(problems.map((p) => p.slice(0, p.indexOf(":")))).toEqual(properties);
});

test("each problem says what is missing", () => {
  expect(rosterInputProblems({})).toEqual([
    "usersDir: the users directory is missing",
    "profile: the pool profile is missing",
    "rosterDigest: the digest of the validated roster is missing",
  ]);
  expect(reminderInputProblems({})).toContain("runAt: the run's time is missing");
});
