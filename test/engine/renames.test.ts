/**
 * The person survives an email change (issue 16, item 2), through the engine on the project's emulator, read back
 * with an unmodified SDK client: with `identityAttribute: custom:tisId`, a username=email pool replaces the old
 * account (exactly one enabled account at the end, groups moved), an email-alias pool updates it in place (same
 * `sub`, new email), an interruption at every step converges on re-run with never two enabled accounts at the end
 * of an apply, and a rename costs O(1) calls per person.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CreateGroupCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPool, useEngineWorld } from "../support/emulator-pool";
import { createUserPoolInput } from "../../cli/emulator-pool";
import type { PoolProfile } from "../../core/profile";
import { declarationsByDigest } from "../../core/base-users";
import { renderPlan } from "../../core/plan-report";
import { loadRoster } from "../../load/load-roster";
import { createAwsClients } from "../../aws/clients";
import { poolPorts } from "../../aws/ports";
import { applyRoster, planRoster, type ApplyResult } from "../../engine/reconcile";
import { traineeProfile } from "../support/roster-fixture";

const GROUPS = { trainees: { precedence: 10 }, "kss-admins": { precedence: 1 } };
const OLD = "jo.bloggs@example.nhs.uk";
const NEW = "jo.married@example.nhs.uk";

const world = useEngineWorld();

/** users/kss/a.yaml: Jo (tisId 900001, a kss admin) under `jo` as username and email, and two colleagues. */
function writeRoster(jo: string): void {
  const lines = ["defaults:", "  mfa_enabled: true", "  email_verified: true", "  groups: [trainees]", "users:"];
  const person = (username: string, tisId: string, extra: string[] = []) =>
    lines.push(`  - username: ${username}`, `    email: ${username}`, "    given_name: Testname", `    custom:tisId: "${tisId}"`, ...extra);
  person(jo, "900001", ["    groups: [kss-admins]"]);
  person("sam.colleague@example.nhs.uk", "900002");
  person("alex.colleague@example.nhs.uk", "900003");
  const file = path.join(world.checkout.usersDir, "kss/a.yaml");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join("\n")}\n`);
}

function profileOf(): PoolProfile {
  return {
    ...traineeProfile({ groups: GROUPS, maxRemovalFraction: 0.5, identityAttribute: "custom:tisId" }),
    removedUsers: "disable",
  };
}

/** A username=email pool, as the dev stack's. */
async function emailUsernamePool(): Promise<PoolProfile> {
  const profile = profileOf();
  await createPool(world.emulator, profile);
  return profile;
}

/** The same pool with email as an alias: a user signs in with their current, verified email. */
async function emailAliasPool(): Promise<PoolProfile> {
  const profile = profileOf();
  await world.cognito.send(new CreateUserPoolCommand({ ...createUserPoolInput(profile), AliasAttributes: ["email"] }));
  await world.cognito.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: profile.userPoolId,
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
  for (const GroupName of Object.keys(GROUPS))
    await world.cognito.send(new CreateGroupCommand({ UserPoolId: profile.userPoolId, GroupName }));
  return profile;
}

const runOf = world.runOf;

interface Account {
  username: string;
  enabled: boolean;
  sub: string;
  email: string;
  groups: string[];
}

async function account(profile: PoolProfile, username: string): Promise<Account | undefined> {
  try {
    const user = await world.cognito.send(new AdminGetUserCommand({ UserPoolId: profile.userPoolId, Username: username }));
    const groups = await world.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: profile.userPoolId, Username: username }));
    const attribute = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value ?? "";
    return {
      username: user.Username ?? "",
      enabled: user.Enabled ?? true,
      sub: attribute("sub"),
      email: attribute("email"),
      groups: (groups.Groups ?? []).map((g) => g.GroupName ?? "").sort(),
    };
  } catch (err) {
    if ((err as Error).name === "UserNotFoundException") return undefined;
    throw err;
  }
}

/** The base's declarations of the checkout as it is now (what a pull request's base would hold). */
function baseNow(profile: PoolProfile) {
  return declarationsByDigest(
    loadRoster({ usersDir: world.checkout.usersDir, repoRoot: world.checkout.usersDir, profile }).users,
    "users",
    profile,
  );
}

/** Both of Jo's accounts after an apply that ended (with or without failures): never both enabled. */
async function expectAtMostOneEnabled(profile: PoolProfile): Promise<void> {
  const [old, renamed] = [await account(profile, OLD), await account(profile, NEW)];
  expect([old?.enabled, renamed?.enabled].filter((e) => e === true).length).toBeLessThanOrEqual(1);
}

async function expectReplaced(profile: PoolProfile): Promise<void> {
  expect(await account(profile, NEW)).toMatchObject({ enabled: true, groups: ["kss-admins", "trainees"] });
  expect(await account(profile, OLD)).toMatchObject({ enabled: false, groups: [] });
}

test("username = email: a new email replaces the account — one enabled account at the end, groups moved, O(1) calls", async () => {
  const profile = await emailUsernamePool();
  writeRoster(OLD);
  const first = await applyRoster(runOf(profile));
  const oldSub = (await account(profile, OLD))?.sub;
  const base = baseNow(profile);

  writeRoster(NEW);
  world.emulator.resetCallCounts();
  const planned = await planRoster(runOf(profile, first, { base }));
  expect(planned.plan.renames).toEqual([
    { username: NEW, file: "users/kss/a.yaml", line: 6, fromDigest: expect.any(String), mode: "replace" },
  ]);
  expect(planned.plan.import.map((p) => p.username)).toEqual([NEW]);
  expect(planned.plan.remove).toMatchObject([{ action: "disable", replacedBy: NEW }]);
  // DescribeUserPool, ListGroups, AdminGetUser of the new and the old username, the old one's groups: no scan.
  expect(world.emulator.callCounts().ListUsers ?? 0).toBe(0);
  expect(planned.awsCalls).toBeLessThanOrEqual(6);
  const text = renderPlan(planned.plan, "text", { awsCalls: planned.awsCalls });
  expect(text).toContain(`Renamed (1):\n  user ${planned.plan.renames?.[0].fromDigest} → ${NEW}  (users/kss/a.yaml:6): replace`);

  // Without base files the record's sub finds the old account: the same plan, still no scan.
  world.emulator.resetCallCounts();
  const unnamed = await planRoster(runOf(profile, first));
  expect(unnamed.plan.renames).toMatchObject([{ username: NEW, mode: "replace" }]);
  expect(world.emulator.callCounts().ListUsers ?? 0).toBe(0);
  expect(unnamed.awsCalls).toBeLessThanOrEqual(6);

  const applied = await applyRoster(runOf(profile, first));
  expect(applied).toMatchObject({ imported: 1, removed: 1, failed: [] });
  // O(1) for the person: reads of the new username, of the old account by its sub and of the new account's sub,
  // the old one's groups, the import job's own calls, two group moves and one disable (19 here), no scan.
  expect(applied.awsCallsByOperation).toMatchObject({ AdminGetUser: 3, AdminListGroupsForUser: 1, AdminDisableUser: 1 });
  expect(applied.awsCallsByOperation.ListUsers).toBeUndefined();
  expect(applied.awsCalls).toBeLessThanOrEqual(20);
  await expectReplaced(profile);
  expect((await account(profile, NEW))?.sub).not.toBe(oldSub);
  const settled = await planRoster(runOf(profile, applied));
  expect([settled.plan.import, settled.plan.remove, settled.plan.renames]).toEqual([[], [], undefined]);
});

/**
 * users/kss/a.yaml in an email-alias pool: usernames there cannot have an email's shape (Cognito refuses them), so
 * Jo's username is her TIS id and her address is only an attribute — and a sign-in alias.
 */
function writeAliasRoster(joEmail: string): void {
  const lines = ["defaults:", "  mfa_enabled: true", "  email_verified: true", "  groups: [trainees]", "users:"];
  const person = (username: string, email: string, tisId: string, extra: string[] = []) =>
    lines.push(`  - username: ${username}`, `    email: ${email}`, "    given_name: Testname", `    custom:tisId: "${tisId}"`, ...extra);
  person("tis-900001", joEmail, "900001", ["    groups: [kss-admins]"]);
  person("tis-900002", "sam.colleague@example.nhs.uk", "900002");
  const file = path.join(world.checkout.usersDir, "kss/a.yaml");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join("\n")}\n`);
}

