/**
 * The whole flow (plan, apply, plan again) in pools with other sign-in models than the dev stack's: email as an
 * alias (usernames that are not email-shaped, the email verified and unique), a case-sensitive pool (created,
 * as the API does by default, with CaseSensitive true), where `A@x` and `a@x` are two users, and pools whose username
 * is an email or phone number (UsernameAttributes): the users files name each person by that value, the import CSV
 * carries it as `cognito:username`, the pool generates each account's username (the `sub`), and the roster reaches
 * and lists accounts by the email / phone (core/sign-in-name.ts) — plan, apply, plan again with nothing to do, an
 * update, a group membership, a removal, and validation before any AWS call.
 */
import { AdminGetUserCommand, ListUsersInGroupCommand } from "@aws-sdk/client-cognito-identity-provider";
import { applyRoster, planRoster, type RosterRun } from "../../engine/reconcile";
import type { PoolProfile } from "../../core/profile";
import { createPool, useEngineWorld } from "../support/emulator-pool";
import { traineeProfile } from "../support/roster-fixture";

const world = useEngineWorld();

const runOf = (profile: PoolProfile, extra: Partial<RosterRun> = {}): RosterRun => world.runOf(profile, undefined, extra);

function usersFile(users: { username: string; email: string }[]): string {
  const lines = ["defaults:", "  mfa_enabled: true", "  email_verified: true", "users:"];
  users.forEach((u, i) => {
    lines.push(`  - username: ${u.username}`, `    email: ${u.email}`, "    given_name: Testname", "    family_name: Synthetic");
    lines.push(`    phone_number: "+447700900${String(100 + i)}"`);
  });
  return `${lines.join("\n")}\n`;
}

test("an email-alias pool: non-email usernames import, sign in by their verified email, and plan again with nothing to do", async () => {
  const profile = traineeProfile({ aliasAttributes: ["email"], usernameMustEqualEmail: false });
  await createPool(world.emulator, profile);
  world.checkout.writeText(
    "london/a.yaml",
    usersFile([
      { username: "jane.doe", email: "jane.doe@example.nhs.uk" },
      { username: "sam.roe", email: "sam.roe@example.nhs.uk" },
    ]),
  );
  const first = await applyRoster(runOf(profile));
  expect(first).toMatchObject({ imported: 2, failed: [] });
  // The verified email is an active alias: an Admin* call finds the user by it.
  const byAlias = await world.cognito.send(
    new AdminGetUserCommand({ UserPoolId: profile.userPoolId, Username: "jane.doe@example.nhs.uk" }),
  );
  expect(byAlias.Username).toBe("jane.doe");
  const again = await planRoster(runOf(profile, { previous: first.applied, binding: first.binding, full: true }));
  expect(again.plan).toMatchObject({ import: [], update: [], unchanged: 2 });
});

test("an email-alias pool refuses an email-shaped username at validation, before any AWS call", async () => {
  const profile = traineeProfile({ aliasAttributes: ["email"], usernameMustEqualEmail: false });
  await createPool(world.emulator, profile);
  world.checkout.writeText("london/a.yaml", usersFile([{ username: "jane.doe@example.nhs.uk", email: "jane.doe@example.nhs.uk" }]));
  const before = world.emulator.callCounts().DescribeUserPool ?? 0;
  await expect(planRoster(runOf(profile))).rejects.toMatchObject({
    name: "RosterValidationError",
    diagnostics: [expect.objectContaining({ code: "USERNAME_ALIAS_SHAPED", line: 5 })],
  });
  expect(world.emulator.callCounts().DescribeUserPool ?? 0).toBe(before);
});

test("a case-sensitive pool: two usernames differing only in case are two users, imported and planned as such", async () => {
  const profile = traineeProfile({ usernameCaseSensitive: true, usernameMustEqualEmail: false });
  await createPool(world.emulator, profile);
  world.checkout.writeText(
    "london/a.yaml",
    usersFile([
      { username: "Trainee.Case", email: "trainee.case1@example.nhs.uk" },
      { username: "trainee.case", email: "trainee.case2@example.nhs.uk" },
    ]),
  );
  const first = await applyRoster(runOf(profile));
  expect(first).toMatchObject({ imported: 2, failed: [] });
  const again = await planRoster(runOf(profile, { previous: first.applied, binding: first.binding, full: true }));
  expect(again.plan).toMatchObject({ import: [], update: [], unchanged: 2 });
});

interface Person {
  username: string;
  email?: string;
  phone: string;
  givenName?: string;
  groups?: string[];
}

