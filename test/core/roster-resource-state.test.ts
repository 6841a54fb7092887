/**
 * core/roster-resource-state.ts: the outputs an apply records in the UserPoolRoster's state — inputs kept, what the
 * roster manages, counts of the last apply, failures as file:line and reason only (no usernames), the pool binding,
 * and the sign-in code record (the apply's, else the one it started from).
 */
import type { PoolProfile } from "../../core/profile";
import { type AppliedRun, outputsFrom, type RosterInputs } from "../../core/roster-resource-state";

const inputs: RosterInputs = {
  usersDir: "users",
  profile: { userPoolId: "eu-west-2_Outputs01" } as PoolProfile,
  logsRoleArn: "arn:aws:iam::000000000000:role/logs",
  rosterDigest: "abc",
};
const binding = { userPoolId: "eu-west-2_Outputs01", arn: "arn:pool", createdAt: 1, managedUsers: 2 };
const result: AppliedRun = {
  imported: 1,
  alreadyPresent: 0,
  updated: 2,
  disabled: 0,
  enabled: 0,
  removed: 1,
  failed: [{ file: "users/kss/a.yaml", line: 7, reason: "AdminUpdateUserAttributes failed: InvalidParameterException" }],
  plan: { unchanged: 5 },
  jobs: [{ jobId: "import-1", status: "Succeeded", users: 1, imported: 1, skipped: 0, failed: 0 }],
  awsCalls: 9,
  applied: { d1: "v1", d2: "v2" },
  binding,
};
const record = (sent: string[]) => ({ pool: { arn: "arn:pool", createdAt: 1 }, sent, pending: [], awaiting: {} }) as never;

test("the outputs keep the inputs and record what the apply did, failures without usernames", () => {
  expect(outputsFrom(inputs, result)).toEqual({
    ...inputs,
    userPoolId: "eu-west-2_Outputs01",
    managedUsers: 2,
    lastApply: {
      imported: 1,
      alreadyPresent: 0,
      updated: 2,
      disabled: 0,
      enabled: 0,
      removed: 1,
      failed: 1,
      unchanged: 5,
      jobs: ["import-1 Succeeded: 1 imported, 0 skipped, 0 failed"],
      awsCalls: 9,
    },
    failedUsers: ["users/kss/a.yaml:7: AdminUpdateUserAttributes failed: InvalidParameterException"],
    applied: { d1: "v1", d2: "v2" },
    pool: binding,
  });
});

test.each([
  ["no record anywhere: none", undefined, undefined, undefined],
  ["the record the apply started from", undefined, record(["a"]), record(["a"])],
  ["the apply's record wins", record(["b"]), record(["a"]), record(["b"])],
])("sign-in codes: %s", (_name, applied, before, expected) => {
  const outputs = outputsFrom(inputs, { ...result, ...(applied ? { signInCodes: { record: applied } } : {}) }, before);
  expect(outputs.signInCodes).toEqual(expected);
  expect("signInCodes" in outputs).toBe(expected !== undefined);
});

test("the day the program digested is kept when the inputs have one", () => {
  expect(outputsFrom({ ...inputs, today: "2026-12-06" }, result).today).toBe("2026-12-06");
  expect("today" in outputsFrom(inputs, result)).toBe(false);
});
