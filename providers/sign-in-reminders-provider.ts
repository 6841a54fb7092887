/**
 * The dynamic providers behind SignInReminderMarks and SignInReminderSends, as Pulumi serialises them: shims that
 * load the compiled engine (providers/sign-in-reminders-entry.ts, in `dist/`) from the project at call time, as
 * user-pool-roster-provider.ts does and for the same reasons. They must not import anything at run time.
 */
import type { ReminderEngine } from "./sign-in-reminders-entry";

type Props = Record<string, unknown>;

/** The named engine of the compiled entry in the project the host runs in. */
function engine(name: EngineName): ReminderEngine {
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

type EngineName = "signInReminderMarksEngine" | "signInReminderSendsEngine";

/** A provider whose every method loads the named engine at call time and forwards to it. */
function forwardingProvider(name: EngineName) {
  return {
    check: async (olds: Props, news: Props) => engine(name).check(olds, news),
    diff: async (id: string, olds: Props, news: Props) => engine(name).diff(id, olds, news),
    create: async (inputs: Props) => engine(name).create(inputs),
    update: async (id: string, olds: Props, news: Props) => engine(name).update(id, olds, news),
    read: async (id: string, props: Props) => engine(name).read(id, props),
    delete: async (id: string, props: Props) => engine(name).delete(id, props),
  };
}

export const reminderMarksProvider = forwardingProvider("signInReminderMarksEngine");

export const reminderSendsProvider = forwardingProvider("signInReminderSendsEngine");
