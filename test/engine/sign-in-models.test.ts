/**
 * The whole flow (plan, apply, plan again) in pools with other sign-in models than the dev stack's: email as an
 * alias (usernames that are not email-shaped, the email verified and unique), and a case-sensitive pool (created,
 * as the API does by default, with CaseSensitive true), where `A@x` and `a@x` are two users.
 */
import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
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