test("email as an alias: the same change updates the account in place — same sub, new email, groups kept", async () => {
  const profile: PoolProfile = { ...(await emailAliasPool()), aliasAttributes: ["email"], usernameMustEqualEmail: false };
  writeAliasRoster(OLD);
  const first = await applyRoster(runOf(profile));
  expect(first.failed).toEqual([]);
  const before = await account(profile, "tis-900001");

  writeAliasRoster(NEW);
  const planned = await planRoster(runOf(profile, first));
  expect(planned.plan.renames ?? []).toEqual([]);
  expect([planned.plan.import, planned.plan.remove]).toEqual([[], []]);
  expect(planned.plan.update).toMatchObject([{ username: "tis-900001", attributes: ["email"] }]);
  expect(planned.plan.memberships?.changes).toEqual([]);

  const applied = await applyRoster(runOf(profile, first));
  expect(applied).toMatchObject({ imported: 0, updated: 1, removed: 0, failed: [] });
  expect(await account(profile, "tis-900001")).toEqual({ ...before, email: NEW });
  // The new address signs Jo in: Admin* calls accept the verified alias in place of the username.
  expect((await account(profile, NEW))?.sub).toBe(before?.sub);
  const settled = await planRoster(runOf(profile, applied, { full: true }));
  expect([settled.plan.import, settled.plan.update, settled.plan.remove, settled.plan.memberships?.changes]).toEqual([[], [], [], []]);
});

