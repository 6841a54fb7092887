import { namedFromBase } from "../../core/base-users";
import { type PlanInputs, planChanges, type RosterPlan, withPlanParts } from "../../core/plan";
import type { MembershipChange } from "../../core/plan-groups";
import type { PoolUser } from "../../core/pool-user";
import { applyRenames, withHeldReplaces } from "../../core/renames";
import { usernameDigest } from "../../core/user-digest";
import { declaredUser as declared } from "../support/declared-trainee";

const POOL = "eu-west-2_Froz00000";

function poolUser(username: string, sub: string): PoolUser {
  return { username, enabled: true, status: "CONFIRMED", attributes: { email: username, email_verified: "true", given_name: "Test", sub } };
}

const NEW = declared("new@example.com");
const OLD = "old@example.com";
const OLD_DIGEST = usernameDigest(POOL, OLD, false);

/** One user to import and one no longer declared (still enabled), the removal policy `disable`. */
function basePlan(): RosterPlan {
  const inputs: PlanInputs = {
    userPoolId: POOL,
    declared: [NEW],
    observed: new Map([["new@example.com", null]]),
    previous: { [OLD_DIGEST]: "a:b" },
    removedPoolUsers: new Map([[OLD_DIGEST, poolUser(OLD, "sub-old")]]),
    caseSensitive: false,
    attributeChanges: "update",
    removedUsers: "disable",
    maxRemovalFraction: 1,
  };
  return planChanges(inputs);
}

function leaving(username: string, file?: string): MembershipChange {
  return { action: "remove", group: "trainees", username, office: file === undefined ? "" : "office", ...(file ? { file, line: 1 } : {}) };
}

describe("a plan is frozen", () => {
  test("planChanges returns a plan whose fields, lists and removals cannot be changed", () => {
    const plan = basePlan();
    expect(plan.import.map((p) => p.username)).toEqual(["new@example.com"]);
    expect(plan.remove.map((r) => r.username)).toEqual([OLD]);
    expect(() => {
      // @ts-expect-error the plan's fields are readonly
      plan.signInCodes = 3;
    }).toThrow(TypeError);
    expect(() => {
      // @ts-expect-error the plan's lists are readonly
      plan.import.push(plan.import[0]);
    }).toThrow(TypeError);
    expect(() => {
      // @ts-expect-error a removal's fields are readonly
      plan.remove[0].held = true;
    }).toThrow(TypeError);
    expect(plan.signInCodes).toBeUndefined();
    expect(plan.import).toHaveLength(1);
    expect(plan.remove[0].held).toBeUndefined();
  });

  test("withPlanParts returns a new frozen plan, leaving the one given as it was and undefined parts out", () => {
    const plan = basePlan();
    const next = withPlanParts(plan, { signInCodes: 1, importJobs: undefined });
    expect(next).not.toBe(plan);
    expect(next.signInCodes).toBe(1);
    expect("importJobs" in next).toBe(false);
    expect(plan.signInCodes).toBeUndefined();
    expect(Object.isFrozen(next)).toBe(true);
    expect(next.import).toBe(plan.import);
  });
});

describe("steps after planning return a new plan", () => {
  test("a replace rename marks the old account disabled and replaced, in the new plan only", () => {
    const plan = basePlan();
    const removal = plan.remove[0];
    const renamed = applyRenames(plan, [{ user: NEW, removal, pool: poolUser(OLD, "sub-old") }], "replace", "update");
    expect(renamed.remove).toEqual([{ ...removal, action: "disable", replacedBy: "new@example.com" }]);
    expect(renamed.renames).toEqual([
      { username: "new@example.com", file: "users/office/a.yaml", line: 1, fromDigest: OLD_DIGEST, mode: "replace" },
    ]);
    expect(renamed.import).toEqual(plan.import);
    expect(plan.remove[0]).toBe(removal);
    expect(removal.replacedBy).toBeUndefined();
    expect(plan.renames).toBeUndefined();
  });

  test("an in-place rename updates the old account instead of importing and removing", () => {
    const plan = basePlan();
    const renamed = applyRenames(plan, [{ user: NEW, removal: plan.remove[0], pool: poolUser(OLD, "sub-old") }], "update", "update");
    expect(renamed.import).toEqual([]);
    expect(renamed.remove).toEqual([]);
    expect(renamed.update.map((u) => [u.username, u.handle, u.attributes])).toEqual([["new@example.com", OLD, ["email"]]]);
    expect(plan.import).toHaveLength(1);
    expect(plan.remove).toHaveLength(1);
    expect(plan.update).toEqual([]);
  });

  test.each([
    ["its successor was not imported: held, and its leaving of the groups taken out", ["new@example.com"], true, 1],
    ["its successor was imported: disabled as planned", [], undefined, 2],
  ])("a replace whose %s", (_why, notImported, held, changes) => {
    const removal = basePlan().remove[0];
    const plan = withPlanParts(basePlan(), {
      remove: [{ ...removal, action: "disable", replacedBy: "new@example.com" }],
      memberships: { changes: [leaving(OLD), leaving(OLD, "users/office/a.yaml")], checked: 1 },
    });
    const next = withHeldReplaces(plan, new Set(notImported));
    expect(next.remove[0].held).toBe(held);
    expect(next.memberships?.changes).toHaveLength(changes);
    expect(plan.remove[0].held).toBeUndefined();
    expect(plan.memberships?.changes).toHaveLength(2);
    if (held === undefined) expect(next).toBe(plan);
  });

  test("naming removals from the base returns a new plan and the count named", () => {
    const plan = basePlan();
    const base = new Map([[OLD_DIGEST, { username: OLD, file: "users/office/old.yaml", line: 4 }]]);
    const { plan: named, named: count } = namedFromBase(plan, base);
    expect(count).toBe(1);
    expect(named.remove[0].declaredAtBase).toEqual({ username: OLD, file: "users/office/old.yaml", line: 4 });
    expect(plan.remove[0].declaredAtBase).toBeUndefined();
  });
});
