/**
 * The UserPoolRoster provider, serialised exactly as Pulumi serialises it, run in Pulumi's own dynamic-provider
 * host process and driven over gRPC as the engine drives it, against the project's emulator. The serialised shim
 * loads the engine from the checkout's dist/; here that entry loads the TypeScript sources (test/support/engine-entry.ts).
 */
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { createPool } from "../support/emulator-pool";
import { loadRoster } from "../../load/load-roster";
import { declaredPart, digestDeclaredUsers, recordedSub, rosterDigest, usernameDigest } from "../../core/user-digest";
import type { PoolProfile } from "../../core/profile";
import { accessOnDate } from "../../core/access-dates";
import { userPoolRosterProvider } from "../../providers/user-pool-roster-provider";
import { rosterFailuresProvider } from "../../providers/roster-failures";
import { installSourceEngine } from "../support/engine-entry";
import { ProviderHost, resourceUrn, serializeProvider, type Props } from "../support/provider-host";
import {
  aliasPoolFileText,
  LOGS_ROLE,
  makeCheckout,
  range,
  traineeEmail,
  traineeProfile,
  type RosterCheckout,
  type TraineeSpec,
  usersFileText,
  accountView,
} from "../support/roster-fixture";

const PROJECT_ROOT = path.resolve(__dirname, "../..");
const URN = resourceUrn("trainees");

let emulator: RunningEmulator;
let host: ProviderHost;
let checkout: RosterCheckout;
let providerText: string;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  emulator = await startEmulator();
  checkout = makeCheckout();
  // The host resolves the provider's packages from its working directory, as from a real project checkout.
  symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(checkout.repoRoot, "node_modules"), "dir");
  installSourceEngine(checkout.repoRoot);
  providerText = await serializeProvider(userPoolRosterProvider);
  host = await ProviderHost.start({
    cwd: checkout.repoRoot,
    env: {
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      // As roster-apply.yml sets it from the pushed commit's parent; only present while a test copies users/ there.
      ROSTER_BASE_USERS: path.join(checkout.repoRoot, "base-users"),
    },
  });
  cognito = new CognitoIdentityProviderClient({
    region: "eu-west-2",
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
}, 60_000);

beforeEach(() => checkout?.reset());

afterAll(async () => {
  if (process.env.DEBUG_HOST) process.stdout.write(host?.stderr() ?? "");
  cognito?.destroy();
  await host?.stop();
  await emulator?.stop();
  checkout?.cleanup();
});

/** The inputs the Pulumi program would register for the checkout's current files. */
function inputsFor(profile: PoolProfile): Props {
  const loaded = loadRoster({ usersDir: checkout.usersDir, repoRoot: checkout.repoRoot, profile });
  const digest = rosterDigest(digestDeclaredUsers(profile.userPoolId, loaded.users, profile.usernameCaseSensitive));
  const { logsRoleArn: _role, ...profileInput } = profile;
  return { __provider: providerText, usersDir: "users", profile: profileInput, logsRoleArn: LOGS_ROLE, rosterDigest: digest };
}

/** The trainees' users file with every one of them in the stack's managed group `trainees`. */
function writeInTrainees(trainees: readonly TraineeSpec[]): void {
  checkout.writeText("london/intake.yaml", usersFileText(trainees).replace("users:\n", "  groups: [trainees]\nusers:\n"));
}

async function groupsOf(poolId: string, n: number): Promise<string[]> {
  const out = await cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: traineeEmail(n) }));
  return (out.Groups ?? []).map((g) => g.GroupName ?? "");
}

async function givenName(poolId: string, n: number): Promise<string | undefined> {
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: traineeEmail(n) }));
  return user.UserAttributes?.find((a) => a.Name === "given_name")?.Value;
}

