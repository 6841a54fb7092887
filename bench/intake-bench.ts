/**
 * The intake benchmark (issue 21): a synthetic local office's spreadsheet of `--mb` MB, taken in by
 * `cognito-roster intake` in a fresh process, timed, with its peak memory (GNU time's maximum resident set size), against
 * the bound: an answer in bounded time and under 512 MB, whatever the spreadsheet's size.
 *
 *   npx tsc -p . && node dist/bench/run.js intake [--mb 50] [--no-write]
 *
 * The spreadsheet and a checkout (the dev stack, an empty users tree) are generated into bench/out/intake/
 * (git-ignored). Results go into BENCHMARKS.md between the `<!-- bench:intake:start -->` and
 * `<!-- bench:intake:end -->` markers. Synthetic people only: emails at example.nhs.uk, phones
 * +447700900000–+447700900999 (written as UK national numbers, which --default-country GB converts).
 */
import { spawnSync } from "node:child_process";
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import * as os from "node:os";
import { writeMarkedSection } from "./benchmarks-section";
import * as path from "node:path";

/** Built, this file is dist/bench/intake-bench.js; run from source (the tests' smoke run), bench/intake-bench.ts. */
const PROJECT_ROOT =
  path.basename(path.resolve(__dirname, "..")) === "dist" ? path.resolve(__dirname, "..", "..") : path.resolve(__dirname, "..");
const BENCHMARKS_FILE = path.join(PROJECT_ROOT, "BENCHMARKS.md");
const ROSTER = path.join(PROJECT_ROOT, "bin", "cognito-roster.js");
const SECTION_START = "<!-- bench:intake:start -->";
const SECTION_END = "<!-- bench:intake:end -->";
const BOUND_MIB = 512;
const HEADER = "email,Given Name,family_name,Mobile,Date of birth,address,custom:tisId,Notes";
const COLUMN_MAP = "Mobile: phone_number\nDate of birth: birthdate\nNotes: skip\n";

/** Row `i` of the spreadsheet: unique emails, phones in the reserved drama range, a quoted address with a comma. */
export function spreadsheetRow(i: number): string {
  const n = String(i).padStart(7, "0");
  const phone = `07700 900${String(i % 1000).padStart(3, "0")}`;
  const day = String((i % 28) + 1).padStart(2, "0");
  const month = String((i % 12) + 1).padStart(2, "0");
  return `trainee.${n}@example.nhs.uk,Trainee${n},Family${i % 997},${phone},${day}/${month}/19${70 + (i % 30)},"Flat ${i % 50}, ${i % 200} High Street, Leeds",TIS${n},start ${i % 4 === 0 ? "late" : "on time"}`;
}

/** Writes a spreadsheet of at least `bytes` bytes (CSV UTF-8 as a spreadsheet exports it: BOM, CRLF); its row count. */
export function writeSpreadsheet(file: string, bytes: number): number {
  const fd = openSync(file, "w");
  let size = 0;
  let rows = 0;
  try {
    const head = `\uFEFF${HEADER}\r\n`;
    writeSync(fd, head);
    size += Buffer.byteLength(head);
    while (size < bytes) {
      const lines: string[] = [];
      for (let k = 0; k < 1000 && size < bytes; k++) {
        const line = `${spreadsheetRow(rows++)}\r\n`;
        lines.push(line);
        size += line.length;
      }
      writeSync(fd, lines.join(""));
    }
  } finally {
    closeSync(fd);
  }
  return rows;
}

/** A checkout to take the spreadsheet into: the dev stack's settings, an empty users tree, the column map. */
export function prepareCheckout(root: string): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(path.join(root, "users"), { recursive: true });
  copyFileSync(path.join(PROJECT_ROOT, "Pulumi.dev.yaml"), path.join(root, "Pulumi.dev.yaml"));
  writeFileSync(path.join(root, "columns.yaml"), COLUMN_MAP);
}

export interface IntakeRun {
  mib: number;
  rows: number;
  seconds: number;
  cpuSeconds: number;
  peakMiB: number;
  exit: string;
  files: number;
  writtenMiB: number;
}

/** One `cognito-roster intake` of `sheet` into `root` under GNU time; what it wrote is counted from users/london. */
export function runIntake(root: string, sheet: string, rows: number, timeoutSeconds: number): IntakeRun {
  const started = Date.now();
  const child = spawnSync(
    "/usr/bin/time",
    [
      "-f",
      "%U %S %M",
      process.execPath,
      ROSTER,
      "intake",
      sheet,
      "--office",
      "london",
      "--map",
      "columns.yaml",
      "--default-country",
      "GB",
      "--date-format",
      "dd/mm/yyyy",
    ],
    { cwd: root, encoding: "utf8", maxBuffer: 1024 * 1024 * 1024, timeout: timeoutSeconds * 1000, killSignal: "SIGKILL" },
  );
  const seconds = (Date.now() - started) / 1000;
  const [user, system, peakKiB] = (child.stderr.trim().split("\n").pop() ?? "").split(" ").map(Number);
  const office = path.join(root, "users", "london");
  const written = existsSync(office) ? readdirSync(office).map((f) => statSync(path.join(office, f)).size) : [];
  const exit =
    child.signal !== null || child.error !== undefined ? `killed (${child.signal ?? child.error?.message})` : String(child.status);
  if (exit !== "0") process.stderr.write(child.stderr.split("\n").slice(0, 5).join("\n"));
  return {
    mib: statSync(path.join(root, sheet)).size / 1024 / 1024,
    rows,
    seconds,
    cpuSeconds: user + system,
    peakMiB: Number.isFinite(peakKiB) ? peakKiB / 1024 : Number.NaN,
    exit,
    files: written.length,
    writtenMiB: written.reduce((a, b) => a + b, 0) / 1024 / 1024,
  };
}

