/**
 * `roster emulator [--port N] [--state FILE] [--stack NAME] [--quotas aws] [--speed fast|realistic] [--fault SPEC]...`
 * Starts the emulator, creates the stack's pool when asked, prints the endpoint, and runs until SIGINT/SIGTERM
 * (clean stop, exit code 0). The only module of the emulator that prints.
 */
import { loadStackProfile } from "../core/profile";
import { startEmulator, type EmulatorOptions } from "./index";

const USAGE = "usage: roster emulator [--port N] [--state FILE] [--stack NAME] [--quotas aws|off] [--speed fast|realistic] [--fault SPEC]... [--failure-threshold N]";

export async function runEmulatorCommand(args: string[]): Promise<number> {
  const options: EmulatorOptions = {};
  const faults: string[] = [];
  let stack: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === "--port") options.port = Number(value());
      else if (a === "--state") options.stateFile = value();
      else if (a === "--stack") stack = value();
      else if (a === "--quotas") {
        const v = value();
        if (v !== "aws" && v !== "off") throw new Error("--quotas takes aws or off");
        options.quotas = v;
      } else if (a === "--speed") {
        const v = value();
        if (v !== "fast" && v !== "realistic") throw new Error("--speed takes fast or realistic");
        options.importSpeed = v;
      } else if (a === "--fault") faults.push(value());
      else if (a === "--failure-threshold") options.failureThreshold = Number(value());
      else if (a === "--help" || a === "-h") {
        process.stdout.write(`${USAGE}\n`);
        return 0;
      } else throw new Error(`unknown option ${a}`);
    } catch (e) {
      process.stderr.write(`roster emulator: ${(e as Error).message}\n${USAGE}\n`);
      return 2;
    }
  }
  if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)) {
    process.stderr.write(`roster emulator: --port must be 0-65535\n`);
    return 2;
  }
  const emulator = await startEmulator(options);
  try {
    for (const spec of faults) emulator.faults.apply(spec);
    if (stack !== undefined) {
      const result = loadStackProfile(process.cwd(), stack);
      if (!result.profile) {
        for (const d of result.diagnostics) process.stderr.write(`${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code} ${d.message}\n`);
        await emulator.stop();
        return 1;
      }
      await emulator.ensureUserPool(result.profile);
      process.stderr.write(`user pool ${result.profile.userPoolId} (${result.profile.userPoolName}) ready\n`);
    }
  } catch (e) {
    process.stderr.write(`roster emulator: ${(e as Error).message}\n`);
    await emulator.stop();
    return 2;
  }
  process.stdout.write(`${emulator.endpoint}\n`);
  await new Promise<void>((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
  await emulator.stop();
  return 0;
}
