/**
 * `cognito-roster emulator [--port N] [--state FILE] [--quotas aws|off] [--speed fast|realistic] [--fault SPEC]...
 * [--failure-threshold N] [--list-users-lag MS] [--log-ingestion-delay MS] [--messaging KEY=VALUE]...`
 * Starts the emulator, lets the caller create pools (`onStarted`, e.g. CreateUserPool through an SDK), prints the
 * endpoint, and runs until SIGINT/SIGTERM (clean stop, exit code 0). The only module of the emulator that prints.
 * It reads no product configuration: the pool is the caller's business.
 */
import { parseArgs } from "node:util";
import { type MessagingSettings, messagingSpec } from "./messaging";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "./index";

export const EMULATOR_USAGE =
  "usage: cognito-roster emulator [--port N] [--state FILE] [--quotas aws|off] [--speed fast|realistic] [--fault SPEC]... " +
  "[--failure-threshold N] [--list-users-lag MS] [--log-ingestion-delay MS] [--messaging KEY=VALUE]...";

export interface EmulatorCommandHooks {
  /** Runs once the emulator listens and before its endpoint is printed (e.g. to create pools). Throwing stops it (exit 1). */
  onStarted?(emulator: RunningEmulator): Promise<void>;
  /** The first line of the usage text (a wrapping command adds its own flags). */
  usage?: string;
}

const OPTIONS = {
  port: { type: "string" },
  state: { type: "string" },
  quotas: { type: "string" },
  speed: { type: "string" },
  fault: { type: "string", multiple: true },
  "failure-threshold": { type: "string" },
  "list-users-lag": { type: "string" },
  "log-ingestion-delay": { type: "string" },
  messaging: { type: "string", multiple: true },
  help: { type: "boolean", short: "h" },
} as const;

/** Parses the command line into options and fault specs, or returns the usage problem to print. */
function parseEmulatorArgs(args: string[]): { options: EmulatorOptions; faults: string[]; help: boolean } | string {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; strict: true; allowPositionals: false }>>["values"];
  try {
    values = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    return (e as Error).message;
  }
  const options: EmulatorOptions = {};
  const whole = (flag: string, v: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) > max)
      throw new Error(`--${flag} must be a whole number from 0 to ${max === Number.MAX_SAFE_INTEGER ? "…" : max}`);
    return Number(v);
  };
  try {
    options.port = whole("port", values.port, 65535);
    options.failureThreshold = whole("failure-threshold", values["failure-threshold"]);
    options.listUsersLagMs = whole("list-users-lag", values["list-users-lag"]);
    options.logIngestionDelayMs = whole("log-ingestion-delay", values["log-ingestion-delay"]);
    if (values.messaging) options.messaging = values.messaging.reduce<MessagingSettings>((into, spec) => messagingSpec(spec, into), {});
  } catch (e) {
    return (e as Error).message;
  }
  if (values.state !== undefined) options.stateFile = values.state;
  if (values.quotas !== undefined) {
    if (values.quotas !== "aws" && values.quotas !== "off") return "--quotas takes aws or off";
    options.quotas = values.quotas;
  }
  if (values.speed !== undefined) {
    if (values.speed !== "fast" && values.speed !== "realistic") return "--speed takes fast or realistic";
    options.importSpeed = values.speed;
  }
  for (const k of Object.keys(options) as (keyof EmulatorOptions)[]) if (options[k] === undefined) delete options[k];
  return { options, faults: values.fault ?? [], help: values.help === true };
}

export async function runEmulatorCommand(args: string[], hooks: EmulatorCommandHooks = {}): Promise<number> {
  const usage = hooks.usage ?? EMULATOR_USAGE;
  const parsed = parseEmulatorArgs(args);
  if (typeof parsed === "string") {
    process.stderr.write(`cognito-roster emulator: ${parsed}\n${usage}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const emulator = await startEmulator(parsed.options);
  try {
    for (const spec of parsed.faults) emulator.faults.apply(spec);
  } catch (e) {
    process.stderr.write(`cognito-roster emulator: ${(e as Error).message}\n${usage}\n`);
    await emulator.stop();
    return 2;
  }
  try {
    await hooks.onStarted?.(emulator);
  } catch (e) {
    const err = e as { name?: string; message?: string };
    process.stderr.write(
      `cognito-roster emulator: ${err.name && err.name !== "Error" ? `${err.name}: ` : ""}${err.message ?? String(e)}\n`,
    );
    await emulator.stop();
    return 1;
  }
  process.stdout.write(`${emulator.endpoint}\n`);
  await untilSignalled();
  await emulator.stop();
  return 0;
}

function untilSignalled(): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}
