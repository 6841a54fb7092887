/**
 * Puts an engine where the provider shim (providers/user-pool-roster-provider.ts) loads it from: the host's project
 * root, `dist/providers/roster-engine-entry.js`. Tests either install the project's engine from its TypeScript
 * sources (transpiled on require, so the host runs the code under test without a build) or a stub engine.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";

const PROJECT_ROOT = path.resolve(__dirname, "../..");

/** Where the shim looks, relative to the project root the host runs in. */
function engineEntryPath(projectRoot: string): string {
  return path.join(projectRoot, "dist", "providers", "roster-engine-entry.js");
}

/** Writes `text` as the compiled engine entry of `projectRoot`. */
export function installEngineEntry(projectRoot: string, text: string): void {
  const entry = engineEntryPath(projectRoot);
  mkdirSync(path.dirname(entry), { recursive: true });
  writeFileSync(entry, text);
}

/** The project's own engine, from its sources: what `npm run build` would put there, without building. */
export function installSourceEngine(projectRoot: string): void {
  const hook = JSON.stringify(path.join(PROJECT_ROOT, "test", "support", "transpile-on-require.js"));
  const source = JSON.stringify(path.join(PROJECT_ROOT, "providers", "roster-engine-entry.ts"));
  installEngineEntry(projectRoot, `"use strict";\nrequire(${hook});\nmodule.exports = require(${source});\n`);
}
