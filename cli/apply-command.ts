/**
 * `roster apply [--users DIR] [--stack NAME] [--applied FILE] [--yes]`: the engine the Pulumi provider runs, for
 * local use and emergencies. Shows the plan, asks on a terminal unless --yes (and refuses without a terminal),
 * shows progress on stderr while jobs run, and records what was applied.
 */
import { createInterface } from "readline";
import { renderPlan } from "../core/plan-report";
import { planHasChanges } from "../core/plan";
import { applyRoster, type ApplyResult, planRoster, type RosterRun } from "../engine/reconcile";
import { readAppliedState, writeAppliedState } from "./applied-state";
import { COMMON_OPTIONS, commandContext, parseFlags, reportFailure, resolveLogsRole } from "./command-context";

export const APPLY_USAGE = "usage: roster apply [--users DIR] [--stack NAME] [--applied FILE] [--logs-role-arn ARN] [--yes]";

export async function runApplyCommand(args: string[]): Promise<number> {
  const values = parseFlags(args, { ...COMMON_OPTIONS, yes: { type: "boolean", default: false }, "logs-role-arn": { type: "string" } });
  if (typeof values === "string") {
    process.stderr.write(`roster apply: ${values}\n${APPLY_USAGE}\n`);
    return 2;
  }
  const context = commandContext(values);
  if (!context) return 2;
  try {
    const previous = readAppliedState(context.appliedStatePath, context.profile.userPoolId);
    const run: RosterRun = {
      profile: { ...context.profile, logsRoleArn: resolveLogsRole(values["logs-role-arn"], context.profile) },
      usersDir: context.usersDir,
      repoRoot: context.repoRoot,
      previous,
      progress: (message) => process.stderr.write(`  ${message}\n`),
    };
    if (!values.yes) {
      const preview = await planRoster(run);
      process.stdout.write(renderPlan(preview.plan, "text", { awsCalls: preview.awsCalls, readStrategy: preview.readStrategy }));
      if (!planHasChanges(preview.plan)) return 0;
      if (!process.stdin.isTTY) {
        process.stderr.write("roster apply: not on a terminal; pass --yes to apply without confirmation\n");
        return 2;
      }
      if (!(await confirm("Apply these changes? [y/N] "))) {
        process.stderr.write("roster apply: nothing changed\n");
        return 1;
      }
    }
    const result = await applyRoster({ ...run, users: undefined });
    writeAppliedState(context.appliedStatePath, context.profile.userPoolId, result.applied);
    process.stdout.write(describeApply(result));
    return result.failed.length > 0 ? 1 : 0;
  } catch (err) {
    return reportFailure("apply", err);
  }
}

/** What happened, for people: counts, jobs, and each failure by file:line (no personal data). */
export function describeApply(result: ApplyResult): string {
  const lines = [
    `applied to ${result.plan.userPoolId}: ${result.imported} imported, ${result.updated} updated, ${result.disabled} disabled, ` +
      `${result.enabled} enabled, ${result.removed} removed, ${result.failed.length} failed, ${result.plan.unchanged} unchanged` +
      (result.alreadyPresent > 0 ? `, ${result.alreadyPresent} already in the pool` : ""),
    ...result.jobs.map((j) => `  job ${j.jobId} (${j.users} users): ${j.status}, ${j.imported} imported, ${j.skipped} skipped, ${j.failed} failed`),
    ...result.failed.map((f) => `  failed ${f.file}:${f.line}: ${f.reason}`),
    `${result.awsCalls} AWS calls`,
  ];
  return `${lines.join("\n")}\n`;
}

function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    }),
  );
}