test("the whole lifecycle: check → diff → create → diff → add three → update → change → update → leaver → update", async () => {
  const profile = traineeProfile();
  await createPool(emulator, profile);
  checkout.write("london/intake.yaml", range(1, 4));

  const first = inputsFor(profile);
  const checked = await host.check(URN, {}, first);
  expect(checked.failures).toEqual([]);

  const created = await host.create(URN, checked.inputs);
  expect(created.properties).toMatchObject({ userPoolId: profile.userPoolId, managedUsers: 4, failedUsers: [] });
  expect((created.properties.lastApply as Record<string, unknown>).imported).toBe(4);
  let state = created.properties;

  // Nothing changed: the preview shows no change, without reading a single user.
  emulator.resetCallCounts();
  expect((await host.diff(created.id, URN, state, inputsFor(profile))).changes).toBe(false);
  // diff reads no user: its one AWS call checks the state's pool binding.
  expect(emulator.callCounts()).toEqual({ DescribeUserPool: 1 });

  // A pull request adds three trainees in a new file: one import job, three imported.
  checkout.write("kss/new-starters.yaml", range(5, 7));
  const withThree = inputsFor(profile);
  expect((await host.diff(created.id, URN, state, withThree)).changes).toBe(true);
  emulator.resetCallCounts();
  let updated = await host.update(created.id, URN, state, withThree);
  const lastApply = updated.properties.lastApply as { imported: number; jobs: string[] };
  expect(lastApply.imported).toBe(3);
  expect(lastApply.jobs).toHaveLength(1);
  expect(emulator.callCounts().CreateUserImportJob).toBe(1);
  // Only the three new users were read, not the whole pool.
  expect(emulator.callCounts().ListUsers ?? 0).toBe(0);
  expect(updated.properties.managedUsers).toBe(7);
  state = updated.properties;
  await host.waitForOutput("imported");

  // An attribute changes.
  checkout.write("kss/new-starters.yaml", [{ n: 5, givenName: "Changed" }, { n: 6 }, { n: 7 }]);
  updated = await host.update(created.id, URN, state, inputsFor(profile));
  expect((updated.properties.lastApply as { updated: number }).updated).toBe(1);
  expect(await givenName(profile.userPoolId, 5)).toBe("Changed");
  state = updated.properties;

  // A leaver.
  checkout.write("london/intake.yaml", [...range(1, 3), { n: 4, enabled: false }]);
  updated = await host.update(created.id, URN, state, inputsFor(profile));
  expect((updated.properties.lastApply as { disabled: number }).disabled).toBe(1);
  const leaver = await cognito.send(new AdminGetUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(4) }));
  expect(leaver.Enabled).toBe(false);
  state = updated.properties;
  expect((await host.diff(created.id, URN, state, inputsFor(profile))).changes).toBe(false);

  // The state holds digests, never personal data.
  expect(JSON.stringify(state)).not.toContain("example.nhs.uk");

  // Deleting the resource forgets the users; it deletes none.
  await host.delete(created.id, URN, state);
  expect(await givenName(profile.userPoolId, 1)).toBe("Testname");
}, 120_000);

test("check does not validate again; create and update refuse files that are invalid or not the roster the program validated", async () => {
  const profile = traineeProfile();
  await createPool(emulator, profile);
  checkout.write("london/intake.yaml", range(1, 2));
  const validated = inputsFor(profile);
  // The files turn invalid after the program validated them: check passes the program's inputs through...
  const bad: TraineeSpec[] = [{ n: 1 }, { n: 1 }, { n: 2, tisId: "" }];
  checkout.write("london/intake.yaml", bad);
  expect((await host.check(URN, {}, validated)).failures).toEqual([]);
  emulator.resetCallCounts();
  // ...and create, which loads the files to apply them, refuses them with their positions, applying nothing.
  const invalid = await host.create(URN, validated).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(invalid?.message).toMatch(/users\/london\/intake\.yaml:\d+:\d+: error [A-Z_]+ /);
  // Valid files that are not the validated roster are refused by the digest.
  checkout.write("london/intake.yaml", range(1, 3));
  const changed = await host.create(URN, validated).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(changed?.message).toMatch(/changed after the Pulumi program validated them; nothing was applied/);
  expect(emulator.callCounts().CreateUserImportJob ?? 0).toBe(0);
  // Inputs without a validated roster's digest fail check, naming the property.
  const { rosterDigest: _digest, ...withoutDigest } = validated;
  expect((await host.check(URN, {}, withoutDigest)).failures).toEqual([
    { property: "rosterDigest", reason: expect.stringMatching(/^rosterDigest: /) },
  ]);
});

