/**
 * Renders a plan for people (text, Markdown for pull-request comments) and for tools (JSON, a contract).
 *
 * Usernames appear here because review is the point: the same names are in the pull request's own files, and a
 * removed user is named only from its base's files (core/base-users.ts), never from the pool (a digest otherwise).
 * Attribute values never appear, only attribute names.
 */
import type { PlannedRemoval, RosterPlan } from "./plan";
import { type MembershipChange, membershipsByOffice } from "./plan-groups";

export type PlanFormat = "text" | "markdown" | "json";

export interface PlanReportExtras {
  awsCalls: number;
  readStrategy?: string;
}

/** The JSON contract of `roster plan --format json`. */
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
    ...(plan.signInCodeLedger ? { signInCodeLedger: plan.signInCodeLedger } : {}),
    ...(plan.refused ? { refused: plan.refused } : {}),
  };
}

export function renderPlan(plan: RosterPlan, format: PlanFormat, extras: PlanReportExtras): string {
  if (format === "json") return `${JSON.stringify(planToJson(plan, extras), null, 2)}\n`;
  const md = format === "markdown";
  const lines: string[] = [];
  const heading = (text: string) => lines.push(md ? `\n#### ${text}\n` : `\n${text}:`);
  const item = (text: string) => lines.push(md ? `- ${text}` : `  ${text}`);
  const place = (p: { username: string; file: string; line: number }) =>
    md ? `\`${p.username}\` (${p.file}:${p.line})` : `${p.username}  (${p.file}:${p.line})`;

  lines.push(md ? `### cognito-roster plan for \`${plan.userPoolId}\`` : `cognito-roster plan for ${plan.userPoolId}`);
  if (plan.refused) lines.push(md ? `\n> **Refused:** ${plan.refused}` : `\nREFUSED: ${plan.refused}`);
  const sections: [string, string[]][] = [
    [`Import (${plan.import.length})`, plan.import.map(place)],
    [
      `Update attributes (${plan.update.length})`,
      plan.update.map((u) => `${place(u)}: ${u.attributes.join(", ")}${u.reportOnly ? " (report only)" : ""}`),
    ],
    [`Disable (${plan.disable.length})`, plan.disable.map(place)],
    [`Enable (${plan.enable.length})`, plan.enable.map(place)],
    [
      `No longer declared (${plan.remove.length})`,
      plan.remove.map((r) => `${r.declaredAtBase ? place(r.declaredAtBase) : `user ${r.usernameDigest}`}: ${r.action}`),
    ],
  ];
  const removalOf = removalsByUsername(plan);
  for (const [office, { add, remove }] of plan.memberships ? membershipsByOffice(plan.memberships) : []) {
    const who = (c: MembershipChange) => {
      if (c.file !== undefined) return place({ username: c.username, file: c.file, line: c.line ?? 0 });
      // A user no longer declared: named from the base's files only, never from the pool.
      const removal = removalOf.get(c.username);
      return removal?.declaredAtBase ? place(removal.declaredAtBase) : `user ${removal?.usernameDigest ?? "(unknown)"}`;
    };
    const label = office === "" ? "users no longer declared" : `office ${md ? `\`${office}\`` : office}`;
    sections.push([
      `Group memberships, ${label} (${add.length} to add, ${remove.length} to remove)`,
      [
        ...add.map((c) => `+ ${c.group}: ${who(c)}${c.afterImport ? " (after import)" : ""}`),
        ...remove.map((c) => `- ${c.group}: ${who(c)}`),
      ],
    ]);
  }
  for (const [title, items] of sections) {
    if (items.length === 0) continue;
    heading(title);
    items.forEach(item);
  }
  const summary = `${plan.import.length} to import, ${plan.update.length} to update, ${plan.disable.length} to disable, ${plan.enable.length} to enable, ${plan.remove.length} no longer declared, ${membershipSummary(plan)}${plan.unchanged} unchanged; ${extras.awsCalls} AWS call${extras.awsCalls === 1 ? "" : "s"}${extras.readStrategy && extras.readStrategy !== "none" ? ` (${extras.readStrategy === "scan" ? "one ListUsers scan" : "point reads"})` : ""}`;
  lines.push(md ? `\n${summary}` : `\n${summary}`);
  if (plan.signInCodes !== undefined && plan.signInCodes > 0) {
    const codes = `${plan.signInCodes} trainee${plan.signInCodes === 1 ? "" : "s"} will receive a sign-in code`;
    lines.push(md ? `\n${codes}` : codes);
  }
  const ledger = plan.signInCodeLedger;
  if (ledger && ledger.awaiting + ledger.sent + ledger.unknown + ledger.refused > 0) {
    const so = `sign-in codes so far: ${ledger.sent} sent (${ledger.unknown} of them unanswered, possibly sent), ${ledger.refused} refused, ${ledger.awaiting} owed if an interrupted run's import job created them`;
    lines.push(md ? `\n${so}` : so);
  }
  return `${lines.join("\n")}\n`;
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
