/**
 * The validation-bounds benchmark (issue 9): hostile users trees of up to 10 MB a file, each run through
 * `cognito-roster validate --format json` in a fresh process, timed and with its peak memory (GNU time's maximum resident
 * set size) against the bounds: an answer (exit 0, 1 or 2) within 5 s and 512 MB, whatever the shape.
 *
 *   npx tsc -p . && node dist/bench/run.js hostile [--mb 10] [--repeat 3] [--only shape,shape] [--no-write]
 *
 * Trees are generated into bench/out/hostile/ (git-ignored). Results go into BENCHMARKS.md between the
 * `<!-- bench:hostile:start -->` and `<!-- bench:hostile:end -->` markers. It must not: assert anything in tests
 * (tests use small instances of these shapes and no timing), or write outside bench/out and BENCHMARKS.md.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import { writeMarkedSection } from "./benchmarks-section";
import * as path from "node:path";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const OUT_DIR = path.join(PROJECT_ROOT, "bench", "out", "hostile");
const BENCHMARKS_FILE = path.join(PROJECT_ROOT, "BENCHMARKS.md");
const ROSTER = path.join(PROJECT_ROOT, "bin", "cognito-roster.js");
const SECTION_START = "<!-- bench:hostile:start -->";
const SECTION_END = "<!-- bench:hostile:end -->";
const BOUND_SECONDS = 5;
const BOUND_MIB = 512;
/** A run past this is killed and recorded as a hang. */
const KILL_AFTER_SECONDS = 60;

/** One hostile shape: writes its files under `usersDir`, aiming at `bytes` bytes for its largest file. */
interface Shape {
  name: string;
  what: string;
  write: (usersDir: string, bytes: number) => void;
}

const USER_HEAD = "users:\n";

function repeatUntil(bytes: number, piece: (i: number) => string): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const p = piece(i);
    parts.push(p);
    size += p.length;
  }
  return parts.join("");
}

function validUser(i: number): string {
  const n = String(i).padStart(7, "0");
  return `  - username: u${n}@example.com\n    email: u${n}@example.com\n    email_verified: true\n    mfa_enabled: true\n    given_name: Trainee\n    custom:tisId: "${i % 1000000}"\n`;
}

