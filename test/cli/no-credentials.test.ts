/**
 * Without AWS credentials (issue 19.7) a command that needs them says what to set — one line, exit 2 (a
 * configuration problem) — instead of the SDK's raw CredentialsProviderError. The environment has no AWS variables,
 * HOME has no ~/.aws, and instance metadata is off, so the SDK's default chain finds nothing and no request is sent.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { makeCheckout, type RosterCheckout } from "../support/roster-fixture";

const ROOT = path.resolve(__dirname, "../..");
const ROSTER = path.join(ROOT, "bin", "cognito-roster.js");

let checkout: RosterCheckout;
let home: string;
beforeAll(() => {
  checkout = makeCheckout();
  home = mkdtempSync(path.join(tmpdir(), "roster-home-"));
  // A stack of a real-looking pool of its own (the dev stack's pool id is refused against AWS before credentials matter).
  const own = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace("eu-west-2_Tr41n33s0", "eu-west-2_N0Cr3ds00");
  writeFileSync(path.join(checkout.repoRoot, "Pulumi.prod.yaml"), own);
  // No users yet (synthetic users are at example domains, which a plan against AWS refuses before any call).
  mkdirSync(path.join(checkout.usersDir, "kss"));
  writeFileSync(path.join(checkout.usersDir, "kss", "a.yaml"), "users: []\n");
});
afterAll(() => {
  checkout.cleanup();
  rmSync(home, { recursive: true, force: true });
});

function roster(...args: string[]) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, AWS_EC2_METADATA_DISABLED: "true", CI: "true" };
  return spawnSync(process.execPath, [ROSTER, ...args], { cwd: checkout.repoRoot, env, encoding: "utf8", timeout: 60_000 });
}

test.each([
  ["export", "--stack", "prod", "--create-users", "--users", "adopted"],
  ["plan", "--stack", "prod"],
  ["apply", "--stack", "prod", "--yes", "--logs-role-arn", "arn:aws:iam::123456789012:role/roster-import-logs-x"],
])("roster %s without credentials: a hint, exit 2", (...args) => {
  const r = roster(...args);
  expect(r.status).toBe(2);
  expect(r.stderr).toContain(`cognito-roster ${args[0]}: no AWS credentials found`);
  expect(r.stderr).toContain("aws sso login --profile NAME");
  expect(r.stderr).not.toMatch(/CredentialsProviderError|Could not load credentials|\n\s+at /);
  expect(r.stdout).toBe("");
});
