/**
 * The commands that know groups (issue 12), run as people run them (bin/cognito-roster.js, against the emulator where AWS is
 * needed): `cognito-roster intake --group`, `cognito-roster export` writing memberships of the managed groups (shared ones into
 * defaults) so an exported pool plans no changes, and `cognito-roster plan` stopping on a managed group missing from the pool.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  DeleteGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import type { PoolProfile } from "../../core/profile";
import { loadStackProfile } from "../../load/stack-profile";
import { createPool } from "../support/emulator-pool";
import { makeCheckout, type RosterCheckout } from "../support/roster-fixture";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const ROSTER = path.join(ROOT, "bin", "cognito-roster.js");

let checkout: RosterCheckout;
let env: NodeJS.ProcessEnv = process.env;
beforeEach(() => {
  checkout = makeCheckout();
  copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(checkout.repoRoot, "Pulumi.dev.yaml"));
});
afterEach(() => checkout.cleanup());

function roster(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const strip = (s: string) => s.replace(/^cognito-roster: warning: dist\/ is older than .*\n/m, "");
  return run(process.execPath, [ROSTER, ...args], { cwd: checkout.repoRoot, env }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: strip(r.stderr) }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: strip(e.stderr) }),
  );
}

describe("cognito-roster intake --group", () => {
  beforeEach(() => {
    writeFileSync(
      path.join(checkout.repoRoot, "trainees.csv"),
      "email,given_name,phone_number\namy.one@example.nhs.uk,Amy,+447700900001\nben.two@example.nhs.uk,Ben,+447700900002\n",
    );
  });

  test("puts every new trainee in the groups, leaving out those the file's defaults give already", async () => {
    const file = path.join(checkout.usersDir, "kss", "intake.yaml");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, "defaults:\n  mfa_enabled: true\n  email_verified: true\n  groups: [trainees]\nusers: []\n");
    const result = await roster("intake", "trainees.csv", "--office", "kss", "--group", "trainees", "--group", "kss-admins");
    // Intake says where the new trainees' verified flag comes from (issue 19.7).
    expect(result).toMatchObject({
      code: 0,
      stderr: "cognito-roster intake: email_verified: true, from the defaults of the file the trainees are added to\n",
    });
    const text = readFileSync(file, "utf8");
    expect(text).toContain(
      '  - username: amy.one@example.nhs.uk\n    email: amy.one@example.nhs.uk\n    given_name: Amy\n    phone_number: "+447700900001"\n    groups:\n      - kss-admins\n',
    );
    expect((await roster("validate")).code).toBe(0);
  });

  test("a group the stack does not manage is a usage error, before anything is read", async () => {
    const result = await roster("intake", "trainees.csv", "--office", "kss", "--group", "pilot");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^cognito-roster intake: --group "pilot": the stack does not manage that group \(it manages: trainees, kss-admins; see cognito-roster:groups\)$/m,
    );
  });
});

describe("against the emulator", () => {
  let emulator: RunningEmulator;
  let cognito: CognitoIdentityProviderClient;
  let profile: PoolProfile;

  beforeAll(async () => {
    emulator = await startEmulator();
    env = {
      ...process.env,
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
    cognito = new CognitoIdentityProviderClient({
      region: "eu-west-2",
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
  });
  afterAll(async () => {
    cognito.destroy();
    await emulator.stop();
    env = process.env;
  });
  beforeEach(async () => {
    profile = loadStackProfile(ROOT, "dev").profile!;
    await createPool(emulator, profile); // the dev pool with its groups (kept if there already)
  });

  test("export writes the managed groups' memberships, shared ones in defaults; plan then shows no changes", async () => {
    const pool = profile.userPoolId;
    await cognito.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: "pilot" })).catch(() => undefined);
    for (const [i, name] of ["amy.one", "ben.two"].entries()) {
      const email = `${name}@example.nhs.uk`;
      await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: pool,
          Username: email,
          MessageAction: "SUPPRESS",
          UserAttributes: [
            { Name: "email", Value: email },
            { Name: "email_verified", Value: "true" },
            { Name: "phone_number", Value: `+44770090000${i + 1}` }, // the dev stack asks every trainee for a mobile
            { Name: "custom:tisId", Value: "1" },
          ],
        }),
      );
      await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: email, GroupName: "trainees" }));
    }
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: "amy.one@example.nhs.uk", GroupName: "kss-admins" }));
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: "amy.one@example.nhs.uk", GroupName: "pilot" }));

    const exported = await roster("export", "--file", "exported.yaml");
    expect(exported.code).toBe(0);
    const text = readFileSync(path.join(checkout.usersDir, "exported", "exported.yaml"), "utf8");
    expect(text).toMatch(/defaults:\n( {2}.*\n)* {2}groups:\n {4}- trainees\n/);
    expect(text).toContain("    groups:\n      - kss-admins\n");
    expect(text).not.toContain("pilot");

    const plan = await roster("plan", "--format", "json");
    expect(plan.code).toBe(0);
    const json = JSON.parse(plan.stdout) as {
      import: unknown[];
      update: unknown[];
      memberships: Record<string, { add: unknown[]; remove: unknown[] }>;
    };
    expect(json.import).toEqual([]);
    expect(json.update).toEqual([]);
    expect(Object.values(json.memberships).flatMap((o) => [...o.add, ...o.remove])).toEqual([]);
  });

  test("plan stops with one line and exit 2 when a managed group is missing from the pool", async () => {
    writeFileSync(path.join(checkout.usersDir, "a.yaml"), "users: []\n");
    await cognito.send(new DeleteGroupCommand({ UserPoolId: profile.userPoolId, GroupName: "kss-admins" }));
    try {
      const plan = await roster("plan");
      expect(plan.code).toBe(2);
      expect(plan.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(
          /^cognito-roster plan: pool eu-west-2_Tr41n33s0 has no group kss-admins, which cognito-roster:groups manages: /,
        ),
      ]);
    } finally {
      await createPool(emulator, profile);
    }
  });
});
