/**
 * The validation benchmark: generates synthetic users trees, measures each step in a fresh child process
 * (`measure.ts`), prints the results against the targets, and writes them into BENCHMARKS.md between the
 * `<!-- bench:validation:start -->` and `<!-- bench:validation:end -->` markers, leaving other sections intact.
 *
 *   npx tsc -p . && node dist/bench/run.js [--sizes 10000,100000,500000] [--quick] [--seed 1] [--repeat 1]
 *                                          [--only floor,single,parallel,csv] [--no-write]
 *   node dist/bench/run.js hostile [--mb 10] [--only shape,…]   (validation bounds: bench/hostile-bench.ts)
 *   node dist/bench/run.js intake [--mb 50]                      (a large spreadsheet: bench/intake-bench.ts)
 *   node dist/bench/run.js onboarding [--sizes …] [--per-user N]  (AWS calls: bench/onboarding-bench.ts; plain
 *                                                                 `npm run bench` runs it after the validation sizes)
 *
 * Trees are generated into bench/out/ (git-ignored) and reused while count, seed and generator version match.
 * Rows already in BENCHMARKS.md for sizes not measured this time are kept, each with its own date.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generateUsers, type GeneratedTree } from "./generate-users";
import { runHostileBench } from "./hostile-bench";
import { runIntakeBench } from "./intake-bench";
import { MEASUREMENT_KINDS, type MeasurementKind, type MeasurementResult } from "./measure";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const OUT_DIR = path.join(PROJECT_ROOT, "bench", "out");
const BENCHMARKS_FILE = path.join(PROJECT_ROOT, "BENCHMARKS.md");
const MEASURE_SCRIPT = path.join(__dirname, "measure.js");
/** Bump when generate-users.ts changes what it writes, so cached trees are regenerated. */
const GENERATOR_VERSION = 3;
const SECTION_START = "<!-- bench:validation:start -->";
const SECTION_END = "<!-- bench:validation:end -->";
const DATA_PREFIX = "<!-- bench:validation:data ";

const TARGETS = {
  singleOverFloor: 1.3,
  parallelSeconds: new Map<number, number>([
    [100_000, 5],
    [500_000, 30],
  ]),
  peakRssMiB: 1.5 * 1024,
};

interface Arguments {
  sizes: number[];
  seed: number;
  repeat: number;
  only: MeasurementKind[];
  write: boolean;
}

/** One size's results, as stored (in JSON, inside an HTML comment) in BENCHMARKS.md. */
interface SizeRow {
  users: number;
  yamlMiB: number;
  files: number;
  date: string;
  /** The 1-minute load average when the size's measurements began: other work on the machine skews them. */
  loadAverage?: number;
  machine: string;
  results: Partial<Record<MeasurementKind, MeasurementResult>>;
}

function parseArguments(argv: readonly string[]): Arguments {
  const parsed: Arguments = { sizes: [10_000, 100_000, 500_000], seed: 1, repeat: 1, only: [...MEASUREMENT_KINDS], write: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) usage(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case "--quick":
        parsed.sizes = [10_000];
        break;
      case "--sizes":
        parsed.sizes = value()
          .split(",")
          .map((text) => Number(text.replace(/_/g, "")));
        if (parsed.sizes.some((n) => !Number.isInteger(n) || n < 1)) usage("--sizes takes whole numbers, e.g. 10000,100000");
        break;
      case "--seed":
        parsed.seed = Number(value());
        if (!Number.isInteger(parsed.seed)) usage("--seed takes a whole number");
        break;
      case "--repeat":
        parsed.repeat = Number(value());
        if (!Number.isInteger(parsed.repeat) || parsed.repeat < 1) usage("--repeat takes a whole number of at least 1");
        break;
      case "--only": {
        const kinds = value().split(",");
        const unknown = kinds.filter((k) => !(MEASUREMENT_KINDS as readonly string[]).includes(k));
        if (unknown.length > 0) usage(`--only takes ${MEASUREMENT_KINDS.join(",")} (not ${unknown.join(",")})`);
        parsed.only = kinds as MeasurementKind[];
        break;
      }
      case "--no-write":
        parsed.write = false;
        break;
      case "--help":
        usage();
        break;
      default:
        usage(`unknown argument ${flag}`);
    }
  }
  return parsed;
}

