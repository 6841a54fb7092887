import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { readAppliedRecord, writeAppliedState } from "../../cli/applied-state";
import { readAppliedState } from "../support/one-call";

const POOL = "eu-west-2_Tr41n33s0";
let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "applied-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("a missing file means no previous apply", () => {
  expect(readAppliedState(path.join(dir, "none.json"), POOL)).toBeUndefined();
});

test("round trip of the CLI's own file; another pool's file is a record of that pool (the engine distrusts it)", () => {
  const file = path.join(dir, ".roster", "applied-dev.json");
  writeAppliedState(file, POOL, { aaaaaaaaaaaaaaaa: "bbbbbbbbbbbbbbbb" });
  expect(readAppliedState(file, POOL)).toEqual({ aaaaaaaaaaaaaaaa: "bbbbbbbbbbbbbbbb" });
  expect(readAppliedRecord(file, "eu-west-2_Other0000")).toEqual({ applied: {}, binding: expect.objectContaining({ userPoolId: POOL }) });
});

test("a `pulumi stack export` gives the roster resource's applied digests", () => {
  const file = path.join(dir, "state.json");
  const resource = (type: string, outputs: object) => ({ urn: `urn:pulumi:dev::cognito-roster::${type}::x`, type, outputs });
  writeFileSync(
    file,
    JSON.stringify({
      version: 3,
      deployment: {
        resources: [
          resource("aws:iam/role:Role", { arn: "arn:aws:iam::111122223333:role/x" }),
          resource("pulumi-nodejs:dynamic/cognito-roster:UserPoolRoster", {
            userPoolId: POOL,
            applied: { cccccccccccccccc: "dddddddddddddddd" },
          }),
        ],
      },
    }),
  );
  expect(readAppliedState(file, POOL)).toEqual({ cccccccccccccccc: "dddddddddddddddd" });
  expect(readAppliedRecord(file, "eu-west-2_Other0000")).toEqual({ applied: {}, binding: expect.objectContaining({ userPoolId: POOL }) });
});

test("a stack export without a roster yet means no previous apply", () => {
  const file = path.join(dir, "state.json");
  writeFileSync(file, JSON.stringify({ version: 3, deployment: { resources: [] } }));
  expect(readAppliedState(file, POOL)).toBeUndefined();
});

test("a `pulumi stack export` gives the reminder marks' record of this pool, for the plan's messaging capacity", () => {
  const file = path.join(dir, "state.json");
  const record = { pool: { arn: "arn:x", createdAt: 1 }, trainees: { aaaaaaaaaaaaaaaa: { count: 1, lastAt: 5 } } };
  const resource = (type: string, outputs: object) => ({ type: `pulumi-nodejs:dynamic/cognito-roster:${type}`, outputs });
  writeFileSync(
    file,
    JSON.stringify({
      deployment: {
        resources: [
          resource("UserPoolRoster", { userPoolId: POOL, applied: {} }),
          resource("SignInReminderMarks", { profile: { userPoolId: "eu-west-2_Other0000" }, record: { trainees: {} } }),
          resource("SignInReminderMarks", { profile: { userPoolId: POOL }, record }),
        ],
      },
    }),
  );
  expect(readAppliedRecord(file, POOL)?.reminders).toEqual(record);
});
