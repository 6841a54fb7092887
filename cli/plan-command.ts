/**
 * `roster plan [--users DIR] [--stack NAME] [--full] [--format text|markdown|json] [--applied FILE]`:
 * read-only — what an apply would do now. Looks up only users changed since the last apply (all with --full).
 */
import { renderPlan, type PlanFormat } from "../core/plan-report";
import { planRoster } from "../engine/reconcile";
import { readAppliedRecord } from "./applied-state";
import { COMMON_OPTIONS, commandContext, parseFlags, reportFailure } from "./command-context";

export const PLAN_USAGE = "usage: roster plan [--users DIR] [--stack NAME] [--full] [--format text|markdown|json] [--applied FILE]";

export async function runPlanCommand(args: string[]): Promise<number> {
  const values = parseFlags(args, { ...COMMON_OPTIONS, full: { type: "boolean", default: false }, format: { type: "string", default: "text" } });
  if (typeof values === "string" || !["text", "markdown", "json"].includes(String(values.format))) {
    process.stderr.write(`roster plan: ${typeof values === "string" ? values : `--format must be text, markdown or json`}\n${PLAN_USAGE}\n`);
    return 2;
  }
  const context = commandContext(values, "roster plan");
  if (!context) return 2;
  try {
    const record = readAppliedRecord(context.appliedStatePath, context.profile.userPoolId);
    const result = await planRoster({
      profile: context.profile,
      usersDir: context.usersDir,
      repoRoot: context.repoRoot,
      previous: record?.applied,
      binding: record?.binding,
      full: Boolean(values.full),
      progress: (message) => process.stderr.write(`  ${message}\n`),
    });
    process.stdout.write(renderPlan(result.plan, values.format as PlanFormat, { awsCalls: result.awsCalls, readStrategy: result.readStrategy }));
    return 0;
  } catch (err) {
    return reportFailure("plan", err);
  }
}
