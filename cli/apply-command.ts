/**
 * `cognito-roster apply [--users DIR] [--stack NAME] [--full] [--applied FILE] [--base-users DIR] [--yes]`: the engine the
 * Pulumi provider runs, for local use and emergencies. `--full` reconciles every declared user, as `plan --full`
 * plans: a user deleted or changed by hand since the last apply is repaired. Shows the plan, asks on a terminal
 * unless --yes (and refuses without a terminal), shows progress on stderr while jobs run, and records what was
 * applied. --base-users (the users folder as it was at the last apply) names users no longer declared; the record's
 * `sub` finds them without it, so only a record written before subs were kept needs it to avoid a ListUsers scan.
 */
import { existsSync, statSync } from "node:fs";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { loadBaseDeclarations } from "../load/base-users";
import { renderPlan } from "../core/plan-report";
import { logLine } from "../core/untrusted-text";
import { planHasChanges } from "../core/plan";
import { applyRoster, type ApplyResult, planRoster, type RosterRun } from "../engine/reconcile";
import { poolPorts } from "../aws/ports";
import { codeJournalPath, readAppliedRecord, writeAppliedState } from "./applied-state";
import { appendCodeJournal, clearCodeJournal, replayCodeJournal } from "../load/code-journal";
import type { JobSummary } from "../engine/import-runner";
import { commandContext, reportFailure, resolveLogsRole, withCommandClients } from "./command-context";
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, parseCommandLine, plural, usageError } from "./command-line";
import { APPLIED_FLAG, commandTable, STACK_FLAG, USERS_FLAG } from "./flag-table";

export const APPLY = commandTable({
  name: "apply",
  summary: "apply the users files to the pool with import jobs",
  about: [
    "Shows the plan and applies it: new users by Cognito user import jobs, changes by Admin* calls.",
    "Asks on a terminal unless --yes; progress goes to stderr.",
  ],
  flags: {
    users: USERS_FLAG,
    stack: STACK_FLAG,
    full: {
      type: "boolean",
      default: false,
      help: "reconcile every declared user, not only those changed since the last apply (repairs users deleted or changed by hand)",
    },
    applied: APPLIED_FLAG,
    "base-users": {
      type: "string",
      value: "DIR",
      help: [
        "the users folder as last applied: names users no longer declared, found by name instead of by a scan",
        "(the record's sub finds them without it, except in a record written before subs were kept)",
      ],
    },
    "logs-role-arn": {
      type: "string",
      value: "ARN",
      help: "the CloudWatch Logs role import jobs use (default: the stack's logsRoleArn)",
    },
    yes: { type: "boolean", default: false, help: "apply without asking" },
  },
});

export async function runApplyCommand(args: string[]): Promise<number> {
  const parsed = parseCommandLine(args, APPLY);
  if (typeof parsed === "string") return usageError(APPLY, parsed);
  const values = parsed.values;
  const context = commandContext(values, "cognito-roster apply");
  if (!context) return EXIT_USAGE;
  const baseUsers = values["base-users"] === undefined ? undefined : path.resolve(context.repoRoot, String(values["base-users"]));
  if (baseUsers !== undefined && !(existsSync(baseUsers) && statSync(baseUsers).isDirectory())) {
    process.stderr.write(`cognito-roster apply: the base users directory ${String(values["base-users"])} does not exist\n`);
    return EXIT_USAGE;
  }
  try {
    const record = readAppliedRecord(context.appliedStatePath, context.profile.userPoolId);
    // An interrupted apply left the codes it owed or sent in the journal: replayed over the record.
    const journal = codeJournalPath(context.appliedStatePath);
    const progress = (message: string) => process.stderr.write(`${logLine(`  ${message}`)}\n`);
    const codes = replayCodeJournal(journal, record?.signInCodes);
    const run: RosterRun = {
      profile: { ...context.profile, logsRoleArn: resolveLogsRole(values["logs-role-arn"], context.profile) },
      usersDir: context.usersDir,
      repoRoot: context.repoRoot,
      previous: record?.applied,
      binding: record?.binding,
      full: Boolean(values.full),
      signInCodes: codes,
      // Journalled as codes are owed and sent, only what changed (O(changes) a batch): a crash never causes a second code.
      appendSignInCodes: (change) => appendCodeJournal(journal, change),
      progress,
      ...(baseUsers === undefined
        ? {}
        : {
            base: loadBaseDeclarations(
              baseUsers,
              path.relative(context.repoRoot, context.usersDir).split(path.sep).join("/"),
              context.profile,
            ),
          }),
    };
    if (!values.yes) {
      const preview = await withCommandClients(run.profile, progress, (aws) => planRoster(run, poolPorts(aws, run.profile.userPoolId)));
      process.stdout.write(renderPlan(preview.plan, "text", { awsCalls: preview.awsCalls, readStrategy: preview.readStrategy }));
      if (!planHasChanges(preview.plan)) return EXIT_OK;
      if (!process.stdin.isTTY) {
        process.stderr.write("cognito-roster apply: not on a terminal; pass --yes to apply without confirmation\n");
        return EXIT_USAGE;
      }
      if (!(await confirm("Apply these changes? [y/N] "))) {
        process.stderr.write("cognito-roster apply: nothing changed\n");
        return EXIT_PROBLEMS;
      }
    }
    const result = await withCommandClients(run.profile, progress, (aws) =>
      applyRoster({ ...run, users: undefined }, poolPorts(aws, run.profile.userPoolId)),
    );
    writeAppliedState(
      context.appliedStatePath,
      context.profile.userPoolId,
      result.applied,
      result.binding,
      result.signInCodes?.record ?? codes,
    );
    clearCodeJournal(journal); // the record carries the whole ledger now
    process.stdout.write(describeApply(result));
    return result.failed.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
  } catch (err) {
    return reportFailure("apply", err);
  }
}

