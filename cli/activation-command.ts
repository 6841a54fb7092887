/**
 * `cognito-roster activation [--users DIR] [--stack NAME] [--office NAME] [--older-than 7d] [--format text|markdown|json]`:
 * per office, the declared trainees who have never signed in (pool status RESET_REQUIRED), read with one filtered
 * ListUsers call per 60 of them (aws/never-signed-in.ts) — never a scan of the pool. Read-only; results (which
 * name trainees, as the plan does) on stdout, the AWS calls made on stderr. It sends nothing: the reminders of the
 * stack setting signInReminders are sent by `pulumi up`, which records them in the stack's state
 * (providers/sign-in-reminders-entry.ts), the one record their caps rely on.
 */
import * as path from "node:path";
import { activationReport, renderActivation } from "../core/activation";
import { hasErrors } from "../core/diagnostics";
import type { NeverSignedIn } from "../aws/never-signed-in";
import { poolPorts } from "../aws/ports";
import { loadRoster } from "../load/load-roster";
import { commandClients, commandContext, reportFailure } from "./command-context";
import { parseCommandLine, usageError } from "./command-line";
import { STACK_FLAG, USERS_FLAG } from "./flag-table";
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from "../core/exit-codes";
import { commandTable } from "../core/flag-table";
import { plural } from "../core/words";

export const ACTIVATION = commandTable({
  name: "activation",
  summary: "list, per office, the trainees who have never signed in (read-only)",
  about: [
    "Per office (the folder under the users folder), the declared trainees whose status in the pool is",
    "RESET_REQUIRED: never set a password. One filtered ListUsers call per 60 of them, never a scan of the pool.",
  ],
  flags: {
    users: USERS_FLAG,
    stack: STACK_FLAG,
    office: { type: "string", value: "NAME", help: "only this office's folder" },
    "older-than": { type: "string", value: "7d", help: "only those in the pool for at least N days (e.g. 7d)" },
    format: { type: "string", default: "text", choices: ["text", "markdown", "json"], help: "text (default), markdown or json" },
  },
});

export async function runActivationCommand(args: string[]): Promise<number> {
  const usage = (message: string) => usageError(ACTIVATION, message);
  const parsed = parseCommandLine(args, ACTIVATION);
  if (typeof parsed === "string") return usage(parsed);
  const values = parsed.values;
  const format = values.format as "text" | "markdown" | "json";
  const olderThan = values["older-than"] === undefined ? "0d" : String(values["older-than"]);
  const days = /^(\d{1,4})d$/.exec(olderThan);
  if (!days) return usage(`--older-than takes a number of days, e.g. 7d (got ${olderThan})`);
  const context = commandContext(values, "cognito-roster activation");
  if (!context) return EXIT_USAGE;
  const loaded = loadRoster({ usersDir: context.usersDir, repoRoot: context.repoRoot, profile: context.profile });
  if (hasErrors(loaded.diagnostics)) {
    process.stderr.write("cognito-roster activation: the users files have errors (cognito-roster validate lists them)\n");
    return EXIT_PROBLEMS;
  }
  const aws = commandClients(context.profile);
  try {
    const stragglers: NeverSignedIn[] = [];
    const { users } = poolPorts(aws, context.profile.userPoolId);
    await users.neverSignedIn((page) => stragglers.push(...page), context.profile.usernameAttributes);
    const report = activationReport({
      userPoolId: context.profile.userPoolId,
      usersDir: path.relative(context.repoRoot, context.usersDir).split(path.sep).join("/"),
      declared: loaded.users,
      stragglers,
      caseSensitive: context.profile.usernameCaseSensitive,
      now: Date.now(),
      olderThanDays: Number(days[1]),
      office: values.office === undefined ? undefined : String(values.office),
    });
    process.stdout.write(renderActivation(report, format));
    process.stderr.write(`cognito-roster activation: ${plural(aws.calls.total(), "AWS call")} (ListUsers filtered on RESET_REQUIRED)\n`);
    return EXIT_OK;
  } catch (err) {
    return reportFailure("activation", err);
  } finally {
    aws.destroy();
  }
}
