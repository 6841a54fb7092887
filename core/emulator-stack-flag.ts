/**
 * `cognito-roster emulator` takes the emulator's own flags (emulator/command.ts) plus the product's `--stack`: this
 * takes `--stack` off before the emulator reads the rest. Pure.
 */

/** Splits `--stack NAME` / `--stack=NAME` off the emulator's own flags; a message when it has no stack name. */
export function splitStackFlag(args: readonly string[]): { stack?: string; rest: string[] } | string {
  const rest: string[] = [];
  let stack: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      rest.push(...args.slice(i));
      break;
    }
    if (a === "--stack" || a.startsWith("--stack=")) {
      const value = a === "--stack" ? args[++i] : a.slice("--stack=".length);
      if (value === undefined || value === "" || value.startsWith("--")) return "--stack needs a stack name";
      stack = value;
    } else rest.push(a);
  }
  return { stack, rest };
}