function usage(problem?: string): never {
  if (problem !== undefined) process.stderr.write(`bench: ${problem}\n`);
  process.stderr.write(
    "usage: node dist/bench/run.js [--sizes 10000,100000,500000] [--quick] [--seed N] [--repeat N] [--only floor,single,parallel,csv] [--no-write]\n",
  );
  process.exit(2);
}

/** The tree for `count` users, generated unless bench/out already holds the same one. */
function ensureTree(count: number, seed: number): { root: string; tree: GeneratedTree } {
  const root = path.join(OUT_DIR, `users-${count}-seed-${seed}`);
  const manifestPath = path.join(root, "manifest.json");
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { generatorVersion: number; tree: GeneratedTree };
    if (manifest.generatorVersion === GENERATOR_VERSION && manifest.tree.userCount === count) return { root, tree: manifest.tree };
  }
  mkdirSync(root, { recursive: true });
  const started = Date.now();
  const tree = generateUsers({ count, seed, usersDir: path.join(root, "users") });
  writeFileSync(manifestPath, `${JSON.stringify({ generatorVersion: GENERATOR_VERSION, seed, tree }, null, 2)}\n`);
  log(
    `  generated ${tree.userCount} users in ${tree.fileCount} files (${mib(tree.bytes)} MiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { root, tree };
}

/** Runs one measurement in a fresh process; with `repeat` > 1 keeps the fastest run and the highest peak memory. */
function runMeasurement(kind: MeasurementKind, treeRoot: string, repeat: number): MeasurementResult {
  let best: MeasurementResult | undefined;
  let highestRss = 0;
  for (let run = 0; run < repeat; run++) {
    const child = spawnSync(process.execPath, [MEASURE_SCRIPT, kind, treeRoot], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    const lastLine = child.stdout.trim().split("\n").pop() ?? "";
    if (child.status !== 0 || !lastLine.startsWith("{")) {
      const why = child.signal !== null ? `killed by ${child.signal}` : `exit ${child.status}`;
      const stderrTail = child.stderr.trim().split("\n").slice(-3).join(" | ");
      return { kind, available: true, note: `failed (${why}): ${stderrTail}` };
    }
    const result = JSON.parse(lastLine) as MeasurementResult;
    if (!result.available) return result;
    highestRss = Math.max(highestRss, result.peakRssMiB ?? 0);
    if (best === undefined || (result.seconds ?? Infinity) < (best.seconds ?? Infinity)) best = result;
  }
  return { ...(best as MeasurementResult), peakRssMiB: highestRss };
}

function machineDescription(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB memory, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function seconds(result: MeasurementResult | undefined): string {
  if (result === undefined) return "—";
  if (!result.available) return "n/a";
  if (result.seconds === undefined) return "failed";
  return result.seconds.toFixed(2);
}

function rss(result: MeasurementResult | undefined): string {
  return result?.peakRssMiB === undefined ? "—" : result.peakRssMiB.toFixed(0);
}

/** PASS/MISS lines for one size; measurements not available are said so, never passed. */
function verdicts(row: SizeRow): string[] {
  const { floor, single, parallel } = row.results;
  const lines: string[] = [];
  const n = row.users.toLocaleString("en-GB");
  if (floor?.seconds !== undefined && single?.seconds !== undefined) {
    const ratio = single.seconds / floor.seconds;
    lines.push(
      `${ratio <= TARGETS.singleOverFloor ? "PASS" : "MISS"} ${n}: single-threaded ${ratio.toFixed(2)}× the floor (target ≤ ${TARGETS.singleOverFloor}×)`,
    );
  } else {
    lines.push(`not measured ${n}: single-threaded vs floor (${single?.note ?? floor?.note ?? "no result"})`);
  }
  const parallelTarget = TARGETS.parallelSeconds.get(row.users);
  if (parallelTarget !== undefined) {
    if (parallel?.seconds !== undefined) {
      lines.push(
        `${parallel.seconds < parallelTarget ? "PASS" : "MISS"} ${n}: both cores ${parallel.seconds.toFixed(2)} s (target < ${parallelTarget} s)`,
      );
    } else {
      lines.push(`not measured ${n}: both cores (${parallel?.note ?? "no result"})`);
    }
  }
  for (const [kind, result] of Object.entries(row.results) as [MeasurementKind, MeasurementResult][]) {
    if (result.peakRssMiB === undefined) continue;
    if (result.peakRssMiB >= TARGETS.peakRssMiB)
      lines.push(`MISS ${n}: ${kind} peak RSS ${result.peakRssMiB.toFixed(0)} MiB (target < 1536 MiB)`);
  }
  const peaks = Object.values(row.results).flatMap((r) => (r?.peakRssMiB === undefined ? [] : [r.peakRssMiB]));
  if (peaks.length > 0 && peaks.every((p) => p < TARGETS.peakRssMiB)) {
    lines.push(`PASS ${n}: peak RSS ≤ ${Math.max(...peaks).toFixed(0)} MiB in every measurement (target < 1536 MiB)`);
  }
  for (const result of Object.values(row.results)) {
    if (result?.errors !== undefined && result.errors > 0) {
      lines.push(
        `WARNING ${n}: ${result.kind} reported ${result.errors} errors on a tree meant to be valid, e.g. ${result.sampleErrors?.[0] ?? ""}`,
      );
    }
  }
  return lines;
}

function renderSection(rows: SizeRow[], command: string): string {
  const sorted = [...rows].sort((a, b) => a.users - b.users);
  const table = [
    "| Users | YAML MiB | Files | Floor s | Single s (× floor) | Parallel s | CSV s | Peak RSS MiB floor / single / parallel / CSV | Measured |",
    "|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ...sorted.map((row) => {
      const { floor, single, parallel, csv } = row.results;
      const ratio =
        floor?.seconds !== undefined && single?.seconds !== undefined ? ` (${(single.seconds / floor.seconds).toFixed(2)}×)` : "";
      return `| ${row.users.toLocaleString("en-GB")} | ${row.yamlMiB.toFixed(1)} | ${row.files} | ${seconds(floor)} | ${seconds(single)}${ratio} | ${seconds(parallel)} | ${seconds(csv)} | ${rss(floor)} / ${rss(single)} / ${rss(parallel)} / ${rss(csv)} | ${row.date}${row.loadAverage === undefined ? "" : `, load ${row.loadAverage.toFixed(1)}`} |`;
    }),
  ];
  const machines = [...new Set(sorted.map((row) => row.machine))];
  const notes = sorted.flatMap((row) =>
    Object.values(row.results).flatMap((r) =>
      r?.note === undefined || !r.available ? [] : [`- ${row.users.toLocaleString("en-GB")} ${r.kind}: ${r.note}`],
    ),
  );
  return [
    SECTION_START,
    "## Validation: load, validate and render the import CSV",
    "",
    "Generated by `bench/run.ts`; do not edit between the markers (rerun instead). Each figure is one fresh Node",
    "process; seconds time the work only (not Node's start-up); peak RSS is the process's `maxRSS`, worker threads",
    "included. Synthetic trees from `bench/generate-users.ts` (seeded; at most 2,000 users a file, 12 local offices).",
    "",
    "- **Floor**: the `yaml` package alone reading and parsing every file into a document with a `LineCounter`.",
    "- **Single**: `loadRoster` (load + validate on one thread). **Parallel**: `loadRosterParallel` (both cores).",
    "- **CSV**: `splitImportCsv` over the loaded users with the dev profile's header (rendering and splitting only).",
    "- n/a: the code to measure did not exist when the row was measured.",
    "- Load: the machine's 1-minute load average when the row's measurements began; on 2 cores, anything above",
    "  about 0.5 means other work competed with the benchmark and the times are pessimistic.",
    "",
    ...table,
    "",
    `Machine: ${machines.join("; ")}.`,
    "",
    `Command: \`${command}\``,
    "",
    "Against the targets (single ≤ 1.3× floor; both cores: 100,000 users < 5 s, 500,000 < 30 s; peak memory < 1.5 GiB):",
    "",
    "```",
    ...sorted.flatMap(verdicts),
    "```",
    ...(notes.length > 0 ? ["", "Notes:", "", ...notes] : []),
    "",
    `${DATA_PREFIX}${JSON.stringify(sorted)} -->`,
    SECTION_END,
  ].join("\n");
}

