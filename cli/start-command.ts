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
import { createAwsClients } from "../aws/clients";
import { poolPorts } from "../aws/ports";
import { defaultAppliedStatePath, readAppliedRecord, writeAppliedState } from "./applied-state";
import { commandContext, EMULATOR_LOGS_ROLE, withClients } from "./command-context";
import { describeApply } from "../core/apply-report";
import { indent } from "../core/text-block";
import { parseCommandLine, usageError } from "./command-line";
import { STACK_FLAG, USERS_FLAG } from "./flag-table";
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from "../core/exit-codes";
import { commandTable } from "../core/flag-table";
import { plural } from "../core/words";

export const START = commandTable({
  name: "start",
  summary: "validate, plan and apply the example users on the local emulator (npm start)",
  about: [
    "The whole flow on the project's local Cognito emulator (state under .roster/): no AWS account needed.",
    "npm start runs it with --users examples/users: the synthetic samples.",
  ],
  flags: { users: USERS_FLAG, stack: STACK_FLAG },
});

export async function runStartCommand(args: string[]): Promise<number> {
  const parsed = parseCommandLine(args, START);
  if (typeof parsed === "string") return usageError(START, parsed);
  const context = commandContext(parsed.values, "cognito-roster start");
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
  // The engine reaches the emulator through clients naming its endpoint: the environment is left as it is.
  const clients = () =>
    createAwsClients(profile.region, profile.userPoolId, {
      endpoint: emulator.endpoint,
      credentials: EMULATOR_CREDENTIALS,
      onRetry: (message) => out(`   ${message}`),
    });
  try {
    await createStackPool(profile, emulator.endpoint);
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
      progress: (message: string) => out(`   ${message}`),
    };
    const planned = await withClients(clients(), (aws) => planRoster(run, poolPorts(aws, profile.userPoolId)));
    out("3. plan");
    out(indent(renderPlan(planned.plan, "text", { awsCalls: planned.awsCalls, readStrategy: planned.readStrategy })));

    out("4. apply");
    const result = await withClients(clients(), (aws) => applyRoster(run, poolPorts(aws, profile.userPoolId)));
    writeAppliedState(appliedPath, profile.userPoolId, result.applied, result.binding);
    out(indent(describeApply(result)));
    return result.failed.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
  } finally {
    await emulator.stop();
  }
}

/** The emulator accepts any signature; the SDK must sign with something. */
const EMULATOR_CREDENTIALS = { accessKeyId: "emulator", secretAccessKey: "emulator" };
