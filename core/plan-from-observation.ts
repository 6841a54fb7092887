/**
 * A run's plan from what it observed (engine/plan-roster.ts observes): core/plan.ts's changes under the stack's
 * policies, and — with `sendSignInCode: afterImport` — the first sign-in codes it owes and the ledger's counts
 * (core/sign-in-code-plan.ts). Pure: the plan is built whole here, then frozen.
 */
import type { PlanInputs, RosterPlan } from "./plan";
import { planChanges, withPlanParts } from "./plan";
import type { PoolProfile } from "./profile";
import type { SignInCodeRecord } from "./sign-in-code-record";
import { plannedSignInCodes } from "./sign-in-code-plan";

/** What the run observed and the record it started from, as core/plan.ts takes them. */
export type Observed = Pick<PlanInputs, "declared" | "observed" | "previous" | "removedPoolUsers" | "removedMemberships">;

/**
 * The plan, with the sign-in codes it owes when the stack sends them. `codes.record` is the last apply's record,
 * trusted only while it is bound to `codes.pool` (DescribeUserPool's Arn and CreationDate).
 */
export function planFromObservation(
  profile: PoolProfile,
  observed: Observed,
  codes: { record: SignInCodeRecord | undefined; pool: { arn: string; createdAt: number } },
): RosterPlan {
  const plan = planChanges({
    userPoolId: profile.userPoolId,
    ...observed,
    caseSensitive: profile.usernameCaseSensitive,
    attributeChanges: profile.attributeChanges,
    removedUsers: profile.removedUsers,
    maxRemovalFraction: profile.maxRemovalFraction,
  });
  if (profile.sendSignInCode !== "afterImport") return plan;
  const owed = plannedSignInCodes(
    profile.userPoolId,
    profile.usernameCaseSensitive,
    plan.import.map((p) => p.user),
    observed.declared,
    codes.record,
    codes.pool,
  );
  const signInCodeLedger = { awaiting: owed.awaiting, sent: owed.sent, unknown: owed.unknown, refused: owed.refused };
  return withPlanParts(plan, { signInCodes: owed.owed, signInCodeLedger });
}
