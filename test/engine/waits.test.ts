/**
 * Waits say what they wait for (issue 8, item 3): the engine's back-off on an injected clock, the SDK's retries
 * under throttling, an unreachable endpoint that fails after a bounded number of attempts, a stalled or failed
 * upload. No timing asserts: what is checked is what the user is told and that the run converges.
 */
import { CognitoIdentityProviderClient, ListUserImportJobsCommand } from "@aws-sdk/client-cognito-identity-provider";
import { startEmulatorForSdk, useEngineWorld } from "../support/emulator-pool";
import type { PoolProfile } from "../../core/profile";
import { createStackPool } from "../../cli/emulator-pool";
import { MAX_CONNECTION_ATTEMPTS } from "../../aws/clients";
import { type Clock, done, notYet, retryWithBackoff, WaitTimeoutError } from "../../engine/backoff";
import { applyRoster, planRoster, type RosterRun } from "../../engine/reconcile";
import { range, traineeProfile } from "../support/roster-fixture";

const FAST = { pollMinMs: 10, pollMaxMs: 50, retryMinMs: 10 };

const world = useEngineWorld();

/** A clock that never really sleeps: time moves only when something waits. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    async sleep(ms) {
      slept.push(ms);
      now += ms;
    },
  };
}

async function newPool(): Promise<PoolProfile> {
  const profile = traineeProfile();
  await createStackPool(profile, world.emulator.endpoint);
  return profile;
}

function runOf(profile: PoolProfile, messages: string[], extra: Partial<RosterRun> = {}): RosterRun {
  return {
    profile,
    usersDir: world.checkout.usersDir,
    repoRoot: world.checkout.repoRoot,
    timing: FAST,
    progress: (m) => messages.push(m),
    ...extra,
  };
}

describe("retryWithBackoff on an injected clock", () => {
  test("announces each wait with what it waits for and for how long so far, growing to the cap", async () => {
    const clock = fakeClock();
    const messages: string[] = [];
    const value = await retryWithBackoff(
      { firstMs: 1000, maxMs: 4000, factor: 2 },
      async (n) => (n < 5 ? notYet("waiting for job import-X (InProgress)") : done("finished")),
      { clock, progress: (m) => messages.push(m) },
    );
    expect(value).toBe("finished");
    expect(clock.slept).toEqual([1000, 2000, 4000, 4000]);
    expect(messages[0]).toBe("waiting for job import-X (InProgress): next check in 1.0 s");
    expect(messages[3]).toBe("waiting for job import-X (InProgress): next check in 4.0 s (waiting 7.0 s so far)");
  });

  test("gives up at its time bound with what it was still waiting for", async () => {
    const clock = fakeClock();
    await expect(
      retryWithBackoff({ firstMs: 1000, maxMs: 60_000, factor: 2, limitMs: 10_000 }, async () => notYet("waiting for another job"), {
        clock,
      }),
    ).rejects.toMatchObject({
      name: "WaitTimeoutError",
      waitingFor: "waiting for another job",
    });
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  test("quiet attempts wait without a message; errors from the attempt propagate at once", async () => {
    const clock = fakeClock();
    const messages: string[] = [];
    await retryWithBackoff({ firstMs: 5, maxMs: 5, factor: 1 }, async (n) => (n < 3 ? notYet("same state", true) : done(1)), {
      clock,
      progress: (m) => messages.push(m),
    });
    expect(messages).toEqual([]);
    await expect(
      retryWithBackoff({ firstMs: 5, maxMs: 5, factor: 1 }, async () => Promise.reject(new Error("boom")), { clock }),
    ).rejects.toThrow("boom");
    expect(WaitTimeoutError).toBeDefined();
  });
});

test("throttling: each SDK retry is announced with the operation and the delay, and the run converges", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 2));
  world.emulator.faults.throttle("DescribeUserPool", 2);
  const messages: string[] = [];
  const result = await applyRoster(runOf(profile, messages));
  expect(result).toMatchObject({ imported: 2, failed: [] });
  const throttled = messages.filter((m) =>
    /^throttled by AWS \(TooManyRequestsException\) on DescribeUserPool, retrying in \d+\.\d s \(attempt \d+ of \d+\)$/.test(m),
  );
  expect(throttled).toHaveLength(2);
});

test("an unreachable endpoint fails after a bounded number of attempts, saying what it retried", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 1));
  const messages: string[] = [];
  process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:9"; // discard port: nothing listens
  try {
    await expect(planRoster(runOf(profile, messages))).rejects.toMatchObject({
      name: "EndpointUnreachableError",
      message: "cannot reach the endpoint http://127.0.0.1:9 (ECONNREFUSED) after 3 attempts: check AWS_ENDPOINT_URL",
    });
  } finally {
    process.env.AWS_ENDPOINT_URL = world.emulator.endpoint;
  }
  const retries = messages.filter((m) =>
    /^cannot reach the endpoint http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\) on DescribeUserPool, retrying in/.test(m),
  );
  expect(retries).toHaveLength(MAX_CONNECTION_ATTEMPTS - 1);
  expect(messages[messages.length - 1]).toMatch(/giving up after 3 attempts/);
});

test("a stalled upload gives up after its timeout, says so, and is retried; the import completes", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 3));
  world.emulator.faults.stallUpload(1);
  const messages: string[] = [];
  const result = await applyRoster(runOf(profile, messages, { timing: { ...FAST, uploadMinMs: 300 } }));
  expect(result).toMatchObject({ imported: 3, failed: [] });
  expect(messages.some((m) => /uploading .* \(gives up after 300 ms\)/.test(m))).toBe(true);
  expect(messages.some((m) => /upload of the import CSV stalled.*retrying the upload \(attempt 2 of 4\): next check in/.test(m))).toBe(
    true,
  );
  expect(messages.join("\n")).not.toMatch(/X-Amz-|https?:\/\/127\.0\.0\.1:\d+\/[^ ]*\?/); // never a pre-signed URL
});

test("a failed upload is retried; nothing but the one job is left behind, and it is not Failed", async () => {
  const profile = await newPool();
  world.checkout.write("london/a.yaml", range(1, 2));
  world.emulator.faults.failUpload(2);
  const messages: string[] = [];
  const result = await applyRoster(runOf(profile, messages));
  expect(result).toMatchObject({ imported: 2, failed: [] });
  expect(messages.filter((m) => /retrying the upload/.test(m))).toHaveLength(2);
  const cognito = new CognitoIdentityProviderClient({ region: "eu-west-2" });
  const jobs = await cognito.send(new ListUserImportJobsCommand({ UserPoolId: profile.userPoolId, MaxResults: 60 }));
  cognito.destroy();
  expect((jobs.UserImportJobs ?? []).map((j) => j.Status)).toEqual(["Succeeded"]);
});

test("the run's own job that never finishes: waited for at most ownJobMaxWaitMs with progress lines, then a clear outcome (job id, what to do)", async () => {
  // A job that stays Pending (it would start after an hour of real time); the engine's clock, shared with the
  // emulator, moves only when the engine waits.
  let now = Date.UTC(2026, 0, 15, 9, 0, 0);
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
  const { emulator: slow, stop } = await startEmulatorForSdk({
    clock: () => now,
    importSpeed: { rowsPerSecond: 1, startDelayMs: 3600_000 },
  });
  try {
    const profile = traineeProfile();
    await createStackPool(profile, slow.endpoint);
    world.checkout.write("london/2026-08.yaml", range(1, 3));
    const messages: string[] = [];
    const run = runOf(profile, messages, { clock, timing: { ...FAST, ownJobMaxWaitMs: 30 * 60_000, jobPollMaxMs: 5 * 60_000 } });
    const failure = applyRoster(run);
    await expect(failure).rejects.toMatchObject({ name: "ImportJobTimeoutError" });
    const message = ((await failure.catch((e: unknown) => e)) as Error).message;
    const jobId = /import job (\S+) is still Pending after 30 min 00 s/.exec(message)?.[1];
    expect(jobId).toBeDefined();
    expect(message).toContain("the next `cognito-roster apply` waits for it");
    expect(message).toContain(`stop-user-import-job --user-pool-id ${profile.userPoolId} --job-id ${jobId}`);
    const waits = messages.filter((m) => m.includes(`waiting for job ${jobId} (at most 30 min 00 s)`));
    expect(waits.length).toBeGreaterThan(2);
    expect(waits.length).toBeLessThan(40); // polls scale with the job's age
  } finally {
    await stop();
  }
});

describe("upload URL lifetime is judged on the service's clock, not the local one", () => {
  /** An emulator on a virtual clock, and a run whose clock is `skewMs` off it; both move when the run waits. */
  async function skewed(skewMs: number) {
    const time = { now: Date.UTC(2026, 0, 15, 9, 0, 0) };
    const started = await startEmulatorForSdk({ clock: () => time.now });
    const clock: Clock = {
      now: () => time.now + skewMs,
      sleep: async (ms) => {
        time.now += ms;
      },
    };
    const profile = traineeProfile();
    await createStackPool(profile, started.emulator.endpoint);
    return { ...started, time, clock, profile };
  }

  test.each([
    ["ahead", 20 * 60_000],
    ["behind", -20 * 60_000],
  ])("a local clock 20 minutes %s: one job, uploaded and imported at once", async (_, skewMs) => {
    const { emulator: service, stop, clock, profile } = await skewed(skewMs);
    try {
      world.checkout.write("london/2026-08.yaml", range(1, 3));
      const messages: string[] = [];
      const result = await applyRoster(runOf(profile, messages, { clock }));
      expect(result.imported).toBe(3);
      expect(service.callCounts().CreateUserImportJob).toBe(1);
      expect(messages.filter((m) => /lapsed/.test(m))).toEqual([]);
    } finally {
      await stop();
    }
  });

  test("a local clock 20 minutes behind does not adopt a crashed run's job whose URL lapsed on the service's clock", async () => {
    const { emulator: service, stop, clock, time, profile } = await skewed(-20 * 60_000);
    try {
      world.checkout.write("london/2026-08.yaml", range(1, 3));
      const crash = runOf(profile, [], {
        clock,
        afterStep: (step) => {
          if (step === "create") throw new Error("process killed");
        },
      });
      await expect(applyRoster(crash)).rejects.toThrow("process killed");
      time.now += 16 * 60_000; // the crashed run's URL (15 minutes) has lapsed, on the service's clock
      const messages: string[] = [];
      const result = await applyRoster(runOf(profile, messages, { clock }));
      expect(result.imported).toBe(3);
      expect(messages.filter((m) => /adopting job|lapsed/.test(m))).toEqual([]);
      expect(service.callCounts().CreateUserImportJob).toBe(2); // the crashed run's, left to expire, and this one
    } finally {
      await stop();
    }
  });
});
