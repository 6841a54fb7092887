/**
 * `cognito-roster apply` and `cognito-roster plan` end to end, as a user runs them: the compiled command in a checkout of its own,
 * the emulator reached through AWS_ENDPOINT_URL, the pool read back with an independent SDK client.
 */
import { execFile } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { createPool } from "../support/emulator-pool";
import { loadStackProfile } from "../../load/stack-profile";
import { aliasPoolFileText, makeCheckout, range, traineeEmail, type RosterCheckout, accountView } from "../support/roster-fixture";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const ROSTER = path.join(ROOT, "bin", "cognito-roster.js");

let emulator: RunningEmulator;
let checkout: RosterCheckout;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emulator = await startEmulator();
  const { profile } = loadStackProfile(ROOT, "dev");
  await createPool(emulator, profile!);
  checkout = makeCheckout();
  copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(checkout.repoRoot, "Pulumi.dev.yaml"));
  env = {
    ...process.env,
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "eu-west-2",
  };
});
afterAll(async () => {
  await emulator.stop();
  checkout.cleanup();
});

function roster(...args: string[]) {
  return run(process.execPath, [ROSTER, ...args], { cwd: checkout.repoRoot, env });
}

test("apply, read the pool back, add trainees in a new file, re-plan as JSON", async () => {
  checkout.write("london/2026-08.yaml", range(1, 3));
  const applied = await roster("apply", "--yes");
  expect(applied.stdout).toMatch(/3 imported/);
  expect(applied.stderr).not.toMatch(/example\.nhs\.uk/); // progress carries no personal data

  const cognito = new CognitoIdentityProviderClient({
    region: "eu-west-2",
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  const listed = await cognito.send(new ListUsersCommand({ UserPoolId: "eu-west-2_Tr41n33s0" }));
  cognito.destroy();
  expect((listed.Users ?? []).map((u) => u.Username).sort()).toEqual(range(1, 3).map((t) => traineeEmail(t.n)));
  expect((listed.Users ?? []).map((u) => u.UserStatus)).toEqual(["RESET_REQUIRED", "RESET_REQUIRED", "RESET_REQUIRED"]);

  checkout.write("kss/2026-09.yaml", range(4, 5));
  const planned = await roster("plan", "--format", "json");
  const plan = JSON.parse(planned.stdout);
  expect(plan).toMatchObject({ userPoolId: "eu-west-2_Tr41n33s0", update: [], disable: [], enable: [], remove: [], unchanged: 3 });
  expect(plan.import).toEqual([
    { username: traineeEmail(4), file: "users/kss/2026-09.yaml", line: 5 },
    { username: traineeEmail(5), file: "users/kss/2026-09.yaml", line: 11 },
  ]);
  expect(typeof plan.awsCalls).toBe("number");

  // The same plan without the local applied state: every declared user is looked up, with the same answer.
  const full = JSON.parse((await roster("plan", "--format", "json", "--full")).stdout);
  expect(full.import).toHaveLength(2);
  expect(full.unchanged).toBe(3);
});

test("markdown for pull-request comments, and usage errors exit 2", async () => {
  const md = await roster("plan", "--format", "markdown");
  expect(md.stdout).toMatch(/^### cognito-roster plan for `eu-west-2_Tr41n33s0`/);
  await expect(roster("plan", "--format", "yaml")).rejects.toMatchObject({ code: 2 });
  await expect(roster("apply", "--bogus")).rejects.toMatchObject({ code: 2 });
  // Not on a terminal and no --yes: shows the plan and refuses.
  await expect(roster("apply")).rejects.toMatchObject({ code: 2 });
});

test("a trainee deleted by hand: `cognito-roster apply` trusts its record, `cognito-roster apply --full` repairs them", async () => {
  checkout.write("kss/2026-10.yaml", range(6, 7));
  await roster("apply", "--yes"); // with the trainees earlier tests added to the files
  const cognito = new CognitoIdentityProviderClient({
    region: "eu-west-2",
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  try {
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: "eu-west-2_Tr41n33s0", Username: traineeEmail(6) }));
    expect((await roster("apply", "--yes")).stdout).toMatch(/ 0 imported/);
    const repaired = await roster("apply", "--yes", "--full");
    expect(repaired.stdout).toMatch(/ 1 imported/);
    const back = await cognito.send(new AdminGetUserCommand({ UserPoolId: "eu-west-2_Tr41n33s0", Username: traineeEmail(6) }));
    expect(back.UserStatus).toBe("RESET_REQUIRED");
  } finally {
    cognito.destroy();
  }
  expect((await roster("apply", "--help")).stdout).toMatch(/--full/);
});

test("a trainee deleted from the files is disabled by `cognito-roster apply`, found by name from --base-users, and in no later plan", async () => {
  checkout.write("north/2026-08.yaml", range(20, 23));
  expect((await roster("apply", "--yes")).stdout).toMatch(/imported/); // with the kss trainees the tests above planned
  const base = path.join(checkout.repoRoot, "base-users");
  cpSync(checkout.usersDir, base, { recursive: true });
  checkout.write("north/2026-08.yaml", range(20, 22));

  const planned = JSON.parse((await roster("plan", "--format", "json", "--base-users", "base-users")).stdout);
  expect(planned.remove).toEqual([
    expect.objectContaining({ username: traineeEmail(23), file: "users/north/2026-08.yaml", line: 23, action: "disable" }),
  ]);
  const applied = await roster("apply", "--yes", "--base-users", "base-users");
  expect(applied.stdout).toMatch(/1 removed/);
  expect(applied.stderr).not.toMatch(/ListUsers scan/);

  const cognito = new CognitoIdentityProviderClient({
    region: "eu-west-2",
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  const gone = await cognito.send(new AdminGetUserCommand({ UserPoolId: "eu-west-2_Tr41n33s0", Username: traineeEmail(23) }));
  const groups = await cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: "eu-west-2_Tr41n33s0", Username: traineeEmail(23) }));
  cognito.destroy();
  expect(gone.Enabled).toBe(false);
  expect(groups.Groups ?? []).toEqual([]);
  expect(JSON.parse((await roster("plan", "--format", "json")).stdout).remove).toEqual([]);
});

test("a local `cognito-roster apply` without --base-users finds a trainee deleted from the files by the recorded sub: no scan", async () => {
  checkout.write("north/2026-09.yaml", range(90, 92));
  expect((await roster("apply", "--yes")).stdout).toMatch(/3 imported/);
  const record = readFileSync(path.join(checkout.repoRoot, ".roster/applied-dev.json"), "utf8");
  expect(record).not.toMatch(/example\.nhs\.uk|Testname/);
  // Every trainee the record keeps has a sub: none without, and the three just imported among them.
  const recorded = Object.values(JSON.parse(record).applied as Record<string, string>);
  expect(recorded.filter((v) => !/~[\w-]{22}$/.test(v))).toEqual([]);
  expect(recorded.length).toBeGreaterThanOrEqual(3);

  checkout.write("north/2026-09.yaml", range(90, 91));
  emulator.resetCallCounts();
  const applied = await roster("apply", "--yes");
  expect(applied.stdout).toMatch(/1 removed/);
  expect(applied.stderr).not.toMatch(/ListUsers scan/);
  expect(emulator.callCounts().ListUsers ?? 0).toBe(0);
  expect(emulator.callCounts().AdminGetUser).toBe(1);
  const cognito = new CognitoIdentityProviderClient({
    region: "eu-west-2",
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  const gone = await cognito.send(new AdminGetUserCommand({ UserPoolId: "eu-west-2_Tr41n33s0", Username: traineeEmail(92) }));
  cognito.destroy();
  expect(gone.Enabled).toBe(false);
});

test("a trainee with a start date to come is planned as `starts <date>` by the CLI and not imported", async () => {
  checkout.write("yorkshire/2099.yaml", range(30, 31));
  const file = path.join(checkout.usersDir, "yorkshire/2099.yaml");
  writeFileSync(
    file,
    readFileSync(file, "utf8").replace(`    custom:tisId: "700031"\n`, `    custom:tisId: "700031"\n    startDate: 2099-08-04\n`),
  );
  const plan = JSON.parse((await roster("plan", "--format", "json")).stdout);
  expect(plan.import.map((p: { username: string }) => p.username)).toEqual([traineeEmail(30)]);
  expect(plan.dates.timeZone).toBe("Europe/London");
  expect(plan.dates.offices.yorkshire.starts).toEqual([
    { username: traineeEmail(31), file: "users/yorkshire/2099.yaml", line: 11, date: "2099-08-04" },
  ]);
  const text = (await roster("plan")).stdout;
  expect(text).toContain(`starts 2099-08-04: ${traineeEmail(31)}  (users/yorkshire/2099.yaml:11)`);
  expect((await roster("apply", "--yes")).stdout).toMatch(/1 imported/);
});

test("an email change through the CLI with identityAttribute: the plan shows the replace, the apply leaves one enabled account", async () => {
  // A stack of its own: the dev stack's settings, another pool, and identityAttribute.
  const stack = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")
    .replace("eu-west-2_Tr41n33s0", "eu-west-2_Ren4m3s00")
    .replace(
      "cognito-roster:maxRemovalFraction: 0.25",
      "cognito-roster:maxRemovalFraction: 0.5\n  cognito-roster:identityAttribute: custom:tisId",
    );
  writeFileSync(path.join(checkout.repoRoot, "Pulumi.rename.yaml"), stack);
  const { profile } = loadStackProfile(checkout.repoRoot, "rename");
  await createPool(emulator, profile!);
  checkout.reset();
  checkout.write("kss/a.yaml", range(70, 72));
  expect((await roster("apply", "--yes", "--stack", "rename")).stdout).toMatch(/3 imported/);
  const base = path.join(checkout.repoRoot, "rename-base");
  cpSync(checkout.usersDir, base, { recursive: true });

  checkout.write("kss/a.yaml", [{ n: 170, tisId: "700070" }, { n: 71 }, { n: 72 }]);
  const plan = JSON.parse((await roster("plan", "--stack", "rename", "--format", "json", "--base-users", "rename-base")).stdout);
  expect(plan.renames).toEqual([
    {
      username: traineeEmail(170),
      file: "users/kss/a.yaml",
      line: 5,
      fromDigest: expect.any(String),
      mode: "replace",
      from: { username: traineeEmail(70), file: "users/kss/a.yaml", line: 5 },
    },
  ]);
  expect(plan.remove).toEqual([expect.objectContaining({ username: traineeEmail(70), action: "disable", replacedBy: traineeEmail(170) })]);
  const applied = await roster("apply", "--yes", "--stack", "rename", "--base-users", "rename-base");
  expect(applied.stdout).toMatch(/1 imported.*1 removed/);

  const cognito = new CognitoIdentityProviderClient({
    region: "eu-west-2",
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  const enabled = async (n: number) =>
    (await cognito.send(new AdminGetUserCommand({ UserPoolId: "eu-west-2_Ren4m3s00", Username: traineeEmail(n) }))).Enabled;
  expect([await enabled(70), await enabled(170)]).toEqual([false, true]);
  cognito.destroy();
});

test("a trainee moved between offices is planned as a move needing both offices' owners, and changes nothing in the pool", async () => {
  mkdirSync(path.join(checkout.repoRoot, ".github"), { recursive: true });
  writeFileSync(
    path.join(checkout.repoRoot, ".github/CODEOWNERS"),
    "*  @example-org/roster-maintainers\n/users/kss/  @example-org/office-kss\n/users/london/  @example-org/office-london\n",
  );
  // A stack of its own: the dev stack's settings and another pool.
  const stack = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace("eu-west-2_Tr41n33s0", "eu-west-2_M0v3s0000");
  writeFileSync(path.join(checkout.repoRoot, "Pulumi.moves.yaml"), stack);
  await createPool(emulator, loadStackProfile(checkout.repoRoot, "moves").profile!);
  checkout.reset();
  checkout.write("kss/a.yaml", range(80, 81));
  checkout.write("london/b.yaml", range(82, 82));
  expect((await roster("apply", "--yes", "--stack", "moves")).stdout).toMatch(/3 imported/);
  const base = path.join(checkout.repoRoot, "move-base");
  cpSync(checkout.usersDir, base, { recursive: true });

  checkout.write("kss/a.yaml", range(80, 80));
  checkout.write("london/b.yaml", [{ n: 82 }, { n: 81 }]);
  const plan = JSON.parse((await roster("plan", "--stack", "moves", "--format", "json", "--base-users", "move-base")).stdout);
  expect(plan.moves).toEqual([
    {
      username: traineeEmail(81),
      file: "users/london/b.yaml",
      line: 11,
      from: { file: "users/kss/a.yaml", line: 11 },
      fromOffice: "kss",
      toOffice: "london",
      owners: { from: ["@example-org/office-kss"], to: ["@example-org/office-london"] },
    },
  ]);
  expect([plan.import, plan.remove, plan.update]).toEqual([[], [], []]);
  const md = (await roster("plan", "--stack", "moves", "--format", "markdown", "--base-users", "move-base")).stdout;
  expect(md).toContain("#### Moves between offices (1)");
  expect(md).toContain("needs the approval of both: `@example-org/office-kss` and `@example-org/office-london`");
});

test("a `retain` stack through the CLI: every plan lists the removed trainee while they have access, until that is resolved", async () => {
  const stack = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")
    .replace("eu-west-2_Tr41n33s0", "eu-west-2_R3t41n000")
    .replace("cognito-roster:removedUsers: disable", "cognito-roster:removedUsers: retain");
  writeFileSync(path.join(checkout.repoRoot, "Pulumi.retain.yaml"), stack);
  await createPool(emulator, loadStackProfile(checkout.repoRoot, "retain").profile!);
  checkout.reset();
  checkout.write("kss/a.yaml", range(100, 104));
  expect((await roster("apply", "--yes", "--stack", "retain")).stdout).toMatch(/5 imported/);

  checkout.write("kss/a.yaml", range(100, 103));
  const applied = await roster("apply", "--yes", "--stack", "retain");
  expect(applied.stderr).not.toMatch(/ListUsers scan/);
  // Still listed after the apply that first saw the removal: the record keeps them by sub.
  const plan = JSON.parse((await roster("plan", "--stack", "retain", "--format", "json")).stdout);
  expect(plan.remove).toEqual([expect.objectContaining({ action: "retain", username: null })]);
  const cognito = new CognitoIdentityProviderClient({
    region: "eu-west-2",
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  const user = { UserPoolId: "eu-west-2_R3t41n000", Username: traineeEmail(104) };
  expect((await cognito.send(new AdminGetUserCommand(user))).Enabled).toBe(true);
  // Resolved by hand (disabled, in no managed group): the next plan has nothing to say about them.
  await cognito.send(new AdminDisableUserCommand(user));
  cognito.destroy();
  expect(JSON.parse((await roster("plan", "--stack", "retain", "--format", "json")).stdout).remove).toEqual([]);
});

test("an email change through the CLI in an email-alias pool with identityAttribute: an update in place — same sub, new email, one enabled account", async () => {
  // A stack of its own: the dev stack's settings with email as a sign-in alias, so usernames are TIS ids (Cognito
  // refuses email-shaped usernames in such a pool) and the address is an attribute that can change.
  const poolId = "eu-west-2_Al14s0000";
  const stack = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")
    .replace("eu-west-2_Tr41n33s0", poolId)
    .replace(
      "cognito-roster:usernameMustEqualEmail: true",
      "cognito-roster:usernameMustEqualEmail: false\n  cognito-roster:aliasAttributes: [email]",
    )
    .replace(
      "cognito-roster:maxRemovalFraction: 0.25",
      "cognito-roster:maxRemovalFraction: 0.5\n  cognito-roster:identityAttribute: custom:tisId",
    );
  writeFileSync(path.join(checkout.repoRoot, "Pulumi.alias.yaml"), stack);
  await createPool(emulator, loadStackProfile(checkout.repoRoot, "alias").profile!);
  checkout.reset();
  checkout.writeText("kss/a.yaml", aliasPoolFileText([{ n: 110 }, { n: 111 }]));
  expect((await roster("apply", "--yes", "--stack", "alias")).stdout).toMatch(/ 2 imported/);
  const base = path.join(checkout.repoRoot, "alias-base");
  cpSync(checkout.usersDir, base, { recursive: true });
  const cognito = new CognitoIdentityProviderClient({
    region: "eu-west-2",
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  try {
    const jo = () => accountView(cognito, poolId, "tis-700110");
    const before = await jo();
    expect(before).toMatchObject({ enabled: true, email: traineeEmail(110), verified: "true", groups: ["kss-admins", "trainees"] });

    // Jo's address changes (trainee 110 → 210); her username and tisId stay.
    checkout.writeText("kss/a.yaml", aliasPoolFileText([{ n: 110, emailN: 210 }, { n: 111 }]));
    const plan = JSON.parse((await roster("plan", "--stack", "alias", "--format", "json", "--base-users", "alias-base")).stdout);
    expect(plan.update).toEqual([expect.objectContaining({ username: "tis-700110", attributes: ["email"] })]);
    expect([plan.import, plan.remove, plan.renames ?? [], plan.memberships?.changes ?? []]).toEqual([[], [], [], []]);
    const applied = await roster("apply", "--yes", "--stack", "alias", "--base-users", "alias-base");
    expect(applied.stdout).toMatch(/ 0 imported, 1 updated, 0 disabled, .*0 removed/);

    // Same account and sub, the new address verified (contactPolicy email: verified), the same managed groups.
    expect(await jo()).toEqual({ ...before, email: traineeEmail(210) });
    const listed = await cognito.send(new ListUsersCommand({ UserPoolId: poolId }));
    const tisId = (u: NonNullable<typeof listed.Users>[number]) => u.Attributes?.find((a) => a.Name === "custom:tisId")?.Value;
    expect((listed.Users ?? []).filter((u) => tisId(u) === "700110" && u.Enabled).map((u) => u.Username)).toEqual(["tis-700110"]);
    // The old address no longer signs anyone in; the new one signs Jo in.
    const byEmail = async (email: string) =>
      (await cognito.send(new ListUsersCommand({ UserPoolId: poolId, Filter: `email = "${email}"` }))).Users?.map((u) => u.Username);
    expect([await byEmail(traineeEmail(110)), await byEmail(traineeEmail(210))]).toEqual([[], ["tis-700110"]]);
  } finally {
    cognito.destroy();
  }
  for (const full of [[], ["--full"]]) {
    const settled = JSON.parse((await roster("plan", "--stack", "alias", "--format", "json", ...full)).stdout);
    expect([settled.import, settled.update, settled.disable, settled.enable, settled.remove, settled.memberships?.changes ?? []]).toEqual([
      [],
      [],
      [],
      [],
      [],
      [],
    ]);
  }
});
