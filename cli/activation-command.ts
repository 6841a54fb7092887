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
import { createAwsClients } from "../aws/clients";
import { listNeverSignedIn, type NeverSignedIn } from "../aws/never-signed-in";
import { loadRoster } from "../load/load-roster";
import { COMMON_OPTIONS, commandContext, parseFlags, reportFailure } from "./command-context";
import { plural } from "./command-line";

export const ACTIVATION_USAGE =
  "usage: cognito-roster activation [--users DIR] [--stack NAME] [--office NAME] [--older-than 7d] [--format text|markdown|json]";

export async function runActivationCommand(args: string[]): Promise<number> {
  const values = parseFlags(args, {
    users: COMMON_OPTIONS.users,
    stack: COMMON_OPTIONS.stack,
    office: { type: "string" },
    "older-than": { type: "string" },
    format: { type: "string", default: "text" },
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
  const loaded = loadRoster({ usersDir: context.usersDir, repoRoot: context.repoRoot, profile: context.profile });
  if (hasErrors(loaded.diagnostics)) {
    process.stderr.write("cognito-roster activation: the users files have errors (cognito-roster validate lists them)\n");
    return 1;
  }
  const aws = createAwsClients(context.profile.region, context.profile.userPoolId);
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
    process.stdout.write(renderActivation(report, format));
    process.stderr.write(`cognito-roster activation: ${plural(aws.calls.total(), "AWS call")} (ListUsers filtered on RESET_REQUIRED)\n`);
    return 0;
  } catch (err) {
    return reportFailure("activation", err);
  } finally {
    aws.destroy();
  }
}
