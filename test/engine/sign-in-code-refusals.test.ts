/**
 * "Recovery is admin-only" is the pool's AccountRecoverySetting (read once, from DescribeUserPool), not a guess from
 * one user's NotAuthorizedException: an admin-only pool is sent nothing and every trainee stays owed a code; a
 * per-user refusal (a disabled trainee) skips that trainee with its reason and the others still get theirs.
 */
import { AdminDisableUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { RunningEmulator } from "../../emulator";
import { applyRoster, type RosterRun } from "../../engine/reconcile";
import { sendSignInCodes } from "../../engine/send-sign-in-codes";
import { CodeLedger } from "../../engine/code-ledger";
import { describePool } from "../../aws/pool-users";
import { usernameDigest } from "../../core/user-digest";
import type { PoolProfile } from "../../core/profile";
import { createPool, startEmulatorForSdk } from "../support/emulator-pool";
import { makeCheckout, range, traineeEmail, traineeProfile, type RosterCheckout } from "../support/roster-fixture";

const FAST = { pollMinMs: 20, pollMaxMs: 100, retryMinMs: 20 };
const INSTANT = { now: () => Date.now(), sleep: async () => undefined };
let emulator: RunningEmulator;
let stopEmulator: () => Promise<void>;
let cognito: CognitoIdentityProviderClient;
let checkout: RosterCheckout;

beforeAll(async () => {
  ({ emulator, stop: stopEmulator } = await startEmulatorForSdk());
  cognito = new CognitoIdentityProviderClient({ region: "eu-west-2" });
});
afterAll(async () => {
  cognito.destroy();
  await stopEmulator();
});
beforeEach(() => {
  checkout = makeCheckout();
});
afterEach(() => checkout.cleanup());

function runOf(profile: PoolProfile): RosterRun {
  return { profile, usersDir: checkout.usersDir, repoRoot: checkout.repoRoot, timing: FAST, clock: INSTANT };
}

test("an admin-only pool: no AdminResetUserPassword call, the problem said once, every trainee still owed", async () => {
  const profile = traineeProfile({ sendSignInCode: "afterImport", accountRecovery: ["admin_only"] });
  await createPool(emulator, profile);
  checkout.write("london/a.yaml", range(1, 3));
  const before = emulator.callCounts().AdminResetUserPassword ?? 0;
  const result = await applyRoster(runOf(profile));
  expect(result.imported).toBe(3);
  expect(emulator.callCounts().AdminResetUserPassword ?? 0).toBe(before);
  expect(result.signInCodes).toMatchObject({
    sent: 0,
    pending: 3,
    problem: expect.stringMatching(/admin-only \(AccountRecoverySetting\)/),
  });
});

test("a per-user NotAuthorizedException skips that trainee with its reason; the others get their codes", async () => {
  const profile = traineeProfile();
  await createPool(emulator, profile);
  checkout.write("london/a.yaml", range(1, 3));
  const applied = await applyRoster(runOf(profile));
  expect(applied.imported).toBe(3);
  await cognito.send(new AdminDisableUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(2) }));
  const progress: string[] = [];
  // The three just imported, owed a code: the ledger as the apply leaves it before sending.
  const ledger = new CodeLedger(undefined, await describePool(cognito, profile.userPoolId));
  const digests = applied.users.map((u) => usernameDigest(profile.userPoolId, u.username, profile.usernameCaseSensitive));
  for (const digest of digests) ledger.markOwed(digest, false);
  const outcome = await sendSignInCodes({
    cognito,
    userPoolId: profile.userPoolId,
    caseSensitive: profile.usernameCaseSensitive,
    declared: applied.users,
    ledger,
    importedNow: new Set(digests),
    progress: (m) => progress.push(m),
    clock: INSTANT,
  });
  expect(outcome).toMatchObject({ sent: 2, pending: 1 });
  expect(outcome.problem).toBeUndefined();
  expect(progress.at(-1)).toBe("sign-in codes: 2 sent, 1 refused by Cognito (NotAuthorizedException 1; kept pending)");
  expect(
    emulator
      .sentCodes()
      .filter((c) => c.userPoolId === profile.userPoolId)
      .map((c) => c.username)
      .sort(),
  ).toEqual([traineeEmail(1), traineeEmail(3)]);
});
