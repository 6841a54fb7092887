/**
 * Runs the `roster` command in this process (the CLI's `main`), with its working directory, environment and
 * output swapped in: faster than a child process, and it runs the TypeScript under test without a build.
 */
import { main } from "../../cli/main";

export interface RunOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** In-process runs swap process-wide state, so they run one at a time (even if a timed-out test left one running). */
let inProcessTurn: Promise<unknown> = Promise.resolve();

export function runInProcess(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<RunOutput> {
  const run = inProcessTurn.then(() => runNow(cwd, env, args));
  inProcessTurn = run.catch(() => undefined);
  return run;
}

/** Runs `main(args)` with cwd, env and stdout/stderr swapped in, and restores them afterwards. */
async function runNow(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<RunOutput> {
  const savedCwd = process.cwd();
  const savedEnv = process.env;
  const out = { stdout: "", stderr: "" };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (which: "stdout" | "stderr") =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      out[which] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof process.stdout.write;
  process.chdir(cwd);
  process.env = env;
  process.stdout.write = capture("stdout");
  process.stderr.write = capture("stderr");
  try {
    const code = await main(args);
    return { code, ...out };
  } catch (err) {
    // main() must not throw; if it does, that is what the user would see (a stack trace, exit 2 from bin/cognito-roster.js).
    return { code: 2, stdout: out.stdout, stderr: `${out.stderr}${(err as Error)?.stack ?? String(err)}\n` };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    process.env = savedEnv;
    process.chdir(savedCwd);
  }
}
