/**
 * The dynamic providers behind SignInReminderMarks and SignInReminderSends, as Pulumi serialises them: shims that
 * load the compiled engine (providers/sign-in-reminders-entry.ts, in `dist/`) from the project at call time, as
 * user-pool-roster-provider.ts does and for the same reasons. They must not import anything at run time.
 */
import type { ReminderEngine } from "./sign-in-reminders-entry";

type Props = Record<string, unknown>;

/** The named engine of the compiled entry in the project the host runs in. */
function engine(name: "signInReminderMarksEngine" | "signInReminderSendsEngine"): ReminderEngine {
  const path = require("node:path") as typeof import("path");
  const fs = require("node:fs") as typeof import("fs");
  const entry = path.join(process.cwd(), "dist", "providers", "sign-in-reminders-entry.js");
  if (!fs.existsSync(entry)) {
    throw new Error(
      `cognito-roster: the compiled engine ${entry} is missing: run \`npm ci\` or \`npm run build\` in the project directory first`,
    );
  }
  return (require(entry) as Record<typeof name, ReminderEngine>)[name];
}

export const reminderMarksProvider = {
  check: async (olds: Props, news: Props) => engine("signInReminderMarksEngine").check(olds, news),
  diff: async (id: string, olds: Props, news: Props) => engine("signInReminderMarksEngine").diff(id, olds, news),
  create: async (inputs: Props) => engine("signInReminderMarksEngine").create(inputs),
  update: async (id: string, olds: Props, news: Props) => engine("signInReminderMarksEngine").update(id, olds, news),
  read: async (id: string, props: Props) => engine("signInReminderMarksEngine").read(id, props),
  delete: async (id: string, props: Props) => engine("signInReminderMarksEngine").delete(id, props),
};

export const reminderSendsProvider = {
  check: async (olds: Props, news: Props) => engine("signInReminderSendsEngine").check(olds, news),
  diff: async (id: string, olds: Props, news: Props) => engine("signInReminderSendsEngine").diff(id, olds, news),
  create: async (inputs: Props) => engine("signInReminderSendsEngine").create(inputs),
  update: async (id: string, olds: Props, news: Props) => engine("signInReminderSendsEngine").update(id, olds, news),
  read: async (id: string, props: Props) => engine("signInReminderSendsEngine").read(id, props),
  delete: async (id: string, props: Props) => engine("signInReminderSendsEngine").delete(id, props),
};