test("a partial failure records what succeeded, fails the deployment through RosterFailures, and the next update retries only what is left", async () => {
  const profile = traineeProfile();
  await createPool(emulator, profile);
  // A stack that does not describe its pool is refused before any import (test/engine/pool-settings.test.ts): the
  // row the pool refuses here is one the emulator is told to refuse.
  checkout.write("london/intake.yaml", range(1, 2));
  const created = await host.create(URN, inputsFor(profile));

  checkout.write("london/intake.yaml", range(1, 4));
  emulator.faults.rejectRows(1);
  const partial = (await host.update(created.id, URN, created.properties, inputsFor(profile))).properties;
  // What succeeded is recorded: three users managed; the failed one is named by file:line, never by username.
  expect(partial.managedUsers).toBe(3);
  expect(partial.failedUsers).toEqual([expect.stringMatching(/^users\/london\/intake\.yaml:\d+: .+/)]);
  expect(JSON.stringify(partial.failedUsers)).not.toContain("example.nhs.uk");

  // The companion resource fails `pulumi up` loudly with those failures.
  const failuresText = await serializeProvider(rosterFailuresProvider);
  const failuresUrn = resourceUrn("failures", "pulumi-nodejs:dynamic/cognito-roster:RosterFailures");
  const failure = await host.create(failuresUrn, { __provider: failuresText, failedUsers: partial.failedUsers }).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(failure?.message).toMatch(/1 declared user\(s\) could not be applied[\s\S]*users\/london\/intake\.yaml:\d+: /);
  expect((await host.diff(created.id, URN, partial, inputsFor(profile))).changes).toBe(true);

  // The next update: only the one user is imported, and RosterFailures passes.
  const fixed = await host.update(created.id, URN, partial, inputsFor(profile));
  expect((fixed.properties.lastApply as { imported: number }).imported).toBe(1);
  expect(fixed.properties.managedUsers).toBe(4);
  expect(fixed.properties.failedUsers).toEqual([]);
  await expect(host.create(failuresUrn, { __provider: failuresText, failedUsers: fixed.properties.failedUsers })).resolves.toBeDefined();
}, 120_000);

test("diff (the preview) fails with one line per setting when the stack does not describe its pool", async () => {
  const profile = traineeProfile();
  await createPool(emulator, { ...profile, aliasAttributes: ["email"] });
  const stale = { profile: { ...profile, aliasAttributes: [] }, applied: {} };
  const failed = await host.diff("id", URN, stale, inputsFor(profile)).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(failed?.message).toMatch(
    /the stack config does not match pool .*\n {2}cognito-roster:aliasAttributes: stack \[\], pool \[email\]$/,
  );
}, 60_000);

test("refresh (read) is a full drift check: a user changed in the console is dropped from the applied digests", async () => {
  const profile = traineeProfile();
  await createPool(emulator, profile);
  checkout.write("london/intake.yaml", range(1, 2));
  const created = await host.create(URN, inputsFor(profile));
  const { AdminUpdateUserAttributesCommand } = await import("@aws-sdk/client-cognito-identity-provider");
  await cognito.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: profile.userPoolId,
      Username: traineeEmail(1),
      UserAttributes: [{ Name: "given_name", Value: "Drifted" }],
    }),
  );
  const read = await host.read(created.id, URN, created.properties);
  expect(read.properties.managedUsers).toBe(1);
  expect((await host.diff(created.id, URN, read.properties, inputsFor(profile))).changes).toBe(true);
}, 60_000);

