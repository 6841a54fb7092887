/**
 * The applied record bound to its pool (issue 8, item 1): the CLI file and a `pulumi stack export` carry the
 * pool's ARN, creation date and managed-user count; older records without them read as unbound.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { readAppliedRecord, writeAppliedState } from "../../cli/applied-state";

const POOL = "eu-west-2_Tr41n33s0";
const BINDING = {
  userPoolId: POOL,
  arn: `arn:aws:cognito-idp:eu-west-2:000000000000:userpool/${POOL}`,
  createdAt: 1_767_225_600_000,
  managedUsers: 1,
};
let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "applied-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("the CLI's file keeps the binding beside the digests", () => {
  const file = path.join(dir, "applied-dev.json");
  writeAppliedState(file, POOL, { aaaaaaaaaaaaaaaa: "bbbbbbbbbbbbbbbb" }, BINDING);
  expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
    userPoolId: POOL,
    applied: { aaaaaaaaaaaaaaaa: "bbbbbbbbbbbbbbbb" },
    pool: BINDING,
  });
  expect(readAppliedRecord(file, POOL)).toEqual({ applied: { aaaaaaaaaaaaaaaa: "bbbbbbbbbbbbbbbb" }, binding: BINDING });
});

test("an older file without the binding, or a bare digest map, reads as unbound", () => {
  const file = path.join(dir, "applied-dev.json");
  writeFileSync(file, JSON.stringify({ userPoolId: POOL, applied: { a: "b" } }));
  expect(readAppliedRecord(file, POOL)).toEqual({ applied: { a: "b" } });
  writeFileSync(file, JSON.stringify({ a: "b" }));
  expect(readAppliedRecord(file, POOL)).toEqual({ applied: { a: "b" } });
});

test("a stack export gives the roster resource's binding", () => {
  const file = path.join(dir, "stack.json");
  const outputs = { userPoolId: POOL, applied: { a: "b" }, pool: BINDING };
  writeFileSync(
    file,
    JSON.stringify({ deployment: { resources: [{ type: "pulumi-nodejs:dynamic/cognito-roster:UserPoolRoster", outputs }] } }),
  );
  expect(readAppliedRecord(file, POOL)).toEqual({ applied: { a: "b" }, binding: BINDING });
});
