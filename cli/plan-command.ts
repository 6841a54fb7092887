/**
 * `cognito-roster plan [--users DIR] [--stack NAME] [--full] [--format text|markdown|json] [--applied FILE] [--base-users DIR]`:
 * read-only — what an apply would do now. Looks up only users changed since the last apply (all with --full).
 * With --base-users (a checkout of the pull request's base users/), users no longer declared are named from the
 * base's files with their `file:line` (core/base-users.ts); without it they are digests.
 */
import { existsSync, statSync } from "node:fs";
import * as path from "node:path";
import { type BaseDeclaration, namedFromBase } from "../core/base-users";
import { addMoveOwners, findMoves } from "../core/moves";
import { type RosterPlan, withPlanParts } from "../core/plan";
import type { DeclaredUser } from "../core/declared-user";
import type { PoolProfile } from "../core/profile";
import { readCodeowners } from "./codeowners-check";
import { loadBaseDeclarations } from "../load/base-users";
import { renderPlan, type PlanFormat } from "../core/plan-report";
import { logLine } from "../core/untrusted-text";
import { planRoster } from "../engine/reconcile";
import { poolPorts } from "../aws/ports";
import { codeJournalPath, readAppliedRecord } from "./applied-state";
import { replayCodeJournal } from "../load/code-journal";
import { commandContext, reportFailure, withCommandClients } from "./command-context";
import { parseCommandLine, usageError } from "./command-line";
import { APPLIED_FLAG, STACK_FLAG, USERS_FLAG } from "./flag-table";
import { EXIT_OK, EXIT_USAGE } from "../core/exit-codes";
import { commandTable } from "../core/flag-table";

export const PLAN = commandTable({
  name: "plan",
  summary: "show what an apply would change in the pool (read-only)",
  about: [
    "Read-only: what an apply would import, update, disable or enable. Looks up only users changed",
    "since the last apply unless --full. Reports the AWS calls it made.",
  ],
  flags: {
    users: USERS_FLAG,
    stack: STACK_FLAG,
    full: { type: "boolean", default: false, help: "look up every declared user, not only those changed since the last apply" },
    format: {
      type: "string",
      default: "text",
      choices: ["text", "markdown", "json"],
      help: "text (default), markdown (pull-request comments) or json (a contract for tools)",
    },
    applied: APPLIED_FLAG,
    "base-users": {
      type: "string",
      value: "DIR",
      help: "the pull request base's users/: names removed users from those files (never from the pool)",
    },
  },
});

/** The plan with the users moved between office folders since the base, with whose approval each needs (CODEOWNERS). */
function withMoves(
  plan: RosterPlan,
  users: readonly DeclaredUser[],
  base: ReadonlyMap<string, BaseDeclaration>,
  context: { repoRoot: string; profile: PoolProfile },
  usersPath: string,
): RosterPlan {
  const moves = findMoves(users, base, context.profile, usersPath);
  if (moves.length === 0) return plan;
  const codeowners = readCodeowners(context.repoRoot);
  if (codeowners !== undefined) addMoveOwners(moves, codeowners, usersPath);
  return withPlanParts(plan, { moves });
}

export async function runPlanCommand(args: string[]): Promise<number> {
  const parsed = parseCommandLine(args, PLAN);
  if (typeof parsed === "string") return usageError(PLAN, parsed);
  const values = parsed.values;
  const context = commandContext(values, "cognito-roster plan");
  if (!context) return EXIT_USAGE;
  const baseUsers = values["base-users"] === undefined ? undefined : path.resolve(context.repoRoot, String(values["base-users"]));
  if (baseUsers !== undefined && !(existsSync(baseUsers) && statSync(baseUsers).isDirectory())) {
    process.stderr.write(`cognito-roster plan: the base users directory ${String(values["base-users"])} does not exist\n`);
    return EXIT_USAGE;
  }
  try {
    const record = readAppliedRecord(context.appliedStatePath, context.profile.userPoolId);
    const usersPath = path.relative(context.repoRoot, context.usersDir).split(path.sep).join("/");
    // Named from the base, removed users are also found by name (one read each) rather than by a scan.
    const base = baseUsers === undefined ? undefined : loadBaseDeclarations(baseUsers, usersPath, context.profile);
    const progress = (message: string) => process.stderr.write(`${logLine(`  ${message}`)}\n`);
    const run = {
      profile: context.profile,
      usersDir: context.usersDir,
      repoRoot: context.repoRoot,
      previous: record?.applied,
      binding: record?.binding,
      signInCodes: replayCodeJournal(codeJournalPath(context.appliedStatePath), record?.signInCodes),
      ...(record?.reminders ? { reminders: record.reminders } : {}),
      full: Boolean(values.full),
      progress,
      ...(base ? { base } : {}),
    };
    const result = await withCommandClients(context.profile, progress, (aws) => planRoster(run, poolPorts(aws, run.profile.userPoolId)));
    const named = base !== undefined && result.plan.remove.length > 0 ? namedFromBase(result.plan, base).plan : result.plan;
    const plan = base === undefined ? named : withMoves(named, result.users, base, context, usersPath);
    process.stdout.write(renderPlan(plan, values.format as PlanFormat, { awsCalls: result.awsCalls, readStrategy: result.readStrategy }));
    return EXIT_OK;
  } catch (err) {
    return reportFailure("plan", err);
  }
}
