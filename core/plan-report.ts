/**
 * Renders a plan for people (text, Markdown for pull-request comments) and for tools (JSON, a contract).
 *
 * Usernames appear here because review is the point: the same names are in the pull request's own files, and a
 * removed user is named only from its base's files (core/base-users.ts), never from the pool (a digest otherwise).
 * Attribute values never appear, only attribute names.
 */
import { describeBudget } from "./import-job-budget";
import { messagingCapacity } from "./messaging-capacity";
import type { PlannedRemoval, RosterPlan } from "./plan";
import { type MembershipChange, membershipsByOffice } from "./plan-groups";
import { logLine, markdownCode, visible } from "./untrusted-text";
import { whoGetsOutJson, whoGetsOutSections } from "./plan-report-who-gets-out";

export type PlanFormat = "text" | "markdown" | "json";

export interface PlanReportExtras {
  awsCalls: number;
  readStrategy?: string;
}

/** The JSON contract of `cognito-roster plan --format json`. */
function planToJson(plan: RosterPlan, extras: PlanReportExtras): object {
  const entry = (p: { username: string; file: string; line: number }) => ({ username: p.username, file: p.file, line: p.line });
  return {
    userPoolId: plan.userPoolId,
    import: plan.import.map(entry),
    update: plan.update.map((u) => ({ ...entry(u), attributes: u.attributes, ...(u.reportOnly ? { reportOnly: true } : {}) })),
    disable: plan.disable.map(entry),
    enable: plan.enable.map(entry),
    remove: plan.remove.map(removalToJson),
    ...(plan.memberships ? { memberships: membershipsToJson(plan) } : {}),
    unchanged: plan.unchanged,
    awsCalls: extras.awsCalls,
    ...(plan.signInCodes !== undefined ? { signInCodes: plan.signInCodes } : {}),
    ...whoGetsOutJson(plan),
    ...(plan.importJobs ? { importJobs: plan.importJobs } : {}),
    ...messagingJson(plan),
    ...(plan.signInCodeLedger ? { signInCodeLedger: plan.signInCodeLedger } : {}),
    ...(plan.refused ? { refused: plan.refused } : {}),
  };
}

/**
 * Text or Markdown for people. What needs a reviewer's attention comes first (removals, disables, group grants and
 * revocations, attribute updates, enables) and imports last, after the summary, so a plan cut for length (see
 * .github/scripts/plan-comment.js) loses imports only. Every value from the files or the pool is shown the one
 * way core/untrusted-text.ts shows it: in Markdown a code span GitHub renders literally, in text one visible line
 * that cannot be a workflow command. Every Markdown line starts with text of ours (`#`, `-`, `>` or a number), never
 * with a value.
 */
export function renderPlan(plan: RosterPlan, format: PlanFormat, extras: PlanReportExtras): string {
  if (format === "json") return `${JSON.stringify(planToJson(plan, extras), null, 2)}\n`;
  const md = format === "markdown";
  const show = md ? markdownCode : visible;
  const lines: string[] = [];
  const heading = (text: string) => lines.push(md ? `\n#### ${text}\n` : `\n${text}:`);
  const item = (text: string) => lines.push(md ? `- ${text}` : logLine(`  ${text}`));
  const place = (p: { username: string; file: string; line: number }) =>
    md
      ? `${show(p.username)} (${markdownCode(`${visible(p.file)}:${p.line}`, Number.POSITIVE_INFINITY)})`
      : `${show(p.username)}  (${show(p.file)}:${p.line})`;

  lines.push(md ? `### cognito-roster plan for ${show(plan.userPoolId)}` : logLine(`cognito-roster plan for ${plan.userPoolId}`));
  if (plan.refused)
    lines.push(md ? `\n> **Refused:** ${show(plan.refused, REFUSAL_SHOWN)}` : `\nREFUSED: ${visible(plan.refused, REFUSAL_SHOWN)}`);
  lines.push(`\n${planSummary(plan, extras)}`);
  lines.push(...messagingLines(plan, md));
  if (plan.signInCodes !== undefined && plan.signInCodes > 0) {
    const codes = `${plan.signInCodes} trainee${plan.signInCodes === 1 ? "" : "s"} will receive a sign-in code`;
    lines.push(md ? `\n${codes}` : codes);
  }
  const ledger = plan.signInCodeLedger;
  if (ledger && ledger.awaiting + ledger.sent + ledger.unknown + ledger.refused > 0) {
    const so =
      `sign-in codes so far: ${ledger.sent} sent (${ledger.unknown} of them unanswered, possibly sent), ` +
      `${ledger.refused} refused, ${ledger.awaiting} owed if an interrupted run's import job created them`;
    lines.push(md ? `\n${so}` : so);
  }
  const sections: [string, string[]][] = [
    [
      `No longer declared (${plan.remove.length})`,
      plan.remove.map((r) => `${r.declaredAtBase ? place(r.declaredAtBase) : `user ${r.usernameDigest}`}: ${r.action}`),
    ],
    [`Disable (${plan.disable.length})`, plan.disable.map(place)],
    ...membershipSections(plan, place, show),
    [
      `Update attributes (${plan.update.length})`,
      plan.update.map((u) => `${place(u)}: ${u.attributes.map((a) => show(a)).join(", ")}${u.reportOnly ? " (report only)" : ""}`),
    ],
    [`Enable (${plan.enable.length})`, plan.enable.map(place)],
    ...whoGetsOutSections(plan, place, show),
    // Last, always: a comment too long for GitHub is cut here and nowhere else.
    [`Import (${plan.import.length})`, plan.import.map(place)],
  ];
  for (const [title, items] of sections) {
    if (items.length === 0) continue;
    heading(title);
    items.forEach(item);
  }
  if (plan.importJobs) lines.push(md ? `\n**${describeBudget(plan.importJobs)}**` : describeBudget(plan.importJobs));
  return `${lines.join("\n")}\n`;
}

