/**
 * `roster apply` and `roster plan` end to end, as a user runs them: the compiled command in a checkout of its own,
 * the emulator reached through AWS_ENDPOINT_URL, the pool read back with an independent SDK client.
 */
import { execFile } from "node:child_process";
import { copyFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { createPool } from "../support/emulator-pool";
import { loadStackProfile } from "../../load/stack-profile";
import { makeCheckout, range, traineeEmail, type RosterCheckout } from "../support/roster-fixture";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const ROSTER = path.join(ROOT, "bin", "roster.js");

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
  expect(listed.Users?.every((u) => u.UserStatus === "RESET_REQUIRED")).toBe(true);

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

test("a trainee deleted by hand: `roster apply` trusts its record, `roster apply --full` repairs them", async () => {
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