function signInFile(people: readonly Person[]): string {
  const lines = ["defaults:", "  mfa_enabled: true", "users:"];
  for (const p of people) {
    lines.push(`  - username: "${p.username}"`);
    if (p.email) lines.push(`    email: ${p.email}`, "    email_verified: true");
    lines.push(`    phone_number: "${p.phone}"`, "    phone_number_verified: true");
    lines.push(`    given_name: ${p.givenName ?? "Testname"}`, "    family_name: Synthetic");
    if (p.groups) lines.push(`    groups: [${p.groups.join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

function callsSince(before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(world.emulator.callCounts()).map(([k, v]) => [k, v - (before[k] ?? 0)]));
}

async function account(poolId: string, name: string) {
  const out = await world.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: name }));
  const attributes = Object.fromEntries((out.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
  return { username: out.Username, enabled: out.Enabled, attributes };
}

test("UsernameAttributes [email]: imported by email, named by email, planned again with nothing to do; an update, a group and a removal reach the account", async () => {
  const profile = traineeProfile({
    usernameAttributes: ["email"],
    usernameMustEqualEmail: false,
    removedUsers: "disable",
    maxRemovalFraction: 1,
    groups: { trainees: {} },
  });
  await createPool(world.emulator, profile);
  const jane = { username: "jane.doe@example.nhs.uk", email: "jane.doe@example.nhs.uk", phone: "+447700900301", groups: ["trainees"] };
  const sam = { username: "sam.roe@example.nhs.uk", email: "sam.roe@example.nhs.uk", phone: "+447700900302" };
  world.checkout.writeText("london/a.yaml", signInFile([jane, sam]));

  const first = await applyRoster(runOf(profile));
  expect(first).toMatchObject({ imported: 2, failed: [] });
  const janeAccount = await account(profile.userPoolId, jane.email);
  // The pool generated the username: the sub, not the email the files give.
  expect(janeAccount.username).toBe(janeAccount.attributes.sub);
  const members = await world.cognito.send(new ListUsersInGroupCommand({ UserPoolId: profile.userPoolId, GroupName: "trainees" }));
  expect(members.Users?.map((u) => u.Username)).toEqual([janeAccount.username]);

  // A full check (a ListUsers scan and per-group membership reads, both naming accounts by generated usernames).
  const calls = { ...world.emulator.callCounts() };
  const again = await planRoster(runOf(profile, { previous: first.applied, binding: first.binding, full: true }));
  expect(again.plan).toMatchObject({ import: [], update: [], remove: [], unchanged: 2 });
  // The group's members were listed (by their generated usernames) and recognised by email.
  expect(callsSince(calls).ListUsersInGroup).toBe(1);
  expect(again.plan.memberships?.changes ?? []).toEqual([]);

  // An attribute update goes to the account the email names.
  world.checkout.writeText("london/a.yaml", signInFile([{ ...jane, givenName: "Janet" }, sam]));
  const updated = await applyRoster(runOf(profile, { previous: first.applied, binding: first.binding }));
  expect(updated).toMatchObject({ failed: [] });
  expect((await account(profile.userPoolId, jane.email)).attributes.given_name).toBe("Janet");

  // A user deleted from the files is found (by the record's digest of the email) and disabled.
  world.checkout.writeText("london/a.yaml", signInFile([{ ...jane, givenName: "Janet" }]));
  const before = { ...world.emulator.callCounts() };
  const removal = await applyRoster(runOf(profile, { previous: updated.applied, binding: updated.binding }));
  // No base names the removed user: the sub the record kept reaches the account (generated username) without a scan.
  expect(callsSince(before)).toMatchObject({ AdminDisableUser: 1 });
  expect(callsSince(before).ListUsers).toBeUndefined();
  expect(removal).toMatchObject({ failed: [] });
  expect((await account(profile.userPoolId, sam.email)).enabled).toBe(false);
  const settled = await planRoster(runOf(profile, { previous: removal.applied, binding: removal.binding, full: true }));
  expect(settled.plan).toMatchObject({ import: [], update: [], unchanged: 1 });
});

test("UsernameAttributes [phone_number]: the username is the E.164 phone; imported, read back by phone, planned again with nothing to do", async () => {
  const profile = traineeProfile({
    usernameAttributes: ["phone_number"],
    usernameMustEqualEmail: false,
    autoVerifiedAttributes: ["phone_number"],
    requiredAttributes: [],
  });
  await createPool(world.emulator, profile);
  const people = [
    { username: "+447700900311", email: "ann.lee@example.nhs.uk", phone: "+447700900311" },
    { username: "+447700900312", phone: "+447700900312" },
  ];
  world.checkout.writeText("leeds/a.yaml", signInFile(people));
  const first = await applyRoster(runOf(profile));
  expect(first).toMatchObject({ imported: 2, failed: [] });
  expect((await account(profile.userPoolId, "+447700900311")).username).toMatch(/^[0-9a-f-]{36}$/);
  const again = await planRoster(runOf(profile, { previous: first.applied, binding: first.binding, full: true }));
  expect(again.plan).toMatchObject({ import: [], update: [], unchanged: 2 });
});

test("a username that is not the sign-in attribute is USERNAME_NOT_SIGN_IN_ATTRIBUTE at its place, before any AWS call", async () => {
  const profile = traineeProfile({ usernameAttributes: ["email"], usernameMustEqualEmail: false });
  await createPool(world.emulator, profile);
  world.checkout.writeText(
    "london/a.yaml",
    signInFile([{ username: "jane.doe", email: "jane.doe@example.nhs.uk", phone: "+447700900321" }]),
  );
  const before = world.emulator.callCounts().DescribeUserPool ?? 0;
  await expect(planRoster(runOf(profile))).rejects.toMatchObject({
    name: "RosterValidationError",
    diagnostics: [
      expect.objectContaining({
        code: "USERNAME_NOT_SIGN_IN_ATTRIBUTE",
        file: "users/london/a.yaml",
        line: 4,
        col: 15,
        message:
          "username must be the user's email, jane.doe@example.nhs.uk: this pool signs in with it instead of a username (stack setting usernameAttributes)",
      }),
    ],
  });
  expect(world.emulator.callCounts().DescribeUserPool ?? 0).toBe(before);
});