export const SHAPES: readonly Shape[] = [
  {
    name: "valid-users",
    what: "valid users, one file (the baseline)",
    write: (d, b) => file(d, "a.yaml", USER_HEAD + repeatUntil(b, validUser)),
  },
  {
    name: "valid-users-crlf",
    what: "valid users with CRLF line endings",
    write: (d, b) => file(d, "a.yaml", (USER_HEAD + repeatUntil(b * 0.95, validUser)).replace(/\n/g, "\r\n")),
  },
  {
    name: "every-user-wrong",
    what: "every user with several errors (a diagnostic flood)",
    write: (d, b) =>
      file(
        d,
        "a.yaml",
        USER_HEAD +
          repeatUntil(
            b,
            (i) =>
              `  - username: " u${i} "\n    email: bad${i}\n    phone_number: 447700900${String(i % 1000).padStart(3, "0")}\n    nope${i}: 1\n`,
          ),
      ),
  },
  {
    name: "alias-wide-map",
    what: "a wide mapping anchored once and aliased many times",
    write: (d, b) => {
      const wide = repeatUntil(Math.min(b / 2, 200_000), (i) => `  k${i}: v\n`);
      file(d, "a.yaml", `defaults: &w\n${wide}users:\n${repeatUntil(b / 2, () => "  - *w\n")}`);
    },
  },
  {
    name: "alias-nested-bomb",
    what: "a billion-laughs chain of aliases of wide flow sequences",
    write: (d) => {
      let text = `a: &a [${Array(50).fill('"lol"').join(",")}]\n`;
      let prev = "a";
      for (let level = 0; level < 12; level++) {
        const name = `l${level}`;
        text += `${name}: &${name} [${Array(50).fill(`*${prev}`).join(",")}]\n`;
        prev = name;
      }
      file(d, "a.yaml", `${text}users: []\n`);
    },
  },
  {
    name: "merge-keys",
    what: "merge keys (<<) of an anchored wide mapping in every user",
    write: (d, b) => {
      const wide = repeatUntil(20_000, (i) => `  k${i}: v\n`);
      file(d, "a.yaml", `x: &w\n${wide}users:\n${repeatUntil(b - 20_000, (i) => `  - username: u${i}@example.com\n    <<: *w\n`)}`);
    },
  },
  {
    name: "wide-unknown-keys",
    what: "one user with a very wide mapping of unknown keys",
    write: (d, b) => file(d, "a.yaml", `users:\n  - username: u@example.com\n${repeatUntil(b, (i) => `    k${i}: v\n`)}`),
  },
  {
    name: "wide-top-level",
    what: "a very wide top-level mapping of unknown keys",
    write: (d, b) => file(d, "a.yaml", `users: []\n${repeatUntil(b, (i) => `k${i}: v\n`)}`),
  },
  {
    name: "wide-flow-map",
    what: "a very wide flow mapping (declined by the fast path)",
    write: (d, b) => file(d, "a.yaml", `users: []\nx: {${repeatUntil(b, (i) => `k${i}: v, `)}z: 1}\n`),
  },
  {
    name: "duplicate-keys",
    what: "a wide mapping where every key is a duplicate",
    write: (d, b) => file(d, "a.yaml", `users: []\n${repeatUntil(b, (i) => `k${i >> 1}: v\n`)}`),
  },
  {
    name: "deep-flow",
    what: "flow sequences nested millions deep",
    write: (d, b) => file(d, "a.yaml", `users: ${"[".repeat(b / 2)}${"]".repeat(b / 2)}\n`),
  },
  {
    name: "deep-block",
    what: "block mappings nested as deep as the size allows",
    write: (d, b) => file(d, "a.yaml", `users: []\nx:\n${repeatUntil(b, (i) => `${" ".repeat(i + 1)}k:\n`)}`),
  },
  {
    name: "deep-compact-seq",
    what: "compact sequences `- - - …` nested on one line",
    write: (d, b) => file(d, "a.yaml", `users:\n${"- ".repeat(b / 2)}x\n`),
  },
  {
    name: "long-line",
    what: "one value on a single line of the whole size",
    write: (d, b) => file(d, "a.yaml", `users:\n  - username: u@example.com\n    given_name: ${"x".repeat(b)}\n`),
  },
  {
    name: "long-quoted-unclosed",
    what: "a double quote opened and never closed",
    write: (d, b) => file(d, "a.yaml", `users:\n  - username: "u@example.com\n${"    x ".repeat(b / 6)}\n`),
  },
  {
    name: "invalid-utf8",
    what: "Latin-1 bytes throughout",
    write: (d, b) =>
      writeFileSync(
        path.join(d, "a.yaml"),
        Buffer.from(USER_HEAD + repeatUntil(b, (i) => `  - username: u${i}@example.com\n    given_name: Jos\u00e9\n`), "latin1"),
      ),
  },
  {
    name: "many-tags",
    what: "a custom tag on every value",
    write: (d, b) =>
      file(d, "a.yaml", USER_HEAD + repeatUntil(b, (i) => `  - username: !x u${i}@example.com\n    given_name: !!js/function f\n`)),
  },
  {
    name: "many-files",
    what: "5,000 small files (the file count, not the size)",
    write: (d) => {
      for (let f = 0; f < 5000; f++) {
        const dir = path.join(d, `office${f % 50}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, `f${f}.yaml`), USER_HEAD + validUser(f));
      }
    },
  },
];

function file(dir: string, name: string, text: string): void {
  writeFileSync(path.join(dir, name), text);
}

interface Result {
  shape: string;
  what: string;
  mib: number;
  seconds: number;
  /** User + system CPU seconds: what the work costs, much less sensitive than wall-clock to other load. */
  cpuSeconds: number;
  peakMiB: number;
  exit: string;
  diagnostics: number;
}

/** Runs the shape `repeat` times; keeps the fastest run (the least disturbed by other work) and the highest memory. */
function runShape(shape: Shape, bytes: number, repeat: number): Result {
  const root = path.join(OUT_DIR, shape.name);
  const usersDir = path.join(root, "users");
  rmSync(root, { recursive: true, force: true });
  mkdirSync(usersDir, { recursive: true });
  shape.write(usersDir, bytes);
  let best: Result | undefined;
  let peak = 0;
  for (let i = 0; i < repeat; i++) {
    const r = runOnce(shape, usersDir);
    peak = Math.max(peak, Number.isFinite(r.peakMiB) ? r.peakMiB : 0);
    if (best === undefined || r.seconds < best.seconds) best = r;
    if (r.exit.startsWith("killed")) break;
  }
  return { ...(best as Result), peakMiB: peak };
}

function runOnce(shape: Shape, usersDir: string): Result {
  const size = Number(spawnSync("du", ["-sbL", usersDir], { encoding: "utf8" }).stdout.split("\t")[0]);
  const started = Date.now();
  const child = spawnSync(
    "/usr/bin/time",
    ["-f", "%U %S %M", process.execPath, ROSTER, "validate", "--users", usersDir, "--format", "json"],
    {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      maxBuffer: 1024 * 1024 * 1024,
      timeout: KILL_AFTER_SECONDS * 1000,
      killSignal: "SIGKILL",
    },
  );
  const seconds = (Date.now() - started) / 1000;
  const [user, system, peakKiB] = (child.stderr.trim().split("\n").pop() ?? "").split(" ").map(Number);
  let diagnostics = -1;
  try {
    diagnostics = (JSON.parse(child.stdout) as unknown[]).length;
  } catch {
    diagnostics = -1;
  }
  const exit =
    child.signal !== null || child.error !== undefined ? `killed (${child.signal ?? child.error?.message})` : String(child.status);
  return {
    shape: shape.name,
    what: shape.what,
    mib: size / 1024 / 1024,
    seconds,
    cpuSeconds: user + system,
    peakMiB: Number.isFinite(peakKiB) ? peakKiB / 1024 : NaN,
    exit,
    diagnostics,
  };
}

function verdict(r: Result): string {
  const answered = r.exit === "0" || r.exit === "1" || r.exit === "2";
  return answered && r.seconds <= BOUND_SECONDS && r.peakMiB <= BOUND_MIB ? "PASS" : "MISS";
}

function render(results: Result[], command: string, loadAtStart: number): string {
  const cpus = os.cpus();
  const machine = `${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
  return [
    SECTION_START,
    "## Validation bounds: hostile trees",
    "",
    "Generated by `bench/hostile-bench.ts`; do not edit between the markers (rerun instead). Each row is one",
    "`cognito-roster validate --format json` in a fresh process, wall-clock seconds including Node's start-up, and peak",
    `memory as GNU time's maximum resident set size. The bound (issue 9): an answer within ${BOUND_SECONDS} s and ${BOUND_MIB} MB.`,
    "",
    "Seconds is the fastest of the repeats (the run least disturbed by other work on the machine); CPU s is that",
    "run's user + system time, which other load barely changes; peak memory is the highest of the repeats.",
    "",
    "| Shape | What | MiB | Seconds | CPU s | Peak MiB | Exit | Diagnostics | Bound |",
    "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ...results.map(
      (r) =>
        `| ${r.shape} | ${r.what} | ${r.mib.toFixed(1)} | ${r.seconds.toFixed(2)} | ${r.cpuSeconds.toFixed(2)} | ${r.peakMiB.toFixed(0)} | ${r.exit} | ${r.diagnostics} | ${verdict(r)} |`,
    ),
    "",
    `Machine: ${machine}; measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, load average ${loadAtStart.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end (on 2 cores, above about 1 means other work competed and the seconds are pessimistic).`,
    "",
    `Command: \`${command}\``,
    SECTION_END,
  ].join("\n");
}

export function runHostileBench(argv: readonly string[]): void {
  let mb = 10;
  let repeat = 3;
  let only: string[] | undefined;
  let write = true;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--mb") mb = Number(argv[++i]);
    else if (argv[i] === "--repeat") repeat = Math.max(1, Number(argv[++i]));
    else if (argv[i] === "--only") only = (argv[++i] ?? "").split(",");
    else if (argv[i] === "--no-write") write = false;
    else {
      process.stderr.write(
        `bench hostile: unknown argument ${argv[i]}\nusage: node dist/bench/run.js hostile [--mb 10] [--repeat 3] [--only shape,shape] [--no-write]\n`,
      );
      process.exit(2);
    }
  }
  const bytes = Math.floor(mb * 1024 * 1024) - 4096;
  const loadAtStart = os.loadavg()[0];
  const results: Result[] = [];
  for (const shape of SHAPES) {
    if (only !== undefined && !only.includes(shape.name)) continue;
    const r = runShape(shape, bytes, repeat);
    results.push(r);
    process.stdout.write(
      `${verdict(r)} ${r.shape.padEnd(22)} ${r.mib.toFixed(1).padStart(5)} MiB ${r.seconds.toFixed(2).padStart(6)} s (CPU ${r.cpuSeconds.toFixed(2)} s) ${r.peakMiB.toFixed(0).padStart(5)} MiB exit ${r.exit} (${r.diagnostics} diagnostics)\n`,
    );
  }
  if (write && only === undefined) {
    writeMarkedSection(
      BENCHMARKS_FILE,
      { start: SECTION_START, end: SECTION_END },
      render(results, `npx tsc -p . && node dist/bench/run.js hostile ${argv.join(" ")}`.trim(), loadAtStart),
    );
    process.stdout.write(`wrote ${BENCHMARKS_FILE}\n`);
  }
}
