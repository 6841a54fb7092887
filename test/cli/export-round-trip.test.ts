/**
 * Adopting an existing pool, end to end as a user runs it: a pool of 10,000 users (put there by someone else),
 * `cognito-roster export` → `cognito-roster validate` → `cognito-roster plan` shows zero changes. The exported users stay unmanaged: no
 * applied record is written. Files are never overwritten without --force, and the same pool gives the same bytes.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { AdminDisableUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { loadStackProfile } from "../../load/stack-profile";
import type { RunningEmulator } from "../../emulator";
import { FIXTURE_STACK_FILE } from "../core/fixture-cases";
import { startEmulatorWithPool } from "../support/emulator-pool";
import { makeCheckout, type RosterCheckout } from "../support/roster-fixture";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const ROSTER = path.join(ROOT, "bin", "cognito-roster.js");
const USERS = 10_000;
const OFFICES = ["London", "North West", "KSS", "Yorkshire and Humber"];

let emulator: RunningEmulator;
let checkout: RosterCheckout;
let env: NodeJS.ProcessEnv;

/**
 * A stack of its own: the frozen test profile (the dev stack's settings without its phone requirement: a pool
 * someone else filled has users without a mobile), its own pool id, and an office attribute.
 */
function writeStack(repoRoot: string): void {
  const dev = readFileSync(FIXTURE_STACK_FILE, "utf8")
    .replace(/userPoolId: \S+/, `userPoolId: eu-west-2_Adopt${process.pid}`)
    .replace(
      "  cognito-roster:customAttributes:\n",
      "  cognito-roster:customAttributes:\n    office:\n      type: String\n      maxLength: 40\n",
    );
  writeFileSync(path.join(repoRoot, "Pulumi.adopt.yaml"), dev);
}

/** The users someone else put in the pool: varied attributes, offices in an attribute. */
function adoptedEmail(n: number): string {
  return `adopted.${String(n).padStart(5, "0")}@example.nhs.uk`;
}

function seedFile(from: number, to: number): string {
  const lines = ["defaults:", "  mfa_enabled: true", "  email_verified: true", "users:"];
  for (let n = from; n <= to; n++) {
    const email = adoptedEmail(n);
    lines.push(`  - username: ${email}`, `    email: ${email}`, `    given_name: Given${n}`, `    family_name: Family`);
    lines.push(`    custom:office: ${OFFICES[n % OFFICES.length]}`, `    custom:tisId: "${100000 + n}"`);
    if (n % 7 === 0) lines.push(`    phone_number: "+447700900${String(n % 1000).padStart(3, "0")}"`, "    phone_number_verified: false");
    if (n % 11 === 0) lines.push("    birthdate: 1990-02-01");
  }
  return `${lines.join("\n")}\n`;
}

function roster(...args: string[]) {
  return run(process.execPath, [ROSTER, ...args], { cwd: checkout.repoRoot, env, maxBuffer: 64 * 1024 * 1024 });
}

beforeAll(async () => {
  checkout = makeCheckout();
  writeStack(checkout.repoRoot);
  const { profile } = loadStackProfile(checkout.repoRoot, "adopt");
  emulator = await startEmulatorWithPool(profile!);
  env = { ...process.env, AWS_ENDPOINT_URL: emulator.endpoint, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
  // Someone else's users: imported through the roster from a folder that is then thrown away with its record.
  const seed = path.join(checkout.repoRoot, "seed");
  mkdirSync(seed);
  writeFileSync(path.join(seed, "all.yaml"), seedFile(1, USERS));
  await roster("apply", "--yes", "--stack", "adopt", "--users", "seed");
  // Then some leave, disabled by an administrator (a leaver never imported would have no account).
  const cognito = new CognitoIdentityProviderClient({
    region: "eu-west-2",
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  for (let n = 50; n <= USERS; n += 50) {
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: profile!.userPoolId, Username: adoptedEmail(n) }));
  }
  cognito.destroy();
  rmSync(seed, { recursive: true });
  rmSync(path.join(checkout.repoRoot, ".roster"), { recursive: true, force: true });
}, 300_000);

afterAll(async () => {
  await emulator?.stop();
  checkout?.cleanup();
});

