/**
 * `cognito-roster emulator [--stack NAME] [emulator options]`: the emulator's own command (emulator/command.ts), plus the
 * product's part — with `--stack`, once the emulator listens, the stack's pool is created in it through the SDK
 * (cli/emulator-pool.ts). The emulator itself never reads stack configuration. `cognito-roster emulator outbox` reads what a
 * running emulator would have sent (cli/emulator-outbox-command.ts).
 */
import { formatDiagnostic } from "../core/diagnostics";
import { splitStackFlag } from "../core/emulator-stack-flag";
import { loadStackProfile } from "../load/stack-profile";
import { EMULATOR_USAGE, runEmulatorCommand } from "../emulator/command";
import { createStackPool } from "./emulator-pool";
import { OUTBOX, runOutboxCommand } from "./emulator-outbox-command";
import { EXIT_USAGE } from "../core/exit-codes";
import { usageLine } from "../core/flag-table";

/** The emulator's own usage (emulator/command.ts: its flags are its own) with the product's --stack. @internal */
export const EMULATOR_SYNOPSIS = EMULATOR_USAGE.replace("usage: cognito-roster emulator", "emulator [--stack NAME]");

const USAGE = `usage: cognito-roster ${EMULATOR_SYNOPSIS}\n${usageLine(OUTBOX).replace("usage:", "      ")}`;

export async function runRosterEmulatorCommand(args: string[]): Promise<number> {
  if (args[0] === "outbox") return runOutboxCommand(args.slice(1));
  const split = splitStackFlag(args);
  if (typeof split === "string") {
    process.stderr.write(`cognito-roster emulator: ${split}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (split.stack === undefined) return runEmulatorCommand(split.rest, { usage: USAGE });
  const result = loadStackProfile(process.cwd(), split.stack);
  if (!result.profile) {
    for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    return EXIT_USAGE;
  }
  const profile = result.profile;
  return runEmulatorCommand(split.rest, {
    usage: USAGE,
    onStarted: async (emulator) => {
      await createStackPool(profile, emulator.endpoint);
      process.stderr.write(`user pool ${profile.userPoolId} (${profile.userPoolName}) ready in ${profile.region}\n`);
    },
  });
}
