/**
 * The pool decides, the applied record is a cache (issue 8, item 1), the verified flag on email changes, and an
 * explicit Region — against the emulator through the real SDK clients.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { AdminDeleteUserCommand, AdminGetUserCommand, AdminUpdateUserAttributesCommand } from "@aws-sdk/client-cognito-identity-provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { FAST_TIMING, useEngineWorld } from "../support/emulator-pool";
import type { PoolProfile } from "../../core/profile";
import { createStackPool } from "../../cli/emulator-pool";
import { applyRoster, planRoster, type RosterRun } from "../../engine/reconcile";
import { range, traineeEmail, traineeProfile } from "../support/roster-fixture";

const world = useEngineWorld();

async function newPool(overrides: Partial<PoolProfile> = {}, on: RunningEmulator = world.emulator): Promise<PoolProfile> {
  const profile = traineeProfile(overrides);
  await createStackPool(profile, on.endpoint);
  return profile;
}

function runOf(profile: PoolProfile, extra: Partial<RosterRun> = {}): RosterRun & { messages: string[] } {
  const messages: string[] = [];
  return {
    profile,
    usersDir: world.checkout.usersDir,
    repoRoot: world.checkout.repoRoot,
    timing: FAST_TIMING,
    progress: (m) => messages.push(m),
    messages,
    ...extra,
  };
}

test("apply, then a fresh empty pool with the same id: the plan lists every user for import and apply restores them", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 4));
  const first = await applyRoster(runOf(profile));
  expect(first).toMatchObject({ imported: 4, failed: [] });
  expect(first.binding).toMatchObject({ userPoolId: profile.userPoolId, managedUsers: 4 });

  const rebuilt = await startEmulator();
  try {
    await createStackPool(profile, rebuilt.endpoint);
    process.env.AWS_ENDPOINT_URL = rebuilt.endpoint;
    const planRun = runOf(profile, { previous: first.applied, binding: first.binding });
    const planned = await planRoster(planRun);
    expect(planned.plan.import.map((p) => p.username)).toEqual(range(1, 4).map((t) => traineeEmail(t.n)));
    expect(planned.fullObservationReason).toBeDefined();
    // One progress line says why, without personal data.
    expect(planRun.messages.filter((m) => /checking every declared user/.test(m))).toHaveLength(1);
    expect(planRun.messages.join("\n")).not.toMatch(/example\.nhs\.uk/);

    const restored = await applyRoster(runOf(profile, { previous: first.applied, binding: first.binding }));
    expect(restored).toMatchObject({ imported: 4, failed: [] });
    expect(restored.binding.createdAt).not.toBe(first.binding.createdAt);
    // Now bound to the new pool: the next plan trusts the record and reads no user.
    const again = await planRoster(runOf(profile, { previous: restored.applied, binding: restored.binding }));
    expect(again.fullObservationReason).toBeUndefined();
    expect(again.readStrategy).toBe("none");
    expect(again.plan.unchanged).toBe(4);
  } finally {
    process.env.AWS_ENDPOINT_URL = world.emulator.endpoint;
    await rebuilt.stop();
  }
});

test("an unbound record (written before the binding) costs one full observation, then the record is bound", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 3));
  const first = await applyRoster(runOf(profile));
  const unbound = await planRoster(runOf(profile, { previous: first.applied }));
  expect(unbound.fullObservationReason).toMatch(/not bound/);
  expect(unbound.plan.unchanged).toBe(3);
  const bound = await planRoster(runOf(profile, { previous: first.applied, binding: first.binding }));
  expect(bound.fullObservationReason).toBeUndefined();
  expect(bound.readStrategy).toBe("none");
});

test("users deleted or changed out of band: a full check names exactly those; many deleted is noticed without --full", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 10));
  const first = await applyRoster(runOf(profile));
  await world.cognito.send(new AdminDeleteUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(3) }));
  await world.cognito.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: profile.userPoolId,
      Username: traineeEmail(5),
      UserAttributes: [{ Name: "given_name", Value: "Changed" }],
    }),
  );
  const bound = { previous: first.applied, binding: first.binding };
  // One user of ten gone is within the estimate's tolerance: the incremental plan trusts the record.
  const incremental = await planRoster(runOf(profile, bound));
  expect(incremental.plan.import).toHaveLength(0);
  // The full check (cognito-roster plan --full; pulumi refresh) names exactly the deleted and the changed user.
  const full = await planRoster(runOf(profile, { ...bound, full: true }));
  expect(full.plan.import.map((p) => p.username)).toEqual([traineeEmail(3)]);
  expect(full.plan.update.map((u) => [u.username, u.attributes])).toEqual([[traineeEmail(5), ["given_name"]]]);

  for (const n of [1, 2, 4])
    await world.cognito.send(new AdminDeleteUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(n) }));
  // Four of ten gone: fewer users than the record allows for, so the plan checks everyone by itself.
  const noticed = await planRoster(runOf(profile, bound));
  expect(noticed.fullObservationReason).toMatch(/fewer than the 10/);
  expect(noticed.plan.import.map((p) => p.username)).toEqual([1, 2, 3, 4].map(traineeEmail));
  const repaired = await applyRoster(runOf(profile, bound));
  expect(repaired).toMatchObject({ imported: 4, failed: [] });
});

test("an email change is sent with email_verified=true in the same call, so the pool keeps it verified", async () => {
  const profile = await newPool({ usernameMustEqualEmail: false });
  const file = path.join(world.checkout.usersDir, "london", "a.yaml");
  const text = (email: string) =>
    [
      "defaults:",
      "  mfa_enabled: true",
      "  email_verified: true",
      "users:",
      "  - username: trainee.0001",
      `    email: ${email}`,
      "    given_name: Testname",
      "    family_name: Synthetic",
      '    custom:tisId: "700001"',
      "",
    ].join("\n");
  world.checkout.write("london/a.yaml", []);
  writeFileSync(file, text("old.address@example.nhs.uk"));
  const first = await applyRoster(runOf(profile));
  expect(first).toMatchObject({ imported: 1, failed: [] });

  writeFileSync(file, text("new.address@example.nhs.uk"));
  const second = await applyRoster(runOf(profile, { previous: first.applied, binding: first.binding }));
  expect(second).toMatchObject({ updated: 1, failed: [] });
  const user = await world.cognito.send(new AdminGetUserCommand({ UserPoolId: profile.userPoolId, Username: "trainee.0001" }));
  const attr = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
  expect(attr("email")).toBe("new.address@example.nhs.uk");
  expect(attr("email_verified")).toBe("true");
});

test("a Region that is not the pool id's is a configuration error before any AWS call", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 1));
  world.emulator.resetCallCounts();
  await expect(planRoster(runOf({ ...profile, region: "eu-west-1" }))).rejects.toMatchObject({
    name: "RosterConfigError",
    message: expect.stringMatching(/eu-west-2/),
  });
  await expect(planRoster(runOf({ ...profile, region: "" }))).rejects.toMatchObject({ name: "RosterConfigError" });
  expect(world.emulator.callCounts()).toEqual({});
});
