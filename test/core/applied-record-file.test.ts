/**
 * core/applied-record-file.ts: what an applied record file says for one pool — the CLI's own record, an older bare
 * digest map, another pool's record, or a `pulumi stack export`. (test/cli/applied-state.test.ts reads whole files.)
 */
import { appliedRecordOf } from "../../core/applied-record-file";

const POOL = "eu-west-2_Tr41n33s0";
const OTHER = "eu-west-2_Other0000";
const ROSTER = "pulumi-nodejs:dynamic/cognito-roster:UserPoolRoster";
const MARKS = "pulumi-nodejs:dynamic/cognito-roster:SignInReminderMarks";
const DIGESTS = { aaaaaaaaaaaaaaaa: "bbbbbbbbbbbbbbbb" };
const BINDING = { userPoolId: POOL, arn: `arn:aws:cognito-idp:eu-west-2:000000000000:userpool/${POOL}`, createdAt: 1, managedUsers: 1 };
const LEDGER = { pending: ["cccccccccccccccc"], sent: [] };
const REMINDERS = { pool: { arn: BINDING.arn, createdAt: 1 }, trainees: {} };
const FOREIGN = (id: string) => ({ applied: {}, binding: { userPoolId: id, arn: "", createdAt: 0, managedUsers: 0 } });
const exportOf = (...resources: { type?: string; outputs?: object }[]) => ({ deployment: { resources } });

test.each([
  {
    what: "the CLI's record, with its binding and ledger",
    data: { userPoolId: POOL, applied: DIGESTS, pool: BINDING, signInCodes: LEDGER },
    record: { applied: DIGESTS, binding: BINDING, signInCodes: LEDGER },
  },
  { what: "the CLI's record without a pool (older files)", data: { userPoolId: POOL, applied: DIGESTS }, record: { applied: DIGESTS } },
  {
    what: "the CLI's record with a damaged binding and ledger (both left out)",
    data: { userPoolId: POOL, applied: DIGESTS, pool: { arn: 1 }, signInCodes: { pending: [1] } },
    record: { applied: DIGESTS },
  },
  { what: "another pool's record (unbound: every user is checked)", data: { userPoolId: OTHER, applied: DIGESTS }, record: FOREIGN(OTHER) },
  { what: "a bare digest map (the oldest files)", data: DIGESTS, record: { applied: DIGESTS } },
  { what: "a stack export that has applied no roster", data: exportOf({ type: "aws:iam/role:Role" }), record: undefined },
  {
    what: "a stack export: this pool's roster, its binding, ledger and reminders",
    data: exportOf(
      { type: ROSTER, outputs: { userPoolId: POOL, applied: DIGESTS, pool: BINDING, signInCodes: LEDGER } },
      { type: MARKS, outputs: { profile: { userPoolId: POOL }, record: REMINDERS } },
    ),
    record: { applied: DIGESTS, binding: BINDING, signInCodes: LEDGER, reminders: REMINDERS },
  },
  {
    what: "a stack export's roster without digests",
    data: exportOf({ type: ROSTER, outputs: { userPoolId: POOL } }),
    record: { applied: {} },
  },
  { what: "a stack export of another pool", data: exportOf({ type: ROSTER, outputs: { userPoolId: OTHER } }), record: FOREIGN(OTHER) },
  { what: "a stack export whose roster names no pool", data: exportOf({ type: ROSTER }), record: FOREIGN("unknown") },
])("$what", ({ data, record }) => {
  expect(appliedRecordOf(data as Parameters<typeof appliedRecordOf>[0], POOL)).toEqual(record);
});