/** Rows stored in the current section, so a run for some sizes keeps the others. */
function storedRows(text: string): SizeRow[] {
  const start = text.indexOf(DATA_PREFIX);
  if (start === -1) return [];
  const end = text.indexOf(" -->", start);
  try {
    return JSON.parse(text.slice(start + DATA_PREFIX.length, end)) as SizeRow[];
  } catch {
    return [];
  }
}

function writeSection(measured: SizeRow[], command: string): void {
  const text = existsSync(BENCHMARKS_FILE)
    ? readFileSync(BENCHMARKS_FILE, "utf8")
    : "# Benchmarks\n\nMeasured figures; each section is written by its own harness.\n";
  const startAt = text.indexOf(SECTION_START);
  const endAt = text.indexOf(SECTION_END);
  const hasSection = startAt !== -1 && endAt > startAt;
  const previous = hasSection ? storedRows(text.slice(startAt, endAt)) : [];
  const measuredSizes = new Set(measured.map((row) => row.users));
  const rows = [...previous.filter((row) => !measuredSizes.has(row.users)), ...measured];
  const section = renderSection(rows, command);
  const updated = hasSection
    ? text.slice(0, startAt) + section + text.slice(endAt + SECTION_END.length)
    : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(BENCHMARKS_FILE, updated);
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function main(): void {
  // `run.js hostile …` is the validation-bounds benchmark (bench/hostile-bench.ts).
  if (process.argv[2] === "hostile") return runHostileBench(process.argv.slice(3));
  if (process.argv[2] === "onboarding") return runOnboardingBench(process.argv.slice(3));
  if (process.argv[2] === "intake") return runIntakeBench(process.argv.slice(3));
  const args = parseArguments(process.argv.slice(2));
  if (!existsSync(MEASURE_SCRIPT)) usage(`${MEASURE_SCRIPT} is missing: run npx tsc -p . first`);
  const machine = machineDescription();
  log(`bench: ${machine}`);
  const [loadNow] = os.loadavg();
  if (loadNow > 0.5 * os.cpus().length) {
    log(`bench: warning: load average ${loadNow.toFixed(1)} on ${os.cpus().length} cores; other work will slow these measurements`);
  }
  const rows: SizeRow[] = [];
  for (const count of args.sizes) {
    log(`\n${count.toLocaleString("en-GB")} users`);
    const { root, tree } = ensureTree(count, args.seed);
    const loadAverage = os.loadavg()[0];
    const date = `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`;
    const row: SizeRow = {
      users: count,
      yamlMiB: tree.bytes / 1024 / 1024,
      files: tree.fileCount,
      date,
      loadAverage,
      machine,
      results: {},
    };
    for (const kind of args.only) {
      const result = runMeasurement(kind, root, args.repeat);
      row.results[kind] = result;
      const detail = result.available ? `${seconds(result)} s, peak RSS ${rss(result)} MiB` : "not available";
      log(`  ${kind.padEnd(8)} ${detail}${result.note !== undefined ? `  (${result.note})` : ""}`);
    }
    for (const line of verdicts(row)) log(`  ${line}`);
    rows.push(row);
  }
  if (args.write) {
    const command = `npx tsc -p . && node dist/bench/run.js ${process.argv.slice(2).join(" ")}`.trim();
    writeSection(rows, command);
    log(`\nwrote ${path.relative(process.cwd(), BENCHMARKS_FILE) || BENCHMARKS_FILE}`);
  }
  if (process.argv.length === 2) runOnboardingBench([]);
}

/** The onboarding benchmark (AWS calls against the emulator) in a process of its own, so its memory is its own. */
function runOnboardingBench(argv: readonly string[]): void {
  log("\nonboarding: AWS calls and quota-bound time (bench/onboarding-bench.ts)");
  const child = spawnSync(process.execPath, ["--max-old-space-size=6144", path.join(__dirname, "onboarding-bench.js"), ...argv], {
    stdio: "inherit",
  });
  if (child.status !== 0) process.exitCode = child.status ?? 1;
}

main();
