/**
 * One benchmark measurement, run by `bench/run.ts` in a fresh Node process so that the process's peak resident
 * memory (`process.resourceUsage().maxRSS`) belongs to this measurement alone.
 *
 *   node dist/bench/measure.js <floor|single|parallel|csv> <treeRoot>
 *
 * `treeRoot` holds `users/` (from `generate-users.ts`). Prints one JSON line, a `MeasurementResult`, on stdout.
 * Only the work is timed, not Node's start-up or module loading.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { LineCounter, parseDocument } from "yaml";
import type { AttributeValue, DeclaredUser } from "../core/declared-user";
import type { Diagnostic } from "../core/diagnostics";
import { splitImportCsv } from "../core/import-csv";
import { csvHeaderForProfile, type PoolProfile } from "../core/profile";
import { loadStackProfile } from "../load/stack-profile";

export type MeasurementKind = "floor" | "single" | "parallel" | "csv";
export const MEASUREMENT_KINDS: readonly MeasurementKind[] = ["floor", "single", "parallel", "csv"];

export interface MeasurementResult {
  kind: MeasurementKind;
  /** False when the code to measure does not exist yet (another engineer's module not written). */
  available: boolean;
  seconds?: number;
  /** Peak resident set size of the whole process (all threads), in MiB. */
  peakRssMiB?: number;
  users?: number;
  files?: number;
  /** Error diagnostics the loader reported: 0 for a valid synthetic tree. */
  errors?: number;
  /** A few of them, to see what went wrong (synthetic data only, so nothing personal). */
  sampleErrors?: string[];
  note?: string;
}

interface LoadRosterOptions {
  usersDir: string;
  repoRoot: string;
  profile: PoolProfile;
}
interface LoadRosterResult {
  users: DeclaredUser[];
  diagnostics: Diagnostic[];
  fileCount: number;
}
type LoadRoster = (options: LoadRosterOptions) => LoadRosterResult;
type LoadRosterParallel = (options: LoadRosterOptions) => Promise<LoadRosterResult>;

/** The repository root (this file runs from dist/bench/). */
const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/**
 * Loads another engineer's module if it has been written; `undefined` when its file does not exist yet.
 * Any other failure (an error while loading it) is thrown: that is a result, not an absence.
 */
function optionalExport<T>(modulePath: string, exportName: string): T | undefined {
  let loaded: Record<string, unknown>;
  try {
    loaded = require(modulePath) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "MODULE_NOT_FOUND" && String((error as Error).message).includes(path.basename(modulePath))) return undefined;
    throw error;
  }
  const value = loaded[exportName];
  return typeof value === "function" ? (value as T) : undefined;
}

function listYamlFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listYamlFiles(full));
    else if (/\.ya?ml$/.test(entry.name)) files.push(full);
  }
  return files.sort();
}

function peakRssMiB(): number {
  // maxRSS is in kibibytes.
  return process.resourceUsage().maxRSS / 1024;
}

function devProfile(): PoolProfile {
  const { profile, diagnostics } = loadStackProfile(PROJECT_ROOT, "dev");
  if (profile === undefined) throw new Error(`the dev stack profile does not load: ${diagnostics.map((d) => d.message).join("; ")}`);
  return profile;
}