test("email as the username (UsernameAttributes [email]): a new email is the same account, updated in place — same sub, groups kept", async () => {
  const profile: PoolProfile = { ...profileOf(), usernameAttributes: ["email"], usernameMustEqualEmail: false };
  await createPool(world.emulator, profile);
  writeRoster(OLD);
  const first = await applyRoster(runOf(profile));
  expect(first.failed).toEqual([]);
  const before = await account(profile, OLD);

  writeRoster(NEW);
  const planned = await planRoster(runOf(profile, first));
  expect([planned.plan.import, planned.plan.remove]).toEqual([[], []]);
  expect(planned.plan.update).toMatchObject([{ username: NEW, attributes: ["email"] }]);
  const applied = await applyRoster(runOf(profile, first));
  expect(applied).toMatchObject({ imported: 0, updated: 1, removed: 0, failed: [] });
  // The generated username and the sub stay; the new email now names the account, the old one nothing.
  expect(await account(profile, NEW)).toEqual({ ...before, email: NEW });
  expect(await account(profile, OLD)).toBeUndefined();
  const settled = await planRoster(runOf(profile, applied, { full: true }));
  expect([settled.plan.import, settled.plan.update, settled.plan.remove, settled.plan.memberships?.changes]).toEqual([[], [], [], []]);
});

