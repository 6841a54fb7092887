/**
 * program/user-groups.ts under `pulumi.runtime.setMocks`: one aws.cognito.UserGroup per group of the stack, with the
 * stack's description, precedence and role, and none for a stack that manages no groups.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";

const registered: MockResourceArgs[] = [];
pulumi.runtime.setMocks(
  {
    newResource(args: MockResourceArgs) {
      registered.push(args);
      return { id: `${args.name}-id`, state: { ...args.inputs } };
    },
    call() {
      throw new Error("no calls expected");
    },
  },
  "cognito-roster",
  "dev",
  false,
);

import { declareUserGroups, groupResourceName } from "../../program/user-groups";
import { readFileSync } from "node:fs";
import { loadStackProfile } from "../../load/stack-profile";
import * as path from "node:path";

const dev = loadStackProfile(path.resolve(__dirname, "../.."), "dev").profile!;

test("one UserGroup per managed group, named after the pool and the group, with the stack's settings", async () => {
  const role = "arn:aws:iam::123456789012:role/trainees";
  const groups = declareUserGroups({ ...dev, groups: { ...dev.groups, cohort: { roleArn: role } } });
  expect(groups).toHaveLength(3);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const byName = Object.fromEntries(registered.map((r) => [r.name, r]));
  expect(byName[groupResourceName(dev.userPoolId, "trainees")]).toMatchObject({
    type: "aws:cognito/userGroup:UserGroup",
    inputs: { name: "trainees", userPoolId: dev.userPoolId, description: "Every trainee in the roster", precedence: 10 },
  });
  expect(byName[groupResourceName(dev.userPoolId, "cohort")].inputs).toEqual({ name: "cohort", userPoolId: dev.userPoolId, roleArn: role });
});

test("the guide's `pulumi import` lines name each group's resource as the program does, with the provider's id <pool id>/<group name>", () => {
  const guide = readFileSync(path.resolve(__dirname, "../../docs/running-for-real.md"), "utf8");
  const imports = guide.split("\n").filter((line) => line.startsWith("pulumi import aws:cognito/userGroup:UserGroup "));
  expect(imports).toEqual(
    ["trainees", "kss-admins"].map(
      (group) => `pulumi import aws:cognito/userGroup:UserGroup ${groupResourceName(dev.userPoolId, group)} ${dev.userPoolId}/${group}`,
    ),
  );
  expect(imports[0]).toBe("pulumi import aws:cognito/userGroup:UserGroup eu-west-2_Tr41n33s0-group-trainees eu-west-2_Tr41n33s0/trainees");
});

test("a stack without groups declares none", () => {
  expect(declareUserGroups({ ...dev, groups: undefined })).toEqual([]);
});