/** The floor: the yaml package alone turning every file into a document with positions. */
function measureFloor(usersDir: string): MeasurementResult {
  const started = performance.now();
  const files = listYamlFiles(usersDir);
  let documents = 0;
  for (const file of files) {
    const lineCounter = new LineCounter();
    const doc = parseDocument(readFileSync(file, "utf8"), { lineCounter });
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
    documents += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  return { kind: "floor", available: true, seconds, peakRssMiB: peakRssMiB(), files: documents };
}

function summarise(kind: MeasurementKind, seconds: number, result: LoadRosterResult): MeasurementResult {
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  return {
    kind,
    available: true,
    seconds,
    peakRssMiB: peakRssMiB(),
    users: result.users.length,
    files: result.fileCount,
    errors: errors.length,
    sampleErrors: errors.slice(0, 5).map((d) => `${d.file}:${d.line}:${d.col}: ${d.code} ${d.message}`),
  };
}

const loadRosterModule = path.join(PROJECT_ROOT, "dist", "load", "load-roster");
const loadRosterParallelModule = path.join(PROJECT_ROOT, "dist", "load", "load-roster-parallel");

async function measure(kind: MeasurementKind, treeRoot: string): Promise<MeasurementResult> {
  const usersDir = path.join(treeRoot, "users");
  const options = (): LoadRosterOptions => ({ usersDir, repoRoot: treeRoot, profile: devProfile() });
  switch (kind) {
    case "floor":
      return measureFloor(usersDir);
    case "single": {
      const loadRoster = optionalExport<LoadRoster>(loadRosterModule, "loadRoster");
      if (loadRoster === undefined) return { kind, available: false, note: "load/load-roster.ts (loadRoster) not available" };
      const loadOptions = options();
      const started = performance.now();
      const result = loadRoster(loadOptions);
      return summarise(kind, (performance.now() - started) / 1000, result);
    }
    case "parallel": {
      const loadRosterParallel = optionalExport<LoadRosterParallel>(loadRosterParallelModule, "loadRosterParallel");
      if (loadRosterParallel === undefined) {
        return { kind, available: false, note: "load/load-roster-parallel.ts (loadRosterParallel) not available" };
      }
      const loadOptions = options();
      const started = performance.now();
      const result = await loadRosterParallel(loadOptions);
      return summarise(kind, (performance.now() - started) / 1000, result);
    }
    case "csv": {
      const profile = devProfile();
      const { users, note } = loadUsersForCsv(usersDir, treeRoot, profile);
      const header = csvHeaderForProfile(profile);
      const rssBeforeMiB = process.memoryUsage().rss / 1024 / 1024;
      const started = performance.now();
      const parts = splitImportCsv(users, header);
      const seconds = (performance.now() - started) / 1000;
      const csvMiB = parts.reduce((sum, part) => sum + part.bytes, 0) / 1024 / 1024;
      return {
        kind,
        available: true,
        seconds,
        peakRssMiB: peakRssMiB(),
        users: users.length,
        note: `${parts.length} part(s), ${csvMiB.toFixed(1)} MiB of CSV; users from ${note}; peak RSS includes loading them (${rssBeforeMiB.toFixed(0)} MiB resident before rendering)`,
      };
    }
  }
}

/**
 * The users to render: from `loadRoster` when it exists, otherwise from a plain YAML → JS conversion with
 * `defaults` merged (enough to time the renderer, not a validation).
 */
function loadUsersForCsv(usersDir: string, treeRoot: string, profile: PoolProfile): { users: DeclaredUser[]; note: string } {
  const loadRoster = optionalExport<LoadRoster>(loadRosterModule, "loadRoster");
  if (loadRoster !== undefined) return { users: loadRoster({ usersDir, repoRoot: treeRoot, profile }).users, note: "loadRoster" };
  const users: DeclaredUser[] = [];
  for (const file of listYamlFiles(usersDir)) {
    const parsed = parseDocument(readFileSync(file, "utf8")).toJS() as {
      defaults?: Record<string, AttributeValue>;
      users: Record<string, AttributeValue>[];
    };
    parsed.users.forEach((entry, index) => {
      const { username, mfa_enabled, enabled, ...attributes } = { ...parsed.defaults, ...entry };
      users.push({
        username: String(username),
        mfaEnabled: mfa_enabled === true,
        enabled: enabled !== false,
        attributes,
        source: { file: path.relative(treeRoot, file), line: index + 1, col: 1 },
      });
    });
  }
  return { users, note: "a plain YAML conversion (loadRoster not available)" };
}

async function main(): Promise<void> {
  const [kind, treeRoot] = process.argv.slice(2);
  if (!(MEASUREMENT_KINDS as readonly string[]).includes(kind) || treeRoot === undefined) {
    process.stderr.write(`usage: node dist/bench/measure.js <${MEASUREMENT_KINDS.join("|")}> <treeRoot>\n`);
    process.exit(2);
  }
  const result = await measure(kind as MeasurementKind, path.resolve(treeRoot));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
