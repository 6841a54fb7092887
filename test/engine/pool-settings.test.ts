/**
 * A stack that does not describe its pool stops plan and apply (exit 2 in the CLI) with one line per setting, from
 * the run's one DescribeUserPool answer: each kind of mismatch against an emulator pool created with another setting.
 */
import { copyFileSync } from "node:fs";
import * as path from "node:path";
import type { PoolProfile } from "../../core/profile";
import { loadStackProfile } from "../../load/stack-profile";
import { applyRoster, planRoster } from "../../engine/reconcile";
import { createPool, useEngineWorld } from "../support/emulator-pool";
import { range, traineeProfile } from "../support/roster-fixture";
import { runInProcess } from "../support/cli-in-process";

const ROOT = path.resolve(__dirname, "../..");
const world = useEngineWorld();
beforeEach(() => {
  world.checkout.write("london/a.yaml", range(1, 2));
});

/** The stack (the fixture's dev-like profile) and a pool created from it with `pool` changed. */
async function stackAndPool(pool: Partial<PoolProfile>): Promise<PoolProfile> {
  const stack = traineeProfile();
  await createPool(world.emulator, { ...stack, ...pool });
  return stack;
}

const kinds: [string, Partial<PoolProfile>, string][] = [
  ["pool name", { userPoolName: "renamed" }, "cognito-roster:userPoolName: stack trainee-information-system, pool renamed"],
  [
    "auto-verified attributes",
    { autoVerifiedAttributes: ["email", "phone_number"] },
    "cognito-roster:autoVerifiedAttributes: stack [email], pool [email, phone_number]",
  ],
  ["MFA", { mfaConfiguration: "OPTIONAL" }, "cognito-roster:mfaConfiguration: stack ON, pool OPTIONAL"],
  ["required attributes", { requiredAttributes: [] }, "cognito-roster:requiredAttributes: stack [email], pool []"],
  [
    "custom attribute constraints",
    { customAttributes: { tisId: { type: "String", minLength: 1, maxLength: 10 } } },
    "cognito-roster:customAttributes.tisId: stack {type: String, minLength: 1, maxLength: 20, mutable: true}, pool {type: String, minLength: 1, maxLength: 10, mutable: true}",
  ],
  [
    "a custom attribute the stack does not declare",
    { customAttributes: { tisId: { type: "String", minLength: 1, maxLength: 20 }, grade: { type: "Number" } } },
    "cognito-roster:customAttributes.grade: stack (not declared), pool {type: Number, mutable: true}",
  ],
  [
    "a declared custom attribute the pool lacks",
    { customAttributes: {} },
    "cognito-roster:customAttributes.tisId: stack {type: String, minLength: 1, maxLength: 20, mutable: true}, pool (none)",
  ],
  [
    "a custom attribute's type",
    { customAttributes: { tisId: { type: "Number" } } },
    "cognito-roster:customAttributes.tisId: stack {type: String, minLength: 1, maxLength: 20, mutable: true}, pool {type: Number, mutable: true}",
  ],
  ["case sensitivity", { usernameCaseSensitive: true }, "cognito-roster:usernameCaseSensitive: stack false, pool true"],
  ["username attributes", { usernameAttributes: ["email"] }, "cognito-roster:usernameAttributes: stack [], pool [email]"],
  [
    "aliases",
    { aliasAttributes: ["email", "preferred_username"] },
    "cognito-roster:aliasAttributes: stack [], pool [email, preferred_username]",
  ],
  ["account recovery", { accountRecovery: ["admin_only"] }, "cognito-roster:accountRecovery: stack (not set), pool [admin_only]"],
  [
    "verification before update",
    { attributesRequireVerificationBeforeUpdate: ["email"] },
    "cognito-roster:attributesRequireVerificationBeforeUpdate: stack [], pool [email]",
  ],
  ["email sender", { emailSendingAccount: "DEVELOPER" }, "cognito-roster:emailSendingAccount: stack COGNITO_DEFAULT, pool DEVELOPER"],
];

test.each(kinds)("%s: plan stops with a configuration error naming the setting", async (_, pool, line) => {
  const stack = await stackAndPool(pool);
  const before = world.emulator.callCounts();
  const refused = planRoster({ profile: stack, usersDir: world.checkout.usersDir, repoRoot: world.checkout.repoRoot });
  await expect(refused).rejects.toMatchObject({ name: "RosterConfigError" });
  const message = await refused.then(
    () => "",
    (e: Error) => e.message,
  );
  expect(message.split("\n").slice(1)).toEqual([`  ${line}`]);
  // No extra AWS call: the answer the run needed anyway.
  expect((world.emulator.callCounts().DescribeUserPool ?? 0) - (before.DescribeUserPool ?? 0)).toBe(1);
  expect((world.emulator.callCounts().ListUsers ?? 0) - (before.ListUsers ?? 0)).toBe(0);
});

test("a stack that says email is the username, against a pool with a free-form username: the sign-in model line", async () => {
  const stack = traineeProfile({ usernameAttributes: ["email"], usernameMustEqualEmail: false });
  await createPool(world.emulator, { ...stack, usernameAttributes: [] });
  const refused = planRoster({ profile: stack, usersDir: world.checkout.usersDir, repoRoot: world.checkout.repoRoot });
  const message = await refused.then(
    () => "",
    (e: Error) => e.message,
  );
  expect(message.split("\n").slice(1)).toEqual(["  cognito-roster:usernameAttributes: stack [email], pool []"]);
});

test("apply refuses before anything is created", async () => {
  const stack = await stackAndPool({ usernameCaseSensitive: true });
  const before = world.emulator.callCounts();
  await expect(applyRoster({ profile: stack, usersDir: world.checkout.usersDir, repoRoot: world.checkout.repoRoot })).rejects.toMatchObject(
    {
      name: "RosterConfigError",
    },
  );
  const after = world.emulator.callCounts();
  expect(after.CreateUserImportJob ?? 0).toBe(before.CreateUserImportJob ?? 0);
  expect(after.AdminGetUser ?? 0).toBe(before.AdminGetUser ?? 0);
});

test("cognito-roster plan and apply: exit 2, one line per setting; validate (no credentials) keeps using the stack file", async () => {
  const dev = loadStackProfile(ROOT, "dev").profile as PoolProfile;
  await createPool(world.emulator, {
    ...dev,
    usernameCaseSensitive: true,
    aliasAttributes: ["email"],
    accountRecovery: ["verified_email"],
  });
  copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(world.checkout.repoRoot, "Pulumi.dev.yaml"));
  const env = { ...process.env, AWS_REGION: "eu-west-2" };
  const expected = [
    "  cognito-roster:usernameCaseSensitive: stack false, pool true",
    "  cognito-roster:aliasAttributes: stack [], pool [email]",
    "  cognito-roster:accountRecovery: stack (not set), pool [verified_email]",
  ];
  for (const command of [["plan"], ["apply", "--yes", "--logs-role-arn", "arn:aws:iam::000000000000:role/logs"]]) {
    const out = await runInProcess(world.checkout.repoRoot, env, command);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(new RegExp(`^cognito-roster ${command[0]}: the stack config does not match pool eu-west-2_Tr41n33s0`, "m"));
    expect(out.stderr.trimEnd().split("\n").slice(-3)).toEqual(expected);
  }
  const validated = await runInProcess(world.checkout.repoRoot, env, ["validate"]);
  expect(validated.code).toBe(0);
});