test("refresh compares the pool with what was applied, not with the files; a pool rebuilt under the same id is restored by the next update", async () => {
  const profile = traineeProfile();
  await createPool(emulator, profile);
  checkout.write("london/intake.yaml", range(1, 3));
  const created = await host.create(URN, inputsFor(profile));
  expect(created.properties.pool).toMatchObject({ userPoolId: profile.userPoolId, managedUsers: 3 });
  const { AdminUpdateUserAttributesCommand, DeleteUserPoolCommand } = await import("@aws-sdk/client-cognito-identity-provider");
  // Drift in the pool for user 1; a change in the files (not applied yet) for user 2: only the first is drift.
  await cognito.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: profile.userPoolId,
      Username: traineeEmail(1),
      UserAttributes: [{ Name: "given_name", Value: "Drifted" }],
    }),
  );
  checkout.write("london/intake.yaml", [{ n: 1 }, { n: 2, givenName: "Pending" }, { n: 3 }]);
  const read = await host.read(created.id, URN, created.properties);
  const applied = read.properties.applied as Record<string, string>;
  const digestOf = (n: number) => usernameDigest(profile.userPoolId, traineeEmail(n), profile.usernameCaseSensitive);
  expect(Object.keys(applied).sort()).toEqual([digestOf(2), digestOf(3)].sort());
  expect(applied[digestOf(2)]).toBe((created.properties.applied as Record<string, string>)[digestOf(2)]);
  expect(read.properties.managedUsers).toBe(2);

  // The pool is deleted and created again under the same id (rebuilt by its owners): empty, another CreationDate.
  await cognito.send(new DeleteUserPoolCommand({ UserPoolId: profile.userPoolId }));
  await createPool(emulator, profile);
  // The files say what was applied at create, so the digests alone would report no change; diff asks the pool
  // (one DescribeUserPool): the record no longer describes it, so `pulumi up` has work to do.
  checkout.write("london/intake.yaml", range(1, 3));
  expect((await host.diff(created.id, URN, created.properties, inputsFor(profile))).changes).toBe(true);
  const restored = await host.update(created.id, URN, created.properties, inputsFor(profile));
  expect((restored.properties.lastApply as { imported: number }).imported).toBe(3);
  expect(restored.properties.managedUsers).toBe(3);
  expect((restored.properties.pool as { createdAt: number }).createdAt).not.toBe(
    (created.properties.pool as { createdAt: number }).createdAt,
  );
}, 60_000);

/**
 * The host sends a thrown error — and the properties of a partial create/update — in one gRPC trailer, which it
 * cannot send past 64 KB: the call would never answer (see providers/roster-failures.ts). So errors are bounded,
 * and a partial failure is recorded in the outputs, which travel in the response body and may be far larger.
 */
test("the 64 KB gRPC trailer: errors stay bounded and a large partial apply answers with its outputs", async () => {
  const profile = traineeProfile();
  await createPool(emulator, profile);
  checkout.write("london/intake.yaml", range(1, 1));
  const validated = inputsFor(profile);

  // Thousands of invalid users: one bounded message that says how many, instead of a call that never answers.
  checkout.write(
    "london/intake.yaml",
    range(1, 3000).map((t) => ({ ...t, tisId: "" })),
  );
  const invalid = await host.create(URN, validated).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(invalid?.message).toMatch(/^\d{4} problem\(s\) in the users files; nothing was applied:\nusers\/london\/intake\.yaml:/);
  expect(invalid?.message).toMatch(/and \d{3,} more lines; `npx cognito-roster validate` lists every problem$/);
  expect(Buffer.byteLength(invalid?.message ?? "")).toBeLessThan(20_000);

  // 2,000 users, one of whom the pool refuses: recorded, not thrown, although the outputs pass 64 KB.
  checkout.write("london/intake.yaml", range(1, 2000));
  emulator.faults.rejectRows(1);
  const created = await host.create(URN, inputsFor(profile));
  expect(created.properties.managedUsers).toBe(1999);
  expect(created.properties.failedUsers).toEqual([expect.stringMatching(/^users\/london\/intake\.yaml:\d+: /)]);
  expect(JSON.stringify(created.properties).length).toBeGreaterThan(64 * 1024);
}, 120_000);

