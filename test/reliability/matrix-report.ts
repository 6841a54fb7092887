/**
 * The fault matrix's rows and RELIABILITY.md: what a row holds, how the one line a user sees is picked from a
 * run's output, and the Markdown the test writes. Pure text; no AWS, no emulator.
 */
import type { RunOutput } from "./matrix-world";

export interface MatrixRow {
  fault: string;
  /** How the fault is made (emulator fault, proxy action, state change), for a reader who wants to reproduce it. */
  how: string;
  /** Through the CLI in this process (`main(args)`), or a `roster` process of its own. */
  path: "CLI" | "CLI process";
  sees: string;
  exit: string;
  lost: number;
  duplicated: number;
  /** Re-runs without the fault until the plan had nothing to do; undefined = not converged within the limit. */
  reruns: number | undefined;
  /** Anything the columns cannot say (a hung run, a Failed job left behind, personal data in the line). */
  notes: string[];
}

export const MAX_RERUNS = 3;

/** Progress every run prints, fault or not: never the line that explains a fault. */
const ROUTINE = [
  /^plan for /,
  /^import \d+\/\d+ \(\d+ users?\): (created job|uploading|uploaded|started job|job \S+ (Succeeded|Failed|Stopped|Expired):)/,
  /^import \d+\/\d+ \(\d+ users?\): waiting for job \S+(?: \(at most [^)]*\))?: (Pending|InProgress),/,
];
/** Words of a progress line that says what the run is doing about a fault. */
const FAULT_HANDLING =
  /throttl|retry|retrying|waiting|refused|adopt|stall|gave up|lapsed|fresh upload|another run|another import job|in doubt|not visible|ingest|region|point reads/i;
const EMAIL = /[^\s@:,()]+@[^\s@:,()]+\.[a-z]{2,}/gi;

/**
 * The one line that tells the user what happened. On failure: the command's error line, else the first failed
 * user's line (it carries the reason), else the result line. On success: the first progress line about the fault
 * (routine progress every run prints is skipped), else the result line. Trimmed; personal data is masked (and
 * reported).
 */
export function decisiveLine(out: RunOutput): { line: string; personalData: boolean } {
  const errLines = lines(out.stderr);
  const outLines = lines(out.stdout);
  const result = outLines.find((l) => /^applied to /.test(l));
  let line: string | undefined;
  if (out.code !== 0) {
    line =
      [...errLines].reverse().find((l) => /^roster /.test(l)) ??
      outLines.find((l) => /^failed /.test(l)) ??
      result ??
      errLines[errLines.length - 1];
  } else {
    const telling = errLines.filter((l) => !ROUTINE.some((r) => r.test(l)));
    line = telling.find((l) => FAULT_HANDLING.test(l)) ?? telling[0] ?? result ?? outLines[0];
  }
  return mask(line ?? "(nothing printed)");
}

/** True when the text holds an e-mail address (the roster's progress and results must carry no personal data). */
export function showsPersonalData(text: string): boolean {
  const found = EMAIL.test(text);
  EMAIL.lastIndex = 0;
  return found;
}

/** The last line a killed run printed. */
export function lastLine(out: RunOutput): { line: string; personalData: boolean } {
  const all = [...lines(out.stderr), ...lines(out.stdout)];
  return mask(all[all.length - 1] ?? "(nothing printed)");
}

function mask(line: string): { line: string; personalData: boolean } {
  const personalData = EMAIL.test(line);
  EMAIL.lastIndex = 0;
  const masked = line.replace(EMAIL, "<email>");
  return { line: masked.length > 220 ? `${masked.slice(0, 217)}...` : masked, personalData };
}

function lines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** "N imported" from an apply's result line (0 when it printed none). */
export function importedCount(out: RunOutput): number {
  const m = /^applied to [^:]+: (\d+) imported/m.exec(out.stdout);
  return m ? Number(m[1]) : 0;
}