test(`export → validate → plan shows zero changes at ${USERS} users`, async () => {
  const exported = await roster("export", "--stack", "adopt", "--office-attribute", "custom:office");
  expect(exported.stdout).toContain(`exported ${USERS} users of eu-west-2_Adopt${process.pid} into 4 files`);
  expect(exported.stderr).not.toMatch(/example\.nhs\.uk/); // progress carries no personal data
  expect(readdirSync(checkout.usersDir).sort()).toEqual(["kss", "london", "north-west", "yorkshire-and-humber"]);
  const london = readFileSync(path.join(checkout.usersDir, "london", "exported.yaml"), "utf8");
  expect(london.split("\n")[0]).toBe("# yaml-language-server: $schema=../../schemas/users-file.schema.json");
  expect(london).toMatch(/^defaults:\n {2}email_verified: true\n {2}custom:office: London\n {2}mfa_enabled: true\n/m);
  const leavers = readdirSync(checkout.usersDir).map(
    (office) => readFileSync(path.join(checkout.usersDir, office, "exported.yaml"), "utf8").match(/ {4}enabled: false\n/g)?.length ?? 0,
  );
  expect(leavers.reduce((a, b) => a + b, 0)).toBe(USERS / 50);
  // Exported users stay unmanaged until merged and applied: no record of them is written.
  expect(existsSync(path.join(checkout.repoRoot, ".roster", "applied-adopt.json"))).toBe(false);

  const validated = await roster("validate", "--stack", "adopt");
  expect(validated.stdout).toMatch(new RegExp(`^0 errors, 0 warnings in 4 files \\(${USERS} users\\)$`, "m"));

  const plan = JSON.parse((await roster("plan", "--stack", "adopt", "--format", "json")).stdout);
  expect(plan).toMatchObject({ import: [], update: [], disable: [], enable: [], remove: [], unchanged: USERS });
}, 300_000);

test("never overwrites without --force; the same pool gives the same bytes; declared users are not exported again", async () => {
  const file = path.join(checkout.usersDir, "london", "exported.yaml");
  const before = readFileSync(file, "utf8");
  rmSync(checkout.usersDir, { recursive: true });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, "# written by hand\nusers: []\n");
  const refused = await roster("export", "--stack", "adopt", "--office-attribute", "custom:office").catch(
    (e: { code: number; stderr: string }) => e,
  );
  expect(refused).toMatchObject({ code: 2 });
  expect((refused as { stderr: string }).stderr).toContain(
    "users/london/exported.yaml exists: not overwritten (pass --force to replace it)",
  );
  expect(readFileSync(file, "utf8")).toBe("# written by hand\nusers: []\n");
  expect(readdirSync(checkout.usersDir)).toEqual(["london"]); // nothing at all was written

  await roster("export", "--stack", "adopt", "--office-attribute", "custom:office", "--force");
  expect(readFileSync(file, "utf8")).toBe(before);

  const again = await roster("export", "--stack", "adopt", "--office-attribute", "custom:office");
  expect(again.stderr).toContain(`${USERS} users left out: already declared in the users folder`);
  expect(again.stdout).toContain("nothing written");
}, 300_000);

test("a users folder that does not exist is refused unless --create-users; an office map matching nobody writes nothing", async () => {
  const fail = (e: { code: number; stdout: string; stderr: string }) => e;
  const typo = await roster("export", "--stack", "adopt", "--users", "usres").catch(fail);
  expect(typo).toMatchObject({ code: 2 });
  expect(typo.stderr).toContain("the users directory usres does not exist (pass --create-users to create it)");
  expect(existsSync(path.join(checkout.repoRoot, "usres"))).toBe(false);

  writeFileSync(path.join(checkout.repoRoot, "offices.yaml"), "'@nowhere.example.org': wales\nsomeone@example.com: kss\n");
  const unmatched = await roster("export", "--stack", "adopt", "--users", "fresh", "--create-users", "--office-map", "offices.yaml").catch(
    fail,
  );
  expect(unmatched).toMatchObject({ code: 2 });
  expect(unmatched.stderr).toMatch(/the office map matches none of the \d+ users to export .*: nothing written/);
  expect(existsSync(path.join(checkout.repoRoot, "fresh"))).toBe(false);
}, 300_000);