test("who gets out, over gRPC: a removed user is disabled by default; under retain the state keeps them by sub until access is gone", async () => {
  const profile: PoolProfile = { ...traineeProfile({ maxRemovalFraction: 0.5 }), removedUsers: "disable" };
  await createPool(emulator, profile);
  checkout.write("london/intake.yaml", range(1, 4));
  const created = await host.create(URN, inputsFor(profile));
  const enabled = async (n: number) =>
    (await cognito.send(new AdminGetUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(n) }))).Enabled;

  const base = path.join(checkout.repoRoot, "base-users");
  cpSync(checkout.usersDir, base, { recursive: true });
  checkout.write("london/intake.yaml", range(1, 3));
  emulator.resetCallCounts();
  const removed = await host.update(created.id, URN, created.properties, inputsFor(profile));
  // Named by the parent commit's users/ (ROSTER_BASE_USERS): one read, no scan.
  expect(emulator.callCounts().ListUsers ?? 0).toBe(0);
  rmSync(base, { recursive: true });
  expect(removed.properties).toMatchObject({ managedUsers: 3, failedUsers: [] });
  expect((removed.properties.lastApply as { removed: number }).removed).toBe(1);
  expect(await enabled(4)).toBe(false);
  expect((await host.diff(created.id, URN, removed.properties, inputsFor(profile))).changes).toBe(false);

  // Under retain, the removed user keeps access: the state keeps them by their sub, and each update lists them.
  const retain: PoolProfile = { ...profile, removedUsers: "retain" };
  checkout.write("london/intake.yaml", range(1, 2));
  const retained = await host.update(created.id, URN, removed.properties, inputsFor(retain));
  const applied = retained.properties.applied as Record<string, string>;
  expect(applied[usernameDigest(profile.userPoolId, traineeEmail(3), false)]).toMatch(/^removed:[0-9a-f-]{36}$/);
  expect(await enabled(3)).toBe(true);
  expect((await host.diff(created.id, URN, retained.properties, inputsFor(retain))).changes).toBe(true);
  expect(JSON.stringify(retained.properties)).not.toContain("example.nhs.uk");

  // Switching to disable reaches them by sub, without a scan.
  emulator.resetCallCounts();
  const disabled = await host.update(created.id, URN, retained.properties, inputsFor(profile));
  expect((disabled.properties.lastApply as { removed: number }).removed).toBe(1);
  expect(emulator.callCounts().ListUsers ?? 0).toBe(0);
  expect(await enabled(3)).toBe(false);
  expect(disabled.properties.managedUsers).toBe(2);
}, 120_000);

