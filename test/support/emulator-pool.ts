/**
 * Test and benchmark helpers: start the emulator and create a stack's pool in it the product's way
 * (cli/emulator-pool.ts: CreateUserPool through the SDK, signed for the profile's Region).
 */
import type { PoolProfile } from "../../core/profile";
import { createStackPool } from "../../cli/emulator-pool";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";

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