function verdict(r: IntakeRun): string {
  return r.exit === "0" && r.peakMiB <= BOUND_MIB ? "PASS" : "MISS";
}

function machine(): string {
  const cpus = os.cpus();
  const lscpu = spawnSync("lscpu", [], { encoding: "utf8" }).stdout ?? "";
  const model = /^Model name:\s*(.+)$/m.exec(lscpu)?.[1] ?? cpus[0]?.model ?? "unknown CPU";
  const nproc = (spawnSync("nproc", [], { encoding: "utf8" }).stdout ?? "").trim() || String(cpus.length);
  return `${model} (lscpu), nproc ${nproc}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

function render(runs: readonly IntakeRun[], command: string, loadAtStart: number): string {
  return [
    SECTION_START,
    "## Intake: a large spreadsheet (bench/intake-bench.ts)",
    "",
    "Generated by `bench/intake-bench.ts`; do not edit between the markers (rerun instead). Each row is one",
    "`cognito-roster intake` of a synthetic spreadsheet (8 columns, a quoted address, UK national mobile numbers converted with",
    "--default-country GB, dates read dd/mm/yyyy) into an empty office, in a fresh process: wall-clock seconds including",
    `Node's start-up, CPU seconds (user + system), peak memory as GNU time's maximum resident set size. The bound (issue 21): under ${BOUND_MIB} MB,`,
    "in time linear in the spreadsheet's size, the output split into users files of at most 5 MiB, each validated.",
    "",
    "| Spreadsheet MiB | Rows | Seconds | CPU s | Peak MiB | Exit | Files written | Written MiB | Bound |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...runs.map(
      (r) =>
        `| ${r.mib.toFixed(1)} | ${r.rows.toLocaleString("en-GB")} | ${r.seconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${r.peakMiB.toFixed(0)} | ${r.exit} | ${r.files} | ${r.writtenMiB.toFixed(1)} | ${verdict(r)} |`,
    ),
    "",
    `Machine: ${machine()}; measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, load average ${loadAtStart.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end (on 2 cores shared with other work: the seconds are pessimistic, the CPU seconds less so).`,
    "",
    `Command: \`${command}\``,
    SECTION_END,
  ].join("\n");
}

export function runIntakeBench(argv: readonly string[]): void {
  const sizes: number[] = [];
  let write = true;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--mb") sizes.push(...(argv[++i] ?? "").split(",").map(Number));
    else if (argv[i] === "--no-write") write = false;
    else {
      process.stderr.write(`bench intake: unknown argument ${argv[i]}\nusage: node dist/bench/run.js intake [--mb 50[,5]] [--no-write]\n`);
      process.exit(2);
    }
  }
  if (sizes.length === 0) sizes.push(50);
  if (sizes.some((mb) => !(mb > 0))) {
    process.stderr.write("bench intake: --mb takes positive numbers, e.g. --mb 5,50\n");
    process.exit(2);
  }
  const loadAtStart = os.loadavg()[0];
  const runs: IntakeRun[] = [];
  for (const mb of sizes) {
    const root = path.join(PROJECT_ROOT, "bench", "out", "intake", `${mb}mb`);
    prepareCheckout(root);
    const rows = writeSpreadsheet(path.join(root, "trainees.csv"), Math.floor(mb * 1000 * 1000));
    const r = runIntake(root, "trainees.csv", rows, 1800);
    runs.push(r);
    process.stdout.write(
      `${verdict(r)} ${r.mib.toFixed(1)} MiB, ${r.rows} rows: ${r.seconds.toFixed(1)} s (CPU ${r.cpuSeconds.toFixed(1)} s), peak ${r.peakMiB.toFixed(0)} MiB, exit ${r.exit}, ${r.files} files (${r.writtenMiB.toFixed(1)} MiB)\n`,
    );
    rmSync(root, { recursive: true, force: true });
  }
  if (write) {
    writeMarkedSection(
      BENCHMARKS_FILE,
      { start: SECTION_START, end: SECTION_END },
      render(runs, `npx tsc -p . && node dist/bench/run.js intake ${argv.join(" ")}`.trim(), loadAtStart),
    );
    process.stdout.write(`wrote ${BENCHMARKS_FILE}\n`);
  }
}
