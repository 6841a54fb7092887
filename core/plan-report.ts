/**
 * Renders a plan for people (text, Markdown for pull-request comments) and for tools (JSON, a contract).
 *
 * Usernames appear here because review is the point: the same names are in the pull request's own files.
 * Attribute values never appear, only attribute names.
 */
import type { RosterPlan } from "./plan";

export type PlanFormat = "text" | "markdown" | "json";

export interface PlanReportExtras {
  awsCalls: number;
  readStrategy?: string;
}

/** The JSON contract of `roster plan --format json`. */
export function planToJson(plan: RosterPlan, extras: PlanReportExtras): object {
  const entry = (p: { username: string; file: string; line: number }) => ({ username: p.username, file: p.file, line: p.line });
  return {
    userPoolId: plan.userPoolId,
    import: plan.import.map(entry),
    update: plan.update.map((u) => ({ ...entry(u), attributes: u.attributes, ...(u.reportOnly ? { reportOnly: true } : {}) })),
    disable: plan.disable.map(entry),
    enable: plan.enable.map(entry),
    remove: plan.remove.map((r) => ({ username: r.username ?? null, usernameDigest: r.usernameDigest, action: r.action })),
    unchanged: plan.unchanged,
    awsCalls: extras.awsCalls,
    ...(plan.refused ? { refused: plan.refused } : {}),
  };
}

export function renderPlan(plan: RosterPlan, format: PlanFormat, extras: PlanReportExtras): string {
  if (format === "json") return `${JSON.stringify(planToJson(plan, extras), null, 2)}\n`;
  const md = format === "markdown";
  const lines: string[] = [];
  const heading = (text: string) => lines.push(md ? `\n#### ${text}\n` : `\n${text}:`);
  const item = (text: string) => lines.push(md ? `- ${text}` : `  ${text}`);
  const place = (p: { username: string; file: string; line: number }) => (md ? `\`${p.username}\` (${p.file}:${p.line})` : `${p.username}  (${p.file}:${p.line})`);

  lines.push(md ? `### cognito-roster plan for \`${plan.userPoolId}\`` : `cognito-roster plan for ${plan.userPoolId}`);
  if (plan.refused) lines.push(md ? `\n> **Refused:** ${plan.refused}` : `\nREFUSED: ${plan.refused}`);
  const sections: [string, string[]][] = [
    [`Import (${plan.import.length})`, plan.import.map(place)],
    [`Update attributes (${plan.update.length})`, plan.update.map((u) => `${place(u)}: ${u.attributes.join(", ")}${u.reportOnly ? " (report only)" : ""}`)],
    [`Disable (${plan.disable.length})`, plan.disable.map(place)],
    [`Enable (${plan.enable.length})`, plan.enable.map(place)],
    [`No longer declared (${plan.remove.length})`, plan.remove.map((r) => `${r.username ?? `user ${r.usernameDigest}`}: ${r.action}`)],
  ];
  for (const [title, items] of sections) {
    if (items.length === 0) continue;
    heading(title);
    items.forEach(item);
  }
  const summary = `${plan.import.length} to import, ${plan.update.length} to update, ${plan.disable.length} to disable, ${plan.enable.length} to enable, ${plan.remove.length} no longer declared, ${plan.unchanged} unchanged; ${extras.awsCalls} AWS call${extras.awsCalls === 1 ? "" : "s"}${extras.readStrategy && extras.readStrategy !== "none" ? ` (${extras.readStrategy === "scan" ? "one ListUsers scan" : "point reads"})` : ""}`;
  lines.push(md ? `\n${summary}` : `\n${summary}`);
  return `${lines.join("\n")}\n`;
}
