/**
 * The dynamic provider behind UserPoolRoster, as Pulumi serialises it: a shim that loads the engine at call time.
 *
 * Pulumi stores a dynamic provider's code in the state (the `__provider` input) and runs that stored copy for
 * `refresh` and `destroy`. This shim is all that is stored (a few KB): every method loads the compiled
 * providers/roster-engine-entry.ts from the project it runs in, so each `pulumi up`, `refresh` and `destroy`
 * runs the checkout's current engine, and core/ and engine/ need no rules of the serialiser.
 *
 * Where the engine comes from: the host runs in the project directory (its cwd), whether the program runs from
 * TypeScript through ts-node or from a build; the engine is always the build in `dist/`, which `npm ci` makes (the
 * `prepare` script) and `npm run build` renews. Without it every call fails with one message saying so.
 *
 * It must not import anything at run time (types only): whatever it references is serialised with it.
 */
import type { RosterEngine } from "./roster-engine-entry";

/** The compiled engine of the project the host runs in (Node caches it for the life of the host process). */
function engine(): RosterEngine {
  const path = require("node:path") as typeof import("path");
  const fs = require("node:fs") as typeof import("fs");
  const entry = path.join(process.cwd(), "dist", "providers", "roster-engine-entry.js");
  if (!fs.existsSync(entry)) {
    throw new Error(
      `cognito-roster: the compiled engine ${entry} is missing: run \`npm ci\` or \`npm run build\` in the project directory first`,
    );
  }
  return (require(entry) as { userPoolRosterEngine: RosterEngine }).userPoolRosterEngine;
}

type Props = Record<string, unknown>;

export const userPoolRosterProvider = {
  check: async (olds: Props, news: Props) => engine().check(olds, news),
  diff: async (id: string, olds: Props, news: Props) => engine().diff(id, olds, news),
  create: async (inputs: Props) => engine().create(inputs),
  update: async (id: string, olds: Props, news: Props) => engine().update(id, olds, news),
  read: async (id: string, props: Props) => engine().read(id, props),
  delete: async (id: string, props: Props) => engine().delete(id, props),
};
