/**
 * `cognito-roster activation [--users DIR] [--stack NAME] [--office NAME] [--older-than 7d] [--format text|markdown|json]`:
 * per office, the declared trainees who have never signed in (pool status RESET_REQUIRED), read with one filtered
 * ListUsers call per 60 of them (aws/never-signed-in.ts) — never a scan of the pool. Read-only; results (which
 * name trainees, as the plan does) on stdout, the AWS calls made on stderr. With --send-reminders (and the stack
 * setting signInReminders) it also sends the reminders due (cli/activation-reminders.ts) and adds their counts.
 */
import * as path from "node:path";
import { activationReport, renderActivation } from "../core/activation";
import { hasErrors } from "../core/diagnostics";
import { listNeverSignedIn, type NeverSignedIn } from "../aws/never-signed-in";
import { loadRoster } from "../load/load-roster";
import { commandClients, commandContext, reportFailure } from "./command-context";
import { parseCommandLine, plural, usageError } from "./command-line";
import { defaultReminderRecordPath } from "../load/reminder-record";
import { describeReminders, sendActivationReminders } from "./activation-reminders";
import { commandTable, STACK_FLAG, USERS_FLAG } from "./flag-table";

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
    "send-reminders": {
      type: "boolean",
      default: false,
      usage: "[--send-reminders [--reminders FILE]]",
      help: "also send the reminders due, in every office (needs the stack setting signInReminders)",
    },
    reminders: {
      type: "string",
      value: "FILE",
      usage: "",
      help: "the record of reminders sent, with --send-reminders (default .roster/reminders-STACK.json)",
    },
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
  if (!context) return 2;
  const sendingReminders = values["send-reminders"] === true;
  if (sendingReminders && !context.profile.signInReminders) {
    return usage(`--send-reminders needs the stack setting cognito-roster:signInReminders in Pulumi.${context.stack}.yaml (absent: off)`);
  }
  if (values.reminders !== undefined && !sendingReminders) return usage("--reminders is the record of --send-reminders");
  const loaded = loadRoster({ usersDir: context.usersDir, repoRoot: context.repoRoot, profile: context.profile });
  if (hasErrors(loaded.diagnostics)) {
    process.stderr.write("cognito-roster activation: the users files have errors (cognito-roster validate lists them)\n");
    return 1;
  }
  const aws = commandClients(context.profile);
  try {
    const stragglers: NeverSignedIn[] = [];
    await listNeverSignedIn(aws.cognito, context.profile.userPoolId, (page) => stragglers.push(...page));
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
    const recordFile =
      values.reminders === undefined ? defaultReminderRecordPath(context.repoRoot, context.stack) : path.resolve(String(values.reminders));
    const reminders = sendingReminders ? await sendActivationReminders(context, aws, loaded.users, stragglers, recordFile) : undefined;
    if (format === "json" && reminders) process.stdout.write(`${JSON.stringify({ ...report, reminders }, null, 2)}\n`);
    else process.stdout.write(renderActivation(report, format) + (reminders ? describeReminders(reminders) : ""));
    process.stderr.write(`cognito-roster activation: ${plural(aws.calls.total(), "AWS call")} (ListUsers filtered on RESET_REQUIRED)\n`);
    return reminders && reminders.refused + reminders.uncertain > 0 ? 1 : 0;
  } catch (err) {
    return reportFailure("activation", err);
  } finally {
    aws.destroy();
  }
}
