/**
 * Two applies against one pool at once (issue 8, item 4): never both import, nothing double-counted, no spurious
 * Failed job. Two engine runs in one process against one emulator, through the real SDK clients.
 */
import { CognitoIdentityProviderClient, ListUserImportJobsCommand, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { RunningEmulator } from "../../emulator";
import { startEmulatorForSdk } from "../support/emulator-pool";
import type { PoolProfile } from "../../core/profile";
import { createStackPool } from "../../cli/emulator-pool";
import { applyRoster, type RosterRun } from "../../engine/reconcile";
import { makeCheckout, range, traineeProfile, type RosterCheckout } from "../support/roster-fixture";

const FAST = { pollMinMs: 10, pollMaxMs: 50, retryMinMs: 10 };

let emulator: RunningEmulator;
let cognito: CognitoIdentityProviderClient;
const checkouts: RosterCheckout[] = [];
let stopEmulator: () => Promise<void>;

beforeAll(async () => {
  ({ emulator, stop: stopEmulator } = await startEmulatorForSdk());
  cognito = new CognitoIdentityProviderClient({ region: "eu-west-2" });
});
afterAll(async () => {
  cognito.destroy();
  await stopEmulator();
});
afterEach(() => {
  for (const c of checkouts.splice(0)) c.cleanup();
});

function checkoutWith(from: number, to: number): RosterCheckout {
  const checkout = makeCheckout();
  checkout.write("london/a.yaml", range(from, to));
  checkouts.push(checkout);
  return checkout;
}

function runOf(profile: PoolProfile, checkout: RosterCheckout, messages: string[]): RosterRun {
  return { profile, usersDir: checkout.usersDir, repoRoot: checkout.repoRoot, timing: FAST, progress: (m) => messages.push(m) };
}

async function poolSize(poolId: string): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const out = await cognito.send(new ListUsersCommand({ UserPoolId: poolId, PaginationToken: token }));
    count += out.Users?.length ?? 0;
    token = out.PaginationToken;
  } while (token);
  return count;
}

async function jobStatuses(poolId: string): Promise<string[]> {
  const out = await cognito.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 60 }));
  return (out.UserImportJobs ?? []).map((j) => j.Status ?? "");
}

test.each([
  ["the same files (two CI runs of one commit)", [1, 6], [1, 6]],
  ["different files (a laptop and CI)", [1, 4], [1, 6]],
])(
  "two applies at once with %s: one imports, the other waits and plans again; nothing double-counted, no Failed job",
  async (_label, a, b) => {
    const profile = traineeProfile();
    await createStackPool(profile, emulator.endpoint);
    const [first, second] = [checkoutWith(a[0], a[1]), checkoutWith(b[0], b[1])];
    const messagesA: string[] = [];
    const messagesB: string[] = [];
    const [ra, rb] = await Promise.all([applyRoster(runOf(profile, first, messagesA)), applyRoster(runOf(profile, second, messagesB))]);

    expect(ra.failed).toEqual([]);
    expect(rb.failed).toEqual([]);
    const declared = Math.max(a[1], b[1]);
    expect(await poolSize(profile.userPoolId)).toBe(declared);
    // Every user imported once and counted by one run only.
    expect(ra.imported + rb.imported).toBe(declared);
    expect(ra.alreadyPresent + rb.alreadyPresent).toBe(0);
    const statuses = await jobStatuses(profile.userPoolId);
    expect(statuses).not.toContain("Failed");
    expect(statuses.filter((s) => s === "Succeeded").length).toBeGreaterThanOrEqual(1);
    // Both runs' applied records are complete: a later run has nothing to do.
    expect(Object.keys(ra.applied)).toHaveLength(a[1] - a[0] + 1);
    expect(Object.keys(rb.applied)).toHaveLength(b[1] - b[0] + 1);
    expect([...messagesA, ...messagesB].join("\n")).not.toMatch(/example\.nhs\.uk/);
    // The race is real: one run said it yielded to the other's job (in one line, naming the job, not a person).
    expect([...messagesA, ...messagesB].some((m) => /imports nothing and plans again/.test(m))).toBe(true);
  },
);
