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
import { createAwsClients } from "../aws/clients";
import { listNeverSignedIn, type NeverSignedIn } from "../aws/never-signed-in";
import { loadRoster } from "../load/load-roster";
import { COMMON_OPTIONS, commandContext, parseFlags, reportFailure } from "./command-context";
import { plural } from "./command-line";
import { defaultReminderRecordPath } from "../load/reminder-record";
import { describeReminders, sendActivationReminders } from "./activation-reminders";

export const ACTIVATION_USAGE =
  "usage: cognito-roster activation [--users DIR] [--stack NAME] [--office NAME] [--older-than 7d] [--format text|markdown|json] [--send-reminders [--reminders FILE]]";

export async function runActivationCommand(args: string[]): Promise<number> {
  const values = parseFlags(args, {
    users: COMMON_OPTIONS.users,
    stack: COMMON_OPTIONS.stack,
    office: { type: "string" },
    "older-than": { type: "string" },
    format: { type: "string", default: "text" },
    "send-reminders": { type: "boolean", default: false },
    reminders: { type: "string" },
  });
  const usage = (message: string) => {
    process.stderr.write(`cognito-roster activation: ${message}\n${ACTIVATION_USAGE}\n`);
    return 2;
  };
  if (typeof values === "string") return usage(values);
  const format = String(values.format);
  if (format !== "text" && format !== "markdown" && format !== "json") return usage("--format must be text, markdown or json");
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
  const aws = createAwsClients(context.profile.region, context.profile.userPoolId);
  try {
    const stragglers: NeverSignedIn[] = [];
    await listNeverSignedIn(
      aws.cognito,
      context.profile.userPoolId,
      (page) => stragglers.push(...page),
      context.profile.usernameAttributes,
    );
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
