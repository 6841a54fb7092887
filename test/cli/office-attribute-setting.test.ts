/**
 * Issue 10 item 1, the stack's office attribute: with `cognito-roster:officeAttribute` set, `cognito-roster export` writes
 * one folder per office without --office-attribute; the flag still wins; a name the stack's schema lacks is exit 2.
 * The compiled command against the emulator, as a user runs it.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { AdminCreateUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { profileFromConfig } from "../../core/profile";
import { loadStackProfile } from "../../load/stack-profile";
import type { RunningEmulator } from "../../emulator";
import { startEmulatorWithPool } from "../support/emulator-pool";
import { makeCheckout, type RosterCheckout } from "../support/roster-fixture";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const ROSTER = path.join(ROOT, "bin", "cognito-roster.js");
const POOL = `eu-west-2_Office${process.pid}`;

let emulator: RunningEmulator;
let checkout: RosterCheckout;
let env: NodeJS.ProcessEnv;

function stackText(extra: string): string {
  return readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")
    .replace(/userPoolId: \S+/, `userPoolId: ${POOL}`)
    .replace(
      "  cognito-roster:customAttributes:\n",
      "  cognito-roster:customAttributes:\n    office:\n      type: String\n      maxLength: 40\n",
    )
    .concat(extra);
}

beforeAll(async () => {
  checkout = makeCheckout();
  writeFileSync(path.join(checkout.repoRoot, "Pulumi.office.yaml"), stackText("  cognito-roster:officeAttribute: custom:office\n"));
  writeFileSync(path.join(checkout.repoRoot, "Pulumi.typo.yaml"), stackText("  cognito-roster:officeAttribute: custom:ofice\n"));
  const { profile } = loadStackProfile(checkout.repoRoot, "office");
  expect(profile?.officeAttribute).toBe("custom:office");
  emulator = await startEmulatorWithPool(profile!);
  const cognito = new CognitoIdentityProviderClient({
    region: "eu-west-2",
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  for (const [n, office] of [
    [1, "London"],
    [2, "KSS"],
    [3, "London"],
  ] as const) {
    const email = `office.${n}@example.nhs.uk`;
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: POOL,
        Username: email,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "email_verified", Value: "true" },
          { Name: "phone_number", Value: `+44770090000${n}` }, // the dev stack asks every trainee for a mobile
          { Name: "custom:office", Value: office },
        ],
      }),
    );
  }
  cognito.destroy();
  env = {
    ...process.env,
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: "x",
    AWS_SECRET_ACCESS_KEY: "x",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
});
afterAll(async () => {
  await emulator?.stop();
  checkout?.cleanup();
});

const roster = (...args: string[]) => run(process.execPath, [ROSTER, ...args], { cwd: checkout.repoRoot, env });

test("the stack's officeAttribute gives the folders when no flag is passed; the flag wins", async () => {
  await roster("export", "--stack", "office", "--users", "by-stack", "--create-users");
  expect(readdirSync(path.join(checkout.repoRoot, "by-stack")).sort()).toEqual(["kss", "london"]);
  await roster("export", "--stack", "office", "--users", "by-flag", "--create-users", "--office-attribute", "email");
  expect(readdirSync(path.join(checkout.repoRoot, "by-flag")).length).toBe(3); // one folder per email address
}, 60_000);

test("an office attribute the stack's schema lacks is a configuration error (exit 2) naming the setting", async () => {
  const failed = await roster("export", "--stack", "typo", "--users", "typo").catch((e: { code: number; stderr: string }) => e);
  expect(failed).toMatchObject({ code: 2 });
  expect((failed as { stderr: string }).stderr).toContain(
    "cognito-roster:officeAttribute custom:ofice is not in the stack's customAttributes",
  );
});

test("profile: officeAttribute must be an attribute name", () => {
  const base = {
    "aws:region": "eu-west-2",
    "cognito-roster:userPoolId": "eu-west-2_Abc",
    "cognito-roster:autoVerifiedAttributes": ["email"],
    "cognito-roster:mfaConfiguration": "OFF",
  };
  expect(profileFromConfig({ ...base, "cognito-roster:officeAttribute": "custom:office" }).profile?.officeAttribute).toBe("custom:office");
  expect(profileFromConfig({ ...base, "cognito-roster:officeAttribute": "not an attribute" }).diagnostics[0]?.message).toMatch(
    /officeAttribute: "not an attribute" is not an attribute name/,
  );
});
