/**
 * Going live cannot import the samples (issue 19.1): against any endpoint but the local emulator, a plan or apply
 * refuses the emulator's invented pool id and users at reserved example domains, before any AWS call, naming files
 * and lines (never a user). Against the emulator the same roster plans as before.
 */
import { execFile } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { isReservedExampleAddress } from "../../core/emulator-samples";
import { clientSite } from "../../aws/client-site";
import { createAwsClients } from "../../aws/clients";
import { poolPorts } from "../../aws/ports";
import { isLocalEndpointUrl, sendsToLocalEmulator } from "../../engine/live-safety";
import { planRoster } from "../../engine/reconcile";
import { makeCheckout, range, traineeProfile, type RosterCheckout } from "../support/roster-fixture";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const ROSTER = path.join(ROOT, "bin", "cognito-roster.js");
/** Looks like AWS; never reached, because the refusal comes first (a reached endpoint would mean retries and exit 1). */
const REAL_LOOKING = "https://cognito-idp.eu-west-2.amazonaws.com";

let checkout: RosterCheckout;
beforeAll(() => {
  checkout = makeCheckout();
  copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(checkout.repoRoot, "Pulumi.dev.yaml"));
  // A stack of the team's own: the dev stack's settings under a real-looking pool id.
  const own = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace("eu-west-2_Tr41n33s0", "eu-west-2_LiveP00l9");
  writeFileSync(path.join(checkout.repoRoot, "Pulumi.prod.yaml"), own);
  checkout.write("london/2026-08.yaml", range(1, 4));
});
afterAll(() => checkout.cleanup());

function roster(env: NodeJS.ProcessEnv, ...args: string[]) {
  return run(process.execPath, [ROSTER, ...args], {
    cwd: checkout.repoRoot,
    env: { ...process.env, AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x", AWS_REGION: "eu-west-2", ...env },
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/**
 * The other side uses invented domains, so that no address here is anyone's: `zz` is an ISO 3166 user-assigned
 * code, never delegated as a top-level domain. notexample.nhs.uk ends in a reserved name without being under it.
 */
test("reserved example domains: RFC 2606 / 6761 names and example.nhs.uk, with subdomains; other domains are not", () => {
  for (const address of [
    "a@example.com",
    "a@EXAMPLE.org",
    "a@mail.example.com",
    "a@example.nhs.uk",
    "a@x.test",
    "a@host.example",
    "a@b.invalid",
  ])
    expect(isReservedExampleAddress(address)).toBe(true);
  for (const address of ["a@deanery.zz", "a@notexample.nhs.uk", "a@example.com.zz", "a@example.nhs.uk.zz", "no-at-sign"])
    expect(isReservedExampleAddress(address)).toBe(false);
});

test("only this machine is the local emulator: loopback addresses and localhost", async () => {
  for (const url of ["http://127.0.0.1:4599", "http://localhost:1", "http://[::1]:80/"]) expect(isLocalEndpointUrl(url)).toBe(true);
  for (const url of [REAL_LOOKING, "http://10.0.0.5:4599", "http://127.0.0.1.nip.io:4599", "not a url"])
    expect(isLocalEndpointUrl(url)).toBe(false);
  const aws = new CognitoIdentityProviderClient({ region: "eu-west-2" });
  const local = new CognitoIdentityProviderClient({ region: "eu-west-2", endpoint: "http://127.0.0.1:4599" });
  const saved = process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_ENDPOINT_URL;
  try {
    expect(await sendsToLocalEmulator(clientSite(aws))).toBe(false);
    expect(await sendsToLocalEmulator(clientSite(local))).toBe(true);
  } finally {
    if (saved !== undefined) process.env.AWS_ENDPOINT_URL = saved;
    aws.destroy();
    local.destroy();
  }
});

test("`cognito-roster plan` on the dev stack against a real-looking endpoint: refused, exit 2, before any AWS call", async () => {
  const r = await roster({ AWS_ENDPOINT_URL: REAL_LOOKING }, "plan");
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("pool eu-west-2_Tr41n33s0 is the local emulator's invented pool (the dev stack)");
  expect(r.stderr).toContain("cognito-roster init --stack NAME --pool ID");
  expect(r.stderr).not.toMatch(/cannot reach|retrying/);
  expect(r.stdout).toBe("");
});

test("`cognito-roster apply` of samples into a real pool id against AWS (no endpoint set): refused by file:line, naming nobody", async () => {
  const r = await roster(
    { AWS_ENDPOINT_URL: "" },
    "apply",
    "--stack",
    "prod",
    "--yes",
    "--logs-role-arn",
    "arn:aws:iam::123456789012:role/x",
  );
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("4 declared user(s) at reserved example domains");
  expect(r.stderr).toContain("users/london/2026-08.yaml:5");
  expect(r.stderr).not.toContain("@example.nhs.uk");
  expect(r.stderr).not.toMatch(/cannot reach|retrying/);
});

test("the engine refuses the same with clients it is given (the Pulumi provider's path)", async () => {
  const profile = traineeProfile();
  const aws = createAwsClients(profile.region, profile.userPoolId, {
    endpoint: REAL_LOOKING,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  try {
    const run = { profile, usersDir: checkout.usersDir, repoRoot: checkout.repoRoot };
    await expect(planRoster(run, poolPorts(aws, profile.userPoolId))).rejects.toMatchObject({
      name: "RosterConfigError",
      message: expect.stringContaining("at reserved example domains"),
    });
  } finally {
    aws.destroy();
  }
});
