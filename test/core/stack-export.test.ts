/**
 * core/stack-export.ts: what a `pulumi stack export` file is trusted for — found by resource type, checked by shape.
 * (test/cli/applied-state.test.ts reads whole files through cli/applied-state.ts.)
 */
import { isSignInCodeRecord, isStackExport, remindersFromStackExport, rosterOutputsOf, type StackExport } from "../../core/stack-export";

const POOL = "eu-west-2_Tr41n33s0";
const ROSTER = "pulumi-nodejs:dynamic/cognito-roster:UserPoolRoster";
const MARKS = "pulumi-nodejs:dynamic/cognito-roster:SignInReminderMarks";
const exportOf = (...resources: { type?: string; outputs?: object }[]): StackExport => ({ deployment: { resources } });

test.each([
  { what: "an export", data: { version: 3, deployment: {} }, is: true },
  { what: "the CLI's own record", data: { userPoolId: POOL, applied: {} }, is: false },
  { what: "a bare digest map", data: { aaaaaaaaaaaaaaaa: "bbbbbbbbbbbbbbbb" }, is: false },
  { what: "null", data: null, is: false },
  { what: "a string", data: "deployment", is: false },
])("$what is a stack export: $is", ({ data, is }) => {
  expect(isStackExport(data)).toBe(is);
});

test.each([
  { what: "no resources", data: { deployment: {} }, outputs: [] },
  { what: "no roster", data: exportOf({ type: "aws:iam/role:Role", outputs: { arn: "x" } }), outputs: [] },
  {
    what: "rosters among other resources, in order; a roster without outputs",
    data: exportOf(
      { type: "aws:iam/role:Role", outputs: { userPoolId: "not a roster" } },
      { type: ROSTER, outputs: { userPoolId: "eu-west-2_Other0000" } },
      { type: ROSTER },
      { type: ROSTER, outputs: { userPoolId: POOL, applied: { cccccccccccccccc: "dddddddddddddddd" } } },
    ),
    outputs: [{ userPoolId: "eu-west-2_Other0000" }, {}, { userPoolId: POOL, applied: { cccccccccccccccc: "dddddddddddddddd" } }],
  },
])("the roster outputs of $what", ({ data, outputs }) => {
  expect(rosterOutputsOf(data)).toEqual(outputs);
});

test.each([
  { what: "a ledger", value: { pending: ["a"], sent: [] }, is: true },
  { what: "a ledger with its pool", value: { pending: [], sent: ["b"], pool: { arn: "x", createdAt: 1 } }, is: true },
  { what: "no sent list", value: { pending: [] }, is: false },
  { what: "a digest that is not a string", value: { pending: [1], sent: [] }, is: false },
  { what: "a list that is not a list", value: { pending: "a", sent: [] }, is: false },
  { what: "null", value: null, is: false },
  { what: "undefined", value: undefined, is: false },
])("$what is a sign-in code record: $is", ({ value, is }) => {
  expect(isSignInCodeRecord(value)).toBe(is);
});

const record = { trainees: { eeeeeeeeeeeeeeee: { rounds: [] } } };

test.each([
  { what: "no marks", data: exportOf({ type: ROSTER, outputs: { userPoolId: POOL } }), found: undefined },
  { what: "this pool's marks", data: exportOf({ type: MARKS, outputs: { profile: { userPoolId: POOL }, record } }), found: record },
  {
    what: "another pool's marks only",
    data: exportOf({ type: MARKS, outputs: { profile: { userPoolId: "eu-west-2_Other0000" }, record } }),
    found: undefined,
  },
  {
    what: "the marks of this pool after another's",
    data: exportOf(
      { type: MARKS, outputs: { profile: { userPoolId: "eu-west-2_Other0000" }, record: { trainees: {} } } },
      { type: MARKS, outputs: { profile: { userPoolId: POOL }, record } },
    ),
    found: record,
  },
  { what: "marks without a record", data: exportOf({ type: MARKS, outputs: { profile: { userPoolId: POOL } } }), found: undefined },
  {
    what: "a record without trainees",
    data: exportOf({ type: MARKS, outputs: { profile: { userPoolId: POOL }, record: { trainees: null } } }),
    found: undefined,
  },
  { what: "a profile-less resource", data: exportOf({ type: MARKS, outputs: { record } }), found: undefined },
])("reminders: $what", ({ data, found }) => {
  expect(remindersFromStackExport(data, POOL)).toEqual(found);
});