function rowPasses(row: MatrixRow): boolean {
  return (
    row.lost === 0 && row.duplicated === 0 && row.reruns !== undefined && row.reruns <= 1 && !row.notes.some((n) => n.startsWith("FAIL"))
  );
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/**
 * The matrix runs as several test files, one per family of faults, so jest can spread them. Each file owns one
 * section of RELIABILITY.md (between its markers); the file is the header followed by the sections in this order.
 */
export const MATRIX_FAMILIES = [
  {
    id: "calls",
    file: "matrix-calls.test.ts",
    title: "Every operation the roster sends: the baselines, throttling, 5xx and connection resets",
  },
  {
    id: "jobs",
    file: "matrix-jobs.test.ts",
    title: "Upload and import job: failures, expiry, stuck, stopped, expired, counters and answers",
  },
  { id: "pool", file: "matrix-pool.test.ts", title: "The pool and the records: lag, logs, Region, rebuilt pools, hand edits, clock skew" },
  { id: "lost-answers", file: "matrix-lost-answers.test.ts", title: "Answers lost after the service acted, on every mutating call" },
  { id: "processes", file: "matrix-processes.test.ts", title: "Processes: killed at each step of an import, and two applies at once" },
] as const;

export type MatrixFamilyId = (typeof MATRIX_FAMILIES)[number]["id"];

interface SectionMeta {
  command: string;
  date: string;
  node: string;
  seconds: number;
}

const markers = (id: MatrixFamilyId) => ({ start: `<!-- matrix:${id}:start -->`, end: `<!-- matrix:${id}:end -->` });

function header(command: string): string[] {
  return [
    "# Reliability: the fault matrix",
    "",
    `<!-- Generated by the test files test/reliability/matrix-*.test.ts — do not edit by hand. Regenerate with: ${command} -->`,
    "",
    `**Generated by the tests** \`test/reliability/matrix-*.test.ts\` (\`${command}\`), one section per file.`,
    "Each row runs one fault against the project's Cognito emulator, through the `roster` CLI (`main(args)` in the",
    "test process with stdout/stderr captured and `AWS_ENDPOINT_URL` set, or a `roster` process of its own where the",
    "process is killed or two run at once), then re-runs `cognito-roster plan` / `cognito-roster apply --yes` without the fault until the",
    "plan has nothing to do, and reads the pool back with an unmodified AWS SDK client.",
    "",
    "- **what the user sees**: the one line that tells the user what happened — on failure the error line or the first",
    "  failed user's line, else the progress line about the fault, else the result line; for a killed process, the last",
    "  line it printed. E-mail addresses would be masked (none may appear).",
    "- **users lost**: declared, enabled trainees not in the pool after the re-runs (AdminGetUser, the consistent read).",
    "- **users duplicated**: more than one pool user for one declared trainee, or trainees imported / counted twice",
    "  (the runs' \"N imported\" and the jobs' ImportedUsers against the trainees that were missing).",
    `- **re-runs to converge**: applies after the faulted run until \`cognito-roster plan\` has nothing to do (at most ${MAX_RERUNS}),`,
    "  provided the pool then matches the files (each trainee's enabled state and declared attributes, by AdminGetUser);",
    '  "no" = not converged, including a plan that says "nothing to do" over a pool that differs.',
    '- **codes** (rows marked "codes on": the stack sends the first sign-in code, `sendSignInCode: afterImport`): the',
    "  notes count the codes the emulator delivered, the AdminResetUserPassword requests an independent proxy forwarded",
    "  (the two must agree), codes sent twice to one trainee and imported trainees never sent one (both must be 0).",
    "",
    "Every row must read 0 lost, 0 duplicated and converge after at most one re-run.",
    'Rosters are small (10 trainees; the "change" rows also update, disable and enable; the same kills at 20,000',
    "trainees are a benchmark, BENCHMARKS.md). The engine's own waits run on a fast virtual clock shared with the",
    "emulator; the SDK's retry delays and the spawned processes run in real time.",
  ];
}

/** One family's section of RELIABILITY.md: its title, when and how long it ran, how many rows pass, the table. */
export function renderSection(id: MatrixFamilyId, rows: readonly MatrixRow[], meta: SectionMeta): string {
  const family = MATRIX_FAMILIES.find((f) => f.id === id);
  if (!family) throw new Error(`no matrix family ${id}`);
  const passed = rows.filter(rowPasses).length;
  const lines = [
    markers(id).start,
    `## ${family.title}`,
    "",
    `\`test/reliability/${family.file}\` on ${meta.date}, Node ${meta.node} (this file: ${meta.seconds} s). ${passed} of ${rows.length} rows pass.`,
    "",
    "| fault | how it is made | run | what the user sees | exit | users lost | users duplicated | re-runs to converge | notes |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${cell(r.fault)} | ${cell(r.how)} | ${r.path} | \`${cell(r.sees).replace(/`/g, "'")}\` | ${cell(r.exit)} | ${r.lost} | ${r.duplicated} | ${r.reruns === undefined ? "no" : r.reruns} | ${cell(r.notes.join("; "))} |`,
    ),
    markers(id).end,
  ];
  return lines.join("\n");
}

/** The text of one family's section (markers included), or undefined when the file has none. */
export function sectionOf(markdown: string, id: MatrixFamilyId): string | undefined {
  const { start, end } = markers(id);
  const at = markdown.indexOf(start);
  const to = markdown.indexOf(end);
  return at >= 0 && to > at ? markdown.slice(at, to + end.length) : undefined;
}

/**
 * RELIABILITY.md with one family's section replaced: the header, then every family's section in MATRIX_FAMILIES
 * order (the others as they were in `current`; a family never run yet has none), whatever order the files ran in.
 */
export function withSection(current: string, command: string, id: MatrixFamilyId, section: string): string {
  const sections = MATRIX_FAMILIES.map((f) => (f.id === id ? section : sectionOf(current, f.id))).filter(
    (s): s is string => s !== undefined,
  );
  return `${[...header(command), "", ...sections.flatMap((s) => [s, ""])].join("\n").trimEnd()}\n`;
}
/** The table's rows without the cells that vary from run to run ("what the user sees", notes): compared, not written. */
export function stableRows(markdown: string): string[] {
  return markdown
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| fault |"))
    .map((line) => {
      const cells = line.slice(2, -2).split(" | ");
      return [cells[0], cells[1], cells[2], cells[4], cells[5], cells[6], cells[7]].join(" | ");
    });
}