describe("a replace interrupted at every step converges on re-run, never two enabled accounts at the end of an apply", () => {
  test.each(["create", "upload", "start"] as const)("killed after the import job's %s step", async (step) => {
    const profile = await emailUsernamePool();
    writeRoster(OLD);
    const first = await applyRoster(runOf(profile));
    writeRoster(NEW);
    const crash = (at: string) => {
      if (at === step) throw new Error(`killed after ${step}`);
    };
    await expect(applyRoster(runOf(profile, first, { afterStep: crash }))).rejects.toThrow(`killed after ${step}`);
    expect((await account(profile, OLD))?.enabled).toBe(true);
    // The record was not written: the re-run starts from the same one.
    const rerun = await applyRoster(runOf(profile, first));
    expect(rerun.failed).toEqual([]);
    await expectReplaced(profile);
  });

  test("killed after the import, before groups and the old account's disable", async () => {
    const profile = await emailUsernamePool();
    writeRoster(OLD);
    const first = await applyRoster(runOf(profile));
    writeRoster(NEW);
    const crash = (message: string) => {
      if (message.startsWith("changing ")) throw new Error("killed before the memberships");
    };
    await expect(applyRoster(runOf(profile, first, { progress: crash }))).rejects.toThrow("killed before the memberships");
    expect((await account(profile, NEW))?.enabled).toBe(true);
    expect((await account(profile, OLD))?.enabled).toBe(true);
    const rerun = await applyRoster(runOf(profile, first));
    expect(rerun).toMatchObject({ imported: 0, removed: 1, failed: [] });
    expect(rerun.plan.renames).toMatchObject([{ username: NEW, mode: "replace" }]);
    await expectReplaced(profile);
  });

  test.each([
    ["the new account's import fails: the old keeps its access and groups, held", "import"],
    ["the old account cannot be disabled: the new one is disabled instead", "AdminDisableUser"],
    ["a group cannot be given: the rest goes on", "AdminAddUserToGroup"],
  ] as const)("%s", async (_name, fault) => {
    const profile = await emailUsernamePool();
    writeRoster(OLD);
    const first = await applyRoster(runOf(profile));
    writeRoster(NEW);
    if (fault === "import") world.emulator.faults.failJobAfterRows(0);
    else world.emulator.faults.internalError(fault, 1);
    const clients = createAwsClients(profile.region, profile.userPoolId, { maxAttempts: 1 });
    let broken: ApplyResult;
    try {
      broken = await applyRoster(runOf(profile, first), poolPorts(clients, profile.userPoolId));
    } finally {
      clients.destroy();
    }
    expect(broken.failed.length).toBeGreaterThan(0);
    await expectAtMostOneEnabled(profile);
    if (fault === "import") expect(await account(profile, OLD)).toMatchObject({ enabled: true, groups: ["kss-admins", "trainees"] });
    world.emulator.faults.clear();
    const rerun = await applyRoster(runOf(profile, broken));
    expect(rerun.failed).toEqual([]);
    await expectReplaced(profile);
    const settled = await planRoster(runOf(profile, rerun));
    expect([settled.plan.import, settled.plan.enable, settled.plan.remove, settled.plan.memberships?.changes]).toEqual([[], [], [], []]);
  });
});

test("without identityAttribute, a removal and an addition in one file are shown side by side with a warning", async () => {
  const { identityAttribute: _none, ...profile } = await emailUsernamePool();
  writeRoster(OLD);
  const first = await applyRoster(runOf(profile));
  const base = baseNow(profile);
  writeRoster(NEW);
  const planned = await planRoster(runOf(profile, first, { base }));
  const { namedFromBase } = await import("../../core/base-users");
  const { plan } = namedFromBase(planned.plan, base);
  expect(plan.renames).toBeUndefined();
  const text = renderPlan(plan, "text", { awsCalls: 0 });
  expect(text).toContain(
    `Removed and added in the same file (1): is this the same person? set identityAttribute:\n  - ${OLD}  (users/kss/a.yaml:6) ↔ + ${NEW}  (users/kss/a.yaml:6)`,
  );
  expect(JSON.parse(renderPlan(plan, "json", { awsCalls: 0 })).sameFile).toEqual([
    { removed: { username: OLD, file: "users/kss/a.yaml", line: 6 }, added: { username: NEW, file: "users/kss/a.yaml", line: 6 } },
  ]);
});
