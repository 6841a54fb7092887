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
import { describeApply } from "../core/apply-report";
import { renderPlan } from "../core/plan-report";
import { logLine } from "../core/untrusted-text";
import { planHasChanges } from "../core/plan";
import { applyRoster, planRoster, type RosterRun } from "../engine/reconcile";
import { codeJournalPath, readAppliedRecord, writeAppliedState } from "./applied-state";
import type { AppliedRecord } from "../core/applied-record-file";
import { poolPorts } from "../aws/ports";
import type { SignInCodeRecord } from "../core/sign-in-code-record";
import { appendCodeJournal, clearCodeJournal, replayCodeJournal } from "../load/code-journal";
import { type CommandContext, commandContext, reportFailure, resolveLogsRole, withCommandClients } from "./command-context";
import { parseCommandLine, usageError } from "./command-line";
import { APPLIED_FLAG, STACK_FLAG, USERS_FLAG } from "./flag-table";
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from "../core/exit-codes";
import { commandTable } from "../core/flag-table";

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
  const baseUsers = baseUsersDir(values["base-users"], context.repoRoot);
  if (baseUsers === false) return EXIT_USAGE;
  try {
    const record = readAppliedRecord(context.appliedStatePath, context.profile.userPoolId);
    // An interrupted apply left the codes it owed or sent in the journal: replayed over the record.
    const journal = codeJournalPath(context.appliedStatePath);
    const codes = replayCodeJournal(journal, record?.signInCodes);
    const run = rosterRun(context, values, { record, journal, codes, baseUsers });
    if (!values.yes) {
      const declined = await declinedAfterPlan(run);
      if (declined !== undefined) return declined;
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

/** Progress of the plan and the apply, on stderr. */
function progress(message: string): void {
  process.stderr.write(`${logLine(`  ${message}`)}\n`);
}

/** --base-users resolved, undefined when not given, or false (having said so) when it is not a directory. */
function baseUsersDir(flag: string | undefined, repoRoot: string): string | undefined | false {
  if (flag === undefined) return undefined;
  const dir = path.resolve(repoRoot, flag);
  if (existsSync(dir) && statSync(dir).isDirectory()) return dir;
  process.stderr.write(`cognito-roster apply: the base users directory ${flag} does not exist\n`);
  return false;
}

/** The engine's run from the command's context, flags, record and code journal. */
function rosterRun(
  context: CommandContext,
  values: { full?: boolean; "logs-role-arn"?: string },
  state: { record: AppliedRecord | undefined; journal: string; codes: SignInCodeRecord | undefined; baseUsers: string | undefined },
): RosterRun {
  const { record, journal, codes, baseUsers } = state;
  return {
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
}

/**
 * Shows the plan and asks: the exit code when the apply stops there (nothing to change, no terminal to ask on,
 * or the answer was no); undefined to go on.
 */
async function declinedAfterPlan(run: RosterRun): Promise<number | undefined> {
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
  return undefined;
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