/** The `messaging` of the JSON contract: the comparison, with values as read (JSON carries the exact text). */
function messagingJson(plan: RosterPlan): { messaging?: object } {
  const capacity = plan.messaging ? messagingCapacity(plan.messaging) : undefined;
  return capacity ? { messaging: capacity } : {};
}

/** The messaging warnings and notes, near the top: values read from the pool or AWS shown the one way (untrusted-text). */
function messagingLines(plan: RosterPlan, md: boolean): string[] {
  const capacity = plan.messaging ? messagingCapacity(plan.messaging, md ? markdownCode : visible) : undefined;
  if (!capacity) return [];
  return [
    ...capacity.warnings.map((w) =>
      md ? `\n> **Warning, messaging capacity:** ${w}` : `\n${logLine(`WARNING (messaging capacity): ${w}`)}`,
    ),
    ...capacity.notes.map((n) => (md ? `\n> ${n}` : `\n${logLine(`messaging: ${n}`)}`)),
  ];
}

/** A refusal is a sentence of ours quoting values: longer than one value, still bounded. */
const REFUSAL_SHOWN = 1000;

type Place = (p: { username: string; file: string; line: number }) => string;

/**
 * One section per office; one line per change saying what it does, so an add and a remove never look alike:
 * "adds to `kss-admins`: `ann@example.com` (`users/kss/a.yaml:3`)", "removes from `trainees`: …".
 */
function membershipSections(plan: RosterPlan, place: Place, show: (text: string) => string): [string, string[]][] {
  if (!plan.memberships) return [];
  const removalOf = removalsByUsername(plan);
  const who = (c: MembershipChange) => {
    if (c.file !== undefined) return place({ username: c.username, file: c.file, line: c.line ?? 0 });
    // A user no longer declared: named from the base's files only, never from the pool.
    const removal = removalOf.get(c.username);
    return removal?.declaredAtBase ? place(removal.declaredAtBase) : `user ${removal?.usernameDigest ?? "(unknown)"}`;
  };
  const sections: [string, string[]][] = [];
  for (const [office, { add, remove }] of membershipsByOffice(plan.memberships)) {
    const label = office === "" ? "users no longer declared" : `office ${show(office)}`;
    sections.push([
      `Group memberships, ${label} (${add.length} to add, ${remove.length} to remove)`,
      [
        ...remove.map((c) => `removes from ${show(c.group)}: ${who(c)}`),
        ...add.map((c) => `adds to ${show(c.group)}: ${who(c)}${c.afterImport ? " (after import)" : ""}`),
      ],
    ]);
  }
  return sections;
}

function planSummary(plan: RosterPlan, extras: PlanReportExtras): string {
  const strategy =
    extras.readStrategy && extras.readStrategy !== "none"
      ? ` (${extras.readStrategy === "scan" ? "one ListUsers scan" : "point reads"})`
      : "";
  return (
    `${plan.import.length} to import, ${plan.update.length} to update, ${plan.disable.length} to disable, ` +
    `${plan.enable.length} to enable, ${plan.remove.length} no longer declared, ${membershipSummary(plan)}` +
    `${plan.unchanged} unchanged; ${extras.awsCalls} AWS call${extras.awsCalls === 1 ? "" : "s"}${strategy}`
  );
}

/**
 * A removal in the JSON contract: named (`username`, `file`, `line`) only from the pull request's base files
 * (`declaredAtBase`), never from the pool; `username` is null when the base was not given or does not declare it.
 */
function removalToJson(r: PlannedRemoval): object {
  const base = r.declaredAtBase;
  return {
    username: base?.username ?? null,
    usernameDigest: r.usernameDigest,
    action: r.action,
    ...(base ? { file: base.file, line: base.line } : {}),
    ...(r.replacedBy !== undefined ? { replacedBy: r.replacedBy } : {}),
  };
}

/** The plan's removals by the pool username apply acts on (which is never shown: see removalToJson). */
function removalsByUsername(plan: RosterPlan): Map<string, RosterPlan["remove"][number]> {
  return new Map(plan.remove.filter((r) => r.username !== undefined).map((r) => [r.username as string, r]));
}

/**
 * Memberships in the JSON contract: per office, the adds and removes (one entry per user and group). A user no
 * longer declared is named as its removal is: from the base's files, else by digest.
 */
function membershipsToJson(plan: RosterPlan): Record<string, { add: object[]; remove: object[] }> {
  const out: Record<string, { add: object[]; remove: object[] }> = {};
  const removalOf = removalsByUsername(plan);
  const who = (c: MembershipChange) => {
    if (c.file !== undefined) return { username: c.username, file: c.file, line: c.line };
    const removal = removalOf.get(c.username);
    const base = removal?.declaredAtBase;
    return base
      ? { username: base.username, file: base.file, line: base.line }
      : { username: null, usernameDigest: removal?.usernameDigest };
  };
  const entry = (c: MembershipChange) => ({
    ...who(c),
    group: c.group,
    ...(c.afterImport ? { afterImport: true } : {}),
  });
  for (const [office, { add, remove }] of membershipsByOffice(plan.memberships ?? { changes: [], checked: 0 }))
    out[office] = { add: add.map(entry), remove: remove.map(entry) };
  return out;
}

function membershipSummary(plan: RosterPlan): string {
  if (!plan.memberships) return "";
  const adds = plan.memberships.changes.filter((c) => c.action === "add").length;
  return `${adds} group membership${adds === 1 ? "" : "s"} to add, ${plan.memberships.changes.length - adds} to remove, `;
}
