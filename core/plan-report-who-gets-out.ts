/**
 * The plan report's sections for who gets in late and who gets out (issue 16): renames, moves between offices,
 * removals paired with additions in one file, and the dates due per office — in text/Markdown (given the report's
 * own way of placing a user, so its escaping applies) and in the JSON contract. core/plan-report.ts calls these.
 */
import type { RosterPlan } from "./plan";
import { type PlannedRename, sameFilePairs } from "./renames";

type Place = (p: { username: string; file: string; line: number }) => string;
/** The report's one way to show an untrusted value (core/untrusted-text.ts, as the report's format needs it). */
type Show = (text: string) => string;

/** Sections as [title, items]; an empty section is not shown. */
export function whoGetsOutSections(plan: RosterPlan, place: Place, show: Show): [string, string[]][] {
  const sections: [string, string[]][] = [];
  const officeName = show;
  const from = (r: PlannedRename) => (r.fromBase ? place(r.fromBase) : `user ${r.fromDigest}`);
  sections.push([
    `Renamed (${plan.renames?.length ?? 0})`,
    (plan.renames ?? []).map(
      (r) =>
        `${from(r)} → ${place(r)}: ` +
        (r.mode === "update"
          ? "updated in place (same account, same sub)"
          : "replace: the new account is imported and given the groups, then the old one is disabled"),
    ),
  ]);
  const approvals = (owners: string[], office: string) =>
    owners.length > 0 ? owners.map((owner) => show(owner)).join(" ") : `nobody: no CODEOWNERS entry of office ${officeName(office)}'s own`;
  sections.push([
    `Moves between offices (${plan.moves?.length ?? 0})`,
    (plan.moves ?? []).map(
      (m) =>
        `${place(m)} from ${show(`${m.from.file}:${m.from.line}`)} (office ${officeName(m.fromOffice)} → ${officeName(m.toOffice)})` +
        (m.owners
          ? `; needs the approval of both: ${approvals(m.owners.from, m.fromOffice)} and ${approvals(m.owners.to, m.toOffice)}`
          : ""),
    ),
  ]);
  const pairs = sameFilePairs(plan);
  sections.push([
    `Removed and added in the same file (${pairs.length}): is this the same person? set identityAttribute`,
    pairs.map(({ removal, added }) => `- ${removal.declaredAtBase ? place(removal.declaredAtBase) : ""} ↔ + ${place(added)}`),
  ]);
  for (const office of [...new Set((plan.dates?.due ?? []).map((d) => d.office))].sort()) {
    const due = (plan.dates?.due ?? []).filter((d) => d.office === office);
    const label = office === "" ? "the users folder" : `office ${officeName(office)}`;
    sections.push([
      `Dates due, ${label} (today ${show(plan.dates?.today ?? "")} in ${show(plan.dates?.timeZone ?? "")})`,
      due.map((d) => `${d.kind === "start" ? "starts" : "ends"} ${show(d.date)}: ${place(d)}`),
    ]);
  }
  return sections;
}

/** The JSON contract's `dates`, `renames`, `moves` and `sameFile`, each only when there is something to say. */
export function whoGetsOutJson(plan: RosterPlan): object {
  const pairs = sameFilePairs(plan);
  return {
    ...(plan.dates ? { dates: datesToJson(plan) } : {}),
    ...(plan.renames ? { renames: plan.renames.map(renameToJson) } : {}),
    ...(plan.moves ? { moves: plan.moves } : {}),
    ...(pairs.length > 0
      ? {
          sameFile: pairs.map(({ removal, added }) => ({
            removed: removal.declaredAtBase,
            added: { username: added.username, file: added.file, line: added.line },
          })),
        }
      : {}),
  };
}

/** A rename: the new user, and the old one named from the base's files only (`from`), else by digest. */
function renameToJson(r: PlannedRename): object {
  const { fromBase, ...rest } = r;
  return { ...rest, from: fromBase ?? null };
}

/** Starts and ends due, per office: `{"today", "timeZone", "offices": {"<office>": {"starts": [...], "ends": [...]}}}`. */
function datesToJson(plan: RosterPlan): object {
  const offices: Record<string, { starts: object[]; ends: object[] }> = {};
  for (const d of plan.dates?.due ?? []) {
    offices[d.office] ??= { starts: [], ends: [] };
    offices[d.office][d.kind === "start" ? "starts" : "ends"].push({ username: d.username, file: d.file, line: d.line, date: d.date });
  }
  return { today: plan.dates?.today, timeZone: plan.dates?.timeZone, offices };
}
