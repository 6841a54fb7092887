/**
 * "Recovery is admin-only" is the pool's AccountRecoverySetting (read once, from DescribeUserPool), not a guess from
 * one user's NotAuthorizedException: an admin-only pool is sent nothing and every trainee stays owed a code; a
 * per-user refusal (a disabled trainee) skips that trainee with its reason and the others still get theirs.
 */
import { AdminDisableUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { applyRoster, type RosterRun } from "../../engine/reconcile";
import { sendSignInCodes } from "../../engine/send-sign-in-codes";
import { CodeLedger } from "../../engine/code-ledger";
import { describePool } from "../../aws/pool-users";
import { createAwsClients } from "../../aws/clients";
import { poolPorts } from "../../aws/ports";
import { usernameDigest } from "../../core/user-digest";
import type { PoolProfile } from "../../core/profile";
import { createPool, useEngineWorld } from "../support/emulator-pool";
import { range, traineeEmail, traineeProfile } from "../support/roster-fixture";

const INSTANT = { now: () => Date.now(), sleep: async () => undefined };
const world = useEngineWorld();

const runOf = (profile: PoolProfile): RosterRun => world.runOf(profile, undefined, { clock: INSTANT });

test("an admin-only pool: no AdminResetUserPassword call, the problem said once, every trainee still owed", async () => {
  const profile = traineeProfile({ sendSignInCode: "afterImport", accountRecovery: ["admin_only"] });
  await createPool(world.emulator, profile);
  world.checkout.write("london/a.yaml", range(1, 3));
  const before = world.emulator.callCounts().AdminResetUserPassword ?? 0;
  const result = await applyRoster(runOf(profile));
  expect(result.imported).toBe(3);
  expect(world.emulator.callCounts().AdminResetUserPassword ?? 0).toBe(before);
  expect(result.signInCodes).toMatchObject({
    sent: 0,
    pending: 3,
    problem: expect.stringMatching(/admin-only \(AccountRecoverySetting\)/),
  });
});

test("a per-user NotAuthorizedException skips that trainee with its reason; the others get their codes", async () => {
  const profile = traineeProfile();
  await createPool(world.emulator, profile);
  world.checkout.write("london/a.yaml", range(1, 3));
  const applied = await applyRoster(runOf(profile));
  expect(applied.imported).toBe(3);
  await world.cognito.send(new AdminDisableUserCommand({ UserPoolId: profile.userPoolId, Username: traineeEmail(2) }));
  const progress: string[] = [];
  // The three just imported, owed a code: the ledger as the apply leaves it before sending.
  const ledger = new CodeLedger(undefined, await describePool(world.cognito, profile.userPoolId));
  const digests = applied.users.map((u) => usernameDigest(profile.userPoolId, u.username, profile.usernameCaseSensitive));
  for (const digest of digests) ledger.markOwed(digest, false);
  const aws = createAwsClients(profile.region, profile.userPoolId);
  const outcome = await sendSignInCodes({
    ports: poolPorts(aws, profile.userPoolId),
    userPoolId: profile.userPoolId,
    caseSensitive: profile.usernameCaseSensitive,
    declared: applied.users,
    ledger,
    importedNow: new Set(digests),
    progress: (m) => progress.push(m),
    clock: INSTANT,
  }).finally(() => aws.destroy());
  expect(outcome).toMatchObject({ sent: 2, pending: 1 });
  expect(outcome.problem).toBeUndefined();
  expect(progress.at(-1)).toBe("sign-in codes: 2 sent, 1 refused by Cognito (NotAuthorizedException 1; kept pending)");
  expect(
    world.emulator
      .sentCodes()
      .filter((c) => c.userPoolId === profile.userPoolId)
      .map((c) => c.username)
      .sort(),
  ).toEqual([traineeEmail(1), traineeEmail(3)]);
});