test("who gets out over gRPC without base files: the state keeps each user's sub, so a removal is one read, never a scan", async () => {
  const profile: PoolProfile = {
    ...traineeProfile({ maxRemovalFraction: 0.5, groups: { trainees: { precedence: 10 } } }),
    removedUsers: "disable",
  };
  await createPool(emulator, profile);
  writeInTrainees(range(1, 4));
  const created = await host.create(URN, inputsFor(profile));
  const applied = created.properties.applied as Record<string, string>;
  const digestOf = (n: number) => usernameDigest(profile.userPoolId, traineeEmail(n), false);
  const subOf = async (n: number) =>
    (await cognito.send(new AdminGetUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(n) }))).UserAttributes?.find(
      (a) => a.Name === "sub",
    )?.Value;
  for (const n of [1, 2, 3, 4]) expect(recordedSub(applied[digestOf(n)])).toBe(await subOf(n));
  expect(JSON.stringify(created.properties)).not.toContain("example.nhs.uk");
  // The sub is the pool's, not the files': the preview of unchanged files has nothing to do.
  expect((await host.diff(created.id, URN, created.properties, inputsFor(profile))).changes).toBe(false);

  // No ROSTER_BASE_USERS (a local `pulumi up`, or the scheduled catch-up): the state's sub names the removed user.
  writeInTrainees(range(1, 3));
  emulator.resetCallCounts();
  const removed = await host.update(created.id, URN, created.properties, inputsFor(profile));
  expect(removed.properties).toMatchObject({ managedUsers: 3, failedUsers: [] });
  expect((removed.properties.lastApply as { removed: number }).removed).toBe(1);
  expect(emulator.callCounts().ListUsers ?? 0).toBe(0);
  expect(emulator.callCounts().AdminGetUser).toBe(1);
  expect((await cognito.send(new AdminGetUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(4) }))).Enabled).toBe(false);
  expect([await groupsOf(profile.userPoolId, 4), await groupsOf(profile.userPoolId, 3)]).toEqual([[], ["trainees"]]);

  // A state written before subs were kept: `pulumi refresh` (a full read) fills them in, and the next removal is one read.
  const legacy = {
    ...removed.properties,
    applied: Object.fromEntries(Object.entries(removed.properties.applied as Record<string, string>).map(([k, v]) => [k, declaredPart(v)])),
  };
  const refreshed = await host.read(created.id, URN, legacy);
  expect(refreshed.properties.applied).toEqual(removed.properties.applied);
  writeInTrainees(range(1, 2));
  emulator.resetCallCounts();
  const again = await host.update(created.id, URN, refreshed.properties, inputsFor(profile));
  expect((again.properties.lastApply as { removed: number }).removed).toBe(1);
  expect(emulator.callCounts().ListUsers ?? 0).toBe(0);
}, 120_000);

test("dates over gRPC: the program's day decides; the next day's diff sees the start and the update imports the starter", async () => {
  const profile = traineeProfile();
  await createPool(emulator, profile);
  checkout.write("london/intake.yaml", range(41, 42));
  // trainee 41 starts on 4 August 2027
  const file = path.join(checkout.usersDir, "london/intake.yaml");
  writeFileSync(
    file,
    readFileSync(file, "utf8").replace(`    custom:tisId: "700041"\n`, `    custom:tisId: "700041"\n    startDate: 2027-08-04\n`),
  );
  const onDay = (today: string): Props => {
    const loaded = loadRoster({ usersDir: checkout.usersDir, repoRoot: checkout.repoRoot, profile });
    const users = accessOnDate(loaded.users, today);
    return { ...inputsFor(profile), rosterDigest: rosterDigest(digestDeclaredUsers(profile.userPoolId, users, false)), today };
  };

  const created = await host.create(URN, onDay("2027-08-03"));
  expect((created.properties.lastApply as { imported: number }).imported).toBe(1);
  expect((await host.diff(created.id, URN, created.properties, onDay("2027-08-03"))).changes).toBe(false);

  const next = onDay("2027-08-04");
  expect((await host.diff(created.id, URN, created.properties, next)).changes).toBe(true);
  const updated = await host.update(created.id, URN, created.properties, next);
  expect((updated.properties.lastApply as { imported: number }).imported).toBe(1);
  expect(await givenName(profile.userPoolId, 41)).toBe("Testname");
  expect((await host.diff(created.id, URN, updated.properties, onDay("2027-08-04"))).changes).toBe(false);
}, 120_000);

test("an email change over gRPC with identityAttribute: one enabled account at the end, the old one disabled, one import", async () => {
  const profile: PoolProfile = {
    ...traineeProfile({ identityAttribute: "custom:tisId", maxRemovalFraction: 0.5, groups: { trainees: { precedence: 10 } } }),
    removedUsers: "disable",
  };
  await createPool(emulator, profile);
  writeInTrainees(range(61, 63));
  const created = await host.create(URN, inputsFor(profile));
  const enabled = async (n: number) =>
    (await cognito.send(new AdminGetUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(n) }))).Enabled;

  // Trainee 61 is now trainee 161 (a new email), the same person by tisId.
  writeInTrainees([{ n: 161, tisId: "700061" }, { n: 62 }, { n: 63 }]);
  const updated = await host.update(created.id, URN, created.properties, inputsFor(profile));
  expect(updated.properties).toMatchObject({ failedUsers: [], managedUsers: 3 });
  expect(updated.properties.lastApply).toMatchObject({ imported: 1, removed: 1 });
  expect([await enabled(61), await enabled(161)]).toEqual([false, true]);
  expect([await groupsOf(profile.userPoolId, 61), await groupsOf(profile.userPoolId, 161)]).toEqual([[], ["trainees"]]);
  expect((await host.diff(created.id, URN, updated.properties, inputsFor(profile))).changes).toBe(false);
}, 120_000);

