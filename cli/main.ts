/**
 * The `roster` command: dispatches to one subcommand module each. Exit codes: 0 ok, 1 problems found or
 * failed, 2 usage or configuration error.
 */
import { runApplyCommand } from "./apply-command";
import { runPlanCommand } from "./plan-command";
import { runStartCommand } from "./start-command";
import { runValidateCommand } from "./validate-command";
import { runEmulatorCommand } from "../emulator/command";

const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; summary: string }> = {
  validate: { run: runValidateCommand, summary: "check the users files against the stack profile" },
  plan: { run: runPlanCommand, summary: "show what an apply would change in the pool (read-only)" },
  apply: { run: runApplyCommand, summary: "apply the users files to the pool with import jobs" },
  start: { run: runStartCommand, summary: "validate, plan and apply users/ on the local emulator (npm start)" },
  emulator: { run: runEmulatorCommand, summary: "run the local Cognito emulator" },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    "usage: roster <command> [options]",
    "",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
  ].join("\n");
}

export async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`roster: unknown command "${name}"\n${usage()}\n`);
    return 2;
  }
  return command.run(rest);
}
