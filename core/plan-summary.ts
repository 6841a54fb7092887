/**
 * A plan in one line, as an apply says it before it changes anything: counts only, no personal data.
 */
import { planHasChanges, type RosterPlan } from "./plan";

/** One line, no personal data. */
export function describePlan(plan: RosterPlan): string {
  const updates = plan.update.filter((u) => !u.reportOnly).length;
  const reported = plan.update.length - updates;
  const parts = [
    `${plan.import.length} to import`,
    `${updates} to update`,
    ...(reported > 0 ? [`${reported} differing (report only)`] : []),
    `${plan.disable.length} to disable`,
    `${plan.enable.length} to enable`,
    `${plan.remove.length} no longer declared (${plan.remove[0]?.action ?? "none"})`,
    ...(plan.memberships
      ? [`${plan.memberships.changes.length} group membership change${plan.memberships.changes.length === 1 ? "" : "s"}`]
      : []),
    `${plan.unchanged} unchanged`,
  ];
  return `plan for ${plan.userPoolId}: ${parts.join(", ")}${planHasChanges(plan) ? "" : " — nothing to do"}`;
}