/**
 * What happened, for people: counts, jobs, and each failure by file:line (no personal data). Every count agrees
 * with the lines printed: "N failed" is followed by exactly N failure lines.
 */
export function describeApply(result: ApplyResult): string {
  const lines = [
    `applied to ${result.plan.userPoolId}: ${result.imported} imported, ${result.updated} updated, ${result.disabled} disabled, ` +
      `${result.enabled} enabled, ${result.removed} removed, ${result.failed.length} failed, ${result.plan.unchanged} unchanged` +
      (result.alreadyPresent > 0 ? `, ${result.alreadyPresent} already in the pool` : "") +
      ((result.membershipsAdded ?? 0) + (result.membershipsRemoved ?? 0) > 0
        ? `; group memberships: ${result.membershipsAdded ?? 0} added, ${result.membershipsRemoved ?? 0} removed`
        : ""),
    ...result.jobs.map(describeJob),
    ...result.failed.map((f) => `  failed ${f.file}:${f.line}: ${f.reason}`),
    ...(result.signInCodes ? [describeSignInCodes(result.signInCodes)] : []),
    plural(result.awsCalls, "AWS call"),
  ];
  // Failure reasons quote AWS's messages: each line is shown the one way untrusted text is (core/untrusted-text.ts).
  return `${lines.map(logLine).join("\n")}\n`;
}

/** The first sign-in codes of this apply, counted (no personal data). */
function describeSignInCodes(codes: NonNullable<ApplyResult["signInCodes"]>): string {
  const parts = [`${plural(codes.sent, "sign-in code")} sent`];
  if (codes.uncertain > 0) parts.push(`${codes.uncertain} unanswered (counted as sent, never sent twice)`);
  if (codes.refused > 0) parts.push(`${codes.refused} refused by Cognito`);
  if (codes.pending > 0) parts.push(`${codes.pending} still owed`);
  if (codes.awaiting > 0) parts.push(`${codes.awaiting} awaiting an import job's outcome`);
  return `  ${parts.join(", ")}${codes.problem ? `: ${codes.problem}` : ""}`;
}

/**
 * One import job as Cognito counted its rows. Zero counts are left out, and rows the job never reached (a job
 * that failed or stopped as a whole) are counted as such, so a job line never says "0 failed" beside failures.
 * @internal exported for its tests
 */
export function describeJob(job: JobSummary): string {
  const processed = job.imported + job.skipped + job.failed;
  const counts = [`${job.imported} imported`];
  if (job.skipped > 0) counts.push(`${job.skipped} skipped`);
  if (job.failed > 0) counts.push(`${job.failed} failed`);
  if (processed < job.users) counts.push(`${job.users - processed} not processed`);
  return `  import job ${job.jobId} (${plural(job.users, "user")}): ${job.status}, ${counts.join(", ")}`;
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