test("an email change over gRPC in an email-alias pool with identityAttribute: an update in place — same sub, new email, groups kept", async () => {
  const profile: PoolProfile = {
    ...traineeProfile({
      identityAttribute: "custom:tisId",
      maxRemovalFraction: 0.5,
      groups: { trainees: { precedence: 10 }, "kss-admins": { precedence: 1 } },
      aliasAttributes: ["email"],
      usernameMustEqualEmail: false,
      contactPolicy: { email: "verified", phone_number: "optional" },
    }),
    removedUsers: "disable",
  };
  await createPool(emulator, profile);
  // Usernames are TIS ids: a pool with email as an alias refuses email-shaped ones.
  checkout.writeText("kss/a.yaml", aliasPoolFileText([{ n: 64 }, { n: 65 }]));
  const created = await host.create(URN, inputsFor(profile));
  expect(created.properties).toMatchObject({ managedUsers: 2, failedUsers: [] });
  const jo = () => accountView(cognito, profile.userPoolId, "tis-700064");
  const before = await jo();
  expect(before).toMatchObject({ enabled: true, email: traineeEmail(64), verified: "true", groups: ["kss-admins", "trainees"] });

  // Trainee 64's address changes (to trainee 164's); her username and tisId stay. The preview: an update of the
  // resource, not a replace; the update's plan: one account updated, nothing imported or removed.
  checkout.writeText("kss/a.yaml", aliasPoolFileText([{ n: 64, emailN: 164 }, { n: 65 }]));
  expect(await host.diff(created.id, URN, created.properties, inputsFor(profile))).toMatchObject({ changes: true, replaces: [] });
  host.clearOutput();
  const updated = await host.update(created.id, URN, created.properties, inputsFor(profile));
  await host.waitForOutput(`plan for ${profile.userPoolId}: 0 to import, 1 to update, 0 to disable, 0 to enable, 0 no longer declared`);
  expect(host.stderr()).toMatch(/0 group membership changes, 1 unchanged/);
  expect(updated.properties).toMatchObject({ managedUsers: 2, failedUsers: [] });
  expect(updated.properties.lastApply).toMatchObject({ imported: 0, updated: 1, disabled: 0, removed: 0, failed: 0 });

  // The same account and sub, the new address verified (contactPolicy email: verified), the same managed groups.
  expect(await jo()).toEqual({ ...before, email: traineeEmail(164) });
  const { ListUsersCommand } = await import("@aws-sdk/client-cognito-identity-provider");
  const listed = (await cognito.send(new ListUsersCommand({ UserPoolId: profile.userPoolId }))).Users ?? [];
  const tisId = (u: (typeof listed)[number]) => u.Attributes?.find((a) => a.Name === "custom:tisId")?.Value;
  expect(listed.filter((u) => tisId(u) === "700064" && u.Enabled).map((u) => u.Username)).toEqual(["tis-700064"]);

  // Nothing left to do: the next preview, and after a refresh (a full read of the pool) too.
  expect((await host.diff(created.id, URN, updated.properties, inputsFor(profile))).changes).toBe(false);
  const read = await host.read(created.id, URN, updated.properties);
  expect(read.properties.managedUsers).toBe(2);
  expect((await host.diff(created.id, URN, read.properties, inputsFor(profile))).changes).toBe(false);
}, 60_000);
