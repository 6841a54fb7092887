/**
 * `cognito-roster start` (`npm start`): the whole flow on the embedded default, no AWS account needed. Starts the local
 * Cognito emulator (state under .roster/, git-ignored) with the stack's pool, then validates, plans and applies
 * `users/` (`npm start` passes `--users examples/users`: the synthetic samples, which never live in users/, the real
 * roster), and says what happened. Run twice, the second run has nothing to do.
 */
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { formatDiagnostic, hasErrors } from "../core/diagnostics";
import { loadRoster } from "../load/load-roster";
import { renderPlan } from "../core/plan-report";
import { startEmulator } from "../emulator";
import { createStackPool } from "./emulator-pool";
import { applyRoster, planRoster } from "../engine/reconcile";
import { defaultAppliedStatePath, readAppliedRecord, writeAppliedState } from "./applied-state";
import { commandContext, EMULATOR_LOGS_ROLE, parseFlags } from "./command-context";
import { describeApply } from "./apply-command";
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, plural } from "./command-line";

export const START_USAGE = "usage: cognito-roster start [--users DIR] [--stack NAME]";

export async function runStartCommand(args: string[]): Promise<number> {
  const values = parseFlags(args, { users: { type: "string", default: "users" }, stack: { type: "string", default: "dev" } });
  if (typeof values === "string") {
    process.stderr.write(`cognito-roster start: ${values}\n${START_USAGE}\n`);
    return EXIT_USAGE;
  }
  const context = commandContext(values, "cognito-roster start");
  if (!context) return EXIT_USAGE;
  const { repoRoot, usersDir } = context;
  const profile = { ...context.profile, logsRoleArn: context.profile.logsRoleArn ?? EMULATOR_LOGS_ROLE };
  const out = (line: string) => process.stdout.write(`${line}\n`);

  out(`1. validate ${path.relative(repoRoot, usersDir) || "."} against stack ${context.stack}`);
  const loaded = loadRoster({ usersDir, repoRoot, profile });
  for (const d of loaded.diagnostics) out(`   ${formatDiagnostic(d)}`);
  if (hasErrors(loaded.diagnostics)) {
    out("   the users files have errors: nothing was applied");
    return EXIT_PROBLEMS;
  }
  out(`   ${plural(loaded.users.length, "user")} in ${plural(loaded.fileCount, "file")}, no errors`);

  mkdirSync(path.join(repoRoot, ".roster"), { recursive: true });
  const emulator = await startEmulator({ stateFile: path.join(repoRoot, ".roster", "emulator-state.json") });
  const saved = { endpoint: process.env.AWS_ENDPOINT_URL, key: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  try {
    await createStackPool(profile, emulator.endpoint);
    // The SDK reads the endpoint and credentials from the environment, exactly as it would against AWS.
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;
    process.env.AWS_ACCESS_KEY_ID ??= "emulator";
    process.env.AWS_SECRET_ACCESS_KEY ??= "emulator";
    out(`2. local Cognito emulator at ${emulator.endpoint} with pool ${profile.userPoolId} (state in .roster/)`);

    const appliedPath = defaultAppliedStatePath(repoRoot, context.stack);
    const record = readAppliedRecord(appliedPath, profile.userPoolId);
    const run = {
      profile,
      usersDir,
      repoRoot,
      previous: record?.applied,
      binding: record?.binding,
      users: loaded.users,
      timing: { pollMinMs: 200, pollMaxMs: 1000 },
    };
    const planned = await planRoster({ ...run, progress: (message) => out(`   ${message}`) });
    out("3. plan");
    out(indent(renderPlan(planned.plan, "text", { awsCalls: planned.awsCalls, readStrategy: planned.readStrategy })));

    out("4. apply");
    const result = await applyRoster({ ...run, progress: (message) => out(`   ${message}`) });
    writeAppliedState(appliedPath, profile.userPoolId, result.applied, result.binding);
    out(indent(describeApply(result)));
    return result.failed.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
  } finally {
    process.env.AWS_ENDPOINT_URL = saved.endpoint;
    if (saved.key === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    await emulator.stop();
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => (l ? `   ${l}` : ""))
    .join("\n");
}
