/**
 * Activation (issue 19.3): which trainees have never signed in, per office. Pure: the declared users (their file
 * names the office: `<users folder>/<office>/…`), the pool's never-signed-in users, the time now and the filters in;
 * a report out, rendered as text, markdown or JSON. Users the pool has and the roster does not declare are counted,
 * never named (they are not the roster's).
 */
import type { DeclaredUser } from "./declared-user";
import { normalizeUsername } from "./user-digest";

export interface Straggler {
  username: string;
  createdAt: number;
}

interface ActivationEntry {
  username: string;
  file: string;
  line: number;
  /** ISO date (yyyy-mm-dd) the user was created in the pool. */
  created: string;
  /** Whole days since then. */
  days: number;
}

export interface ActivationReport {
  userPoolId: string;
  /** Office folder → its trainees who never signed in, oldest first. */
  offices: Record<string, ActivationEntry[]>;
  /** Never-signed-in users of the pool the roster does not declare (left out: not the roster's). */
  notDeclared: number;
  /** The --older-than filter in days (0: none). */
  olderThanDays: number;
}

const DAY_MS = 86_400_000;

export function activationReport(input: {
  userPoolId: string;
  usersDir: string;
  declared: readonly DeclaredUser[];
  stragglers: readonly Straggler[];
  caseSensitive: boolean;
  now: number;
  olderThanDays: number;
  office?: string;
}): ActivationReport {
  const byName = new Map(input.declared.map((u) => [normalizeUsername(u.username, input.caseSensitive), u]));
  const prefix = `${input.usersDir.replace(/\/$/, "")}/`;
  const offices: Record<string, ActivationEntry[]> = {};
  let notDeclared = 0;
  for (const s of input.stragglers) {
    const user = byName.get(normalizeUsername(s.username, input.caseSensitive));
    if (!user) {
      notDeclared++;
      continue;
    }
    const days = Math.floor((input.now - s.createdAt) / DAY_MS);
    if (days < input.olderThanDays) continue;
    const relative = user.source.file.startsWith(prefix) ? user.source.file.slice(prefix.length) : user.source.file;
    const office = relative.includes("/") ? relative.slice(0, relative.indexOf("/")) : "(top level)";
    if (input.office !== undefined && office !== input.office) continue;
    const entry = {
      username: user.username,
      file: user.source.file,
      line: user.source.line,
      created: new Date(s.createdAt).toISOString().slice(0, 10),
      days,
    };
    const list = offices[office] ?? [];
    list.push(entry);
    offices[office] = list;
  }
  for (const list of Object.values(offices)) list.sort((a, b) => b.days - a.days || (a.username < b.username ? -1 : 1));
  const sorted = Object.fromEntries(Object.entries(offices).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { userPoolId: input.userPoolId, offices: sorted, notDeclared, olderThanDays: input.olderThanDays };
}

export function renderActivation(report: ActivationReport, format: "text" | "markdown" | "json"): string {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  const total = Object.values(report.offices).reduce((n, list) => n + list.length, 0);
  const since = report.olderThanDays > 0 ? ` for at least ${report.olderThanDays} day${report.olderThanDays === 1 ? "" : "s"}` : "";
  const lines: string[] = [];
  if (format === "markdown") {
    lines.push(`### Trainees who have never signed in${since} (${report.userPoolId}): ${total}`, "");
    lines.push("| office | never signed in |", "|---|---:|");
    for (const [office, list] of Object.entries(report.offices)) lines.push(`| ${office} | ${list.length} |`);
    for (const [office, list] of Object.entries(report.offices)) {
      lines.push("", `#### ${office}`, "", "| trainee | declared at | in the pool since | days |", "|---|---|---|---:|");
      for (const e of list) lines.push(`| ${e.username} | \`${e.file}:${e.line}\` | ${e.created} | ${e.days} |`);
    }
  } else {
    lines.push(`${total} trainee(s) of ${report.userPoolId} have never signed in${since}`);
    for (const [office, list] of Object.entries(report.offices)) {
      lines.push(`${office}: ${list.length}`);
      for (const e of list) lines.push(`  ${e.file}:${e.line}: ${e.username} (in the pool since ${e.created}, ${e.days} days)`);
    }
  }
  if (report.notDeclared > 0) lines.push("", `${report.notDeclared} more in the pool that the roster does not declare (not listed)`);
  return `${lines.join("\n")}\n`;
}
