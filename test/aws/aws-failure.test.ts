/**
 * Issue 22.6: a failure says what kind it is, the kind decides the exit code in one place, and an AWS failure names
 * what AWS support asks for — the operation, the pool and the AWS request id (the x-amzn-RequestId the emulator
 * answers, as AWS does) — on the CLI's stderr line. Against the emulator, through the product's own clients.
 */
import { createAwsClients } from "../../aws/clients";
import { describePool } from "../../aws/pool-users";
import { reportFailure } from "../../cli/command-context";
import { EXIT_PROBLEMS, EXIT_USAGE, exitCodeFor } from "../../core/exit-codes";
import { errorKind, RosterConfigError } from "../../core/roster-errors";
import { planRoster } from "../../engine/reconcile";
import { RosterValidationError } from "../../engine/roster-run-errors";
import type { RunningEmulator } from "../../emulator";
import { createPool, startEmulatorForSdk } from "../support/emulator-pool";
import { digestDeclaredUsers, rosterDigest } from "../../core/user-digest";
import { loadRoster } from "../../load/load-roster";
import { userPoolRosterEngine } from "../../providers/roster-engine-entry";
import { LOGS_ROLE, makeCheckout, range, traineeProfile } from "../support/roster-fixture";

let emulator: RunningEmulator;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ emulator, stop } = await startEmulatorForSdk());
});
afterAll(() => stop());
afterEach(() => emulator.faults.clear());

/** What reportFailure printed and the exit code it gave. */
function reported(err: unknown): { stderr: string; code: number } {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((text) => {
    lines.push(String(text));
    return true;
  });
  try {
    const code = reportFailure("plan", err);
    return { stderr: lines.join(""), code };
  } finally {
    spy.mockRestore();
  }
}

async function failure(promise: Promise<unknown>): Promise<Error & { $metadata?: { requestId?: string } }> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a failure");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test("a plan against a pool that does not exist names the operation, the pool and the request id; exit 1", async () => {
  const profile = traineeProfile(); // never created in this emulator
  const checkout = makeCheckout();
  try {
    checkout.write("london/a.yaml", range(1, 2));
    const err = await failure(planRoster({ profile, usersDir: checkout.usersDir, repoRoot: checkout.repoRoot }));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(errorKind(err)).toBe("aws");
    const requestId = err.$metadata?.requestId ?? "";
    expect(requestId).toMatch(UUID);
    const { stderr, code } = reported(err);
    expect(stderr.split("\n")[0]).toBe(
      `cognito-roster plan: ResourceNotFoundException: ${err.message} (DescribeUserPool on pool ${profile.userPoolId}, AWS request id ${requestId})`,
    );
    expect(code).toBe(EXIT_PROBLEMS);
  } finally {
    checkout.cleanup();
  }
});

test("under Pulumi, the provider's error names the call, the pool and the request id too", async () => {
  const profile = traineeProfile(); // never created in this emulator
  const checkout = makeCheckout();
  const cwd = process.cwd();
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    checkout.write("london/a.yaml", range(1, 2));
    process.chdir(checkout.repoRoot);
    const loaded = loadRoster({ usersDir: checkout.usersDir, repoRoot: checkout.repoRoot, profile });
    const digest = rosterDigest(digestDeclaredUsers(profile.userPoolId, loaded.users, profile.usernameCaseSensitive));
    const { logsRoleArn: _role, ...profileInput } = profile;
    const inputs = { usersDir: "users", profile: profileInput, logsRoleArn: LOGS_ROLE, rosterDigest: digest };
    const err = await failure(userPoolRosterEngine.create(inputs));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toMatch(
      new RegExp(
        `\\([A-Z][A-Za-z]+ on pool ${profile.userPoolId}, AWS request id [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\)$`,
      ),
    );
  } finally {
    process.chdir(cwd);
    stderr.mockRestore();
    checkout.cleanup();
  }
});

test("throttled past the SDK's retries is transient, and still names its call", async () => {
  const profile = traineeProfile();
  await createPool(emulator, profile);
  const aws = createAwsClients(profile.region, profile.userPoolId, { maxAttempts: 1 });
  emulator.faults.throttle("DescribeUserPool", 1);
  try {
    const err = await failure(describePool(aws.cognito, profile.userPoolId));
    expect(err.name).toBe("TooManyRequestsException");
    expect(errorKind(err)).toBe("transient");
    expect(reported(err).stderr).toContain(`(DescribeUserPool on pool ${profile.userPoolId}, AWS request id ${err.$metadata?.requestId})`);
  } finally {
    aws.destroy();
  }
});

test.each([
  { what: "a configuration error", err: new RosterConfigError("set aws:region"), kind: "config", code: EXIT_USAGE },
  {
    what: "no credentials (the SDK's)",
    err: Object.assign(new Error("Could not load credentials"), { name: "CredentialsProviderError" }),
    kind: "config",
    code: EXIT_USAGE,
  },
  { what: "invalid users files", err: new RosterValidationError([]), kind: "validation", code: EXIT_PROBLEMS },
  {
    what: "a refusal",
    err: Object.assign(new Error("removes too many"), { name: "PlanRefusedError", kind: "refused" }),
    kind: "refused",
    code: EXIT_PROBLEMS,
  },
  {
    what: "an AWS error",
    err: Object.assign(new Error("denied"), { name: "AccessDeniedException", $metadata: {}, $fault: "client" }),
    kind: "aws",
    code: EXIT_PROBLEMS,
  },
  {
    what: "a server error",
    err: Object.assign(new Error("oops"), { name: "InternalErrorException", $metadata: {}, $fault: "server" }),
    kind: "transient",
    code: EXIT_PROBLEMS,
  },
  { what: "no answer", err: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), kind: "transient", code: EXIT_PROBLEMS },
  { what: "a bug", err: new TypeError("x is undefined"), kind: undefined, code: EXIT_PROBLEMS },
])("$what: kind $kind, exit $code", ({ err, kind, code }) => {
  expect(errorKind(err)).toBe(kind);
  expect(exitCodeFor(err)).toBe(code);
});
