/**
 * Test and benchmark helpers: start the emulator and create a stack's pool in it the product's way
 * (cli/emulator-pool.ts: CreateUserPool through the SDK, signed for the profile's Region).
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { PoolProfile } from "../../core/profile";
import type { ApplyResult, RosterRun } from "../../engine/reconcile";
import { createStackPool } from "../../cli/emulator-pool";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import { makeCheckout, type RosterCheckout } from "./roster-fixture";

/** Creates `profile`'s pool in a running emulator (a pool with the same id already there is kept). */
export async function createPool(emulator: RunningEmulator, profile: PoolProfile): Promise<void> {
  await createStackPool(profile, emulator.endpoint);
}

/** Starts an emulator and creates `profile`'s pool in it. */
export async function startEmulatorWithPool(profile: PoolProfile, options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator(options);
  try {
    await createPool(emulator, profile);
  } catch (e) {
    await emulator.stop();
    throw e;
  }
  return emulator;
}

/**
 * Starts an emulator for a test file and points the AWS SDK at it through the environment, as a user would with
 * AWS_ENDPOINT_URL; `stop()` stops it and gives the environment back.
 */
export async function startEmulatorForSdk(options: EmulatorOptions = {}): Promise<{ emulator: RunningEmulator; stop(): Promise<void> }> {
  const saved = { ...process.env };
  const emulator = await startEmulator(options);
  process.env.AWS_ENDPOINT_URL = emulator.endpoint;
  process.env.AWS_ACCESS_KEY_ID = "test";
  process.env.AWS_SECRET_ACCESS_KEY = "test";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  return {
    emulator,
    async stop() {
      await emulator.stop();
      process.env = saved;
    },
  };
}

/** Polling fast enough for engine runs against the emulator, which finishes a job in milliseconds. */
export const FAST_TIMING = { pollMinMs: 20, pollMaxMs: 100, retryMinMs: 20 };

/** What an engine test file works with: valid inside its tests and hooks (not at the file's top level). */
export interface EngineWorld {
  /** One emulator for the file, the SDK pointed at it through the environment (`startEmulatorForSdk`). */
  readonly emulator: RunningEmulator;
  /** An unmodified SDK client for the emulator, to read back what the engine did. */
  readonly cognito: CognitoIdentityProviderClient;
  /** A fresh checkout for each test, removed after it. */
  readonly checkout: RosterCheckout;
  /** A run of `profile` over this test's checkout, polling fast; `previous`: after that apply (its record and binding). */
  runOf(profile: PoolProfile, previous?: ApplyResult, extra?: Partial<RosterRun>): RosterRun;
}

/**
 * Registers the hooks every engine test file had a copy of: the emulator and an SDK client for the whole file, a
 * new checkout and no faults left over before each test, and everything stopped or removed afterwards.
 */
export function useEngineWorld(options: EmulatorOptions = {}): EngineWorld {
  let started: { emulator: RunningEmulator; stop(): Promise<void> } | undefined;
  let cognito: CognitoIdentityProviderClient | undefined;
  let checkout: RosterCheckout | undefined;
  beforeAll(async () => {
    started = await startEmulatorForSdk(options);
    cognito = new CognitoIdentityProviderClient({ region: "eu-west-2" });
  });
  afterAll(async () => {
    cognito?.destroy();
    await started?.stop();
  });
  beforeEach(() => {
    checkout = makeCheckout();
    started?.emulator.faults.clear();
  });
  afterEach(() => checkout?.cleanup());
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the engine world's ${what} is used outside a test or hook`);
    return value;
  };
  return {
    get emulator() {
      return ready(started, "emulator").emulator;
    },
    get cognito() {
      return ready(cognito, "SDK client");
    },
    get checkout() {
      return ready(checkout, "checkout");
    },
    runOf(profile, previous, extra = {}) {
      const { usersDir, repoRoot } = ready(checkout, "checkout");
      const after = previous ? { previous: previous.applied, binding: previous.binding } : {};
      return { profile, usersDir, repoRoot, timing: FAST_TIMING, ...after, ...extra };
    },
  };
}
