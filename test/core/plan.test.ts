import { changedSinceLastApply, planChanges, planHasChanges, removedDigests, type PlanInputs } from "../../core/plan";
import type { PoolUser } from "../../core/pool-user";
import { digestDeclaredUsers, usernameDigest } from "../../core/user-digest";
import { chooseReadStrategy } from "../../core/read-strategy";
import { declaredUser as declared } from "../support/declared-trainee";

const POOL = "eu-west-2_Plan00000";

function pool(username: string, attributes: Record<string, string> = {}, enabled = true): PoolUser {
  return {
    username,
    enabled,
    status: "RESET_REQUIRED",
    attributes: { email: username, email_verified: "true", given_name: "Test", sub: "x", ...attributes },
  };
}

function inputs(over: Partial<PlanInputs>): PlanInputs {
  return {
    userPoolId: POOL,
    declared: [],
    observed: new Map(),
    removedPoolUsers: new Map(),
    caseSensitive: false,
    attributeChanges: "update",
    removedUsers: "retain",
    maxRemovalFraction: 0.25,
    ...over,
  };
}

describe("planChanges", () => {
  const a = declared("a@example.com");
  const b = declared("b@example.com", {}, 2);

  test.each([
    [
      "a declared user missing from the pool is imported",
      inputs({ declared: [a], observed: new Map([["a@example.com", null]]) }),
      { import: 1, unchanged: 0 },
    ],
    [
      "an equal pool user is unchanged",
      inputs({ declared: [a], observed: new Map([["a@example.com", pool("a@example.com")]]) }),
      { import: 0, unchanged: 1 },
    ],
    [
      "a user not looked up counts as unchanged",
      inputs({ declared: [a, b], observed: new Map([["a@example.com", null]]) }),
      { import: 1, unchanged: 1 },
    ],
    [
      "a differing attribute is an update naming the attribute",
      inputs({ declared: [a], observed: new Map([["a@example.com", pool("a@example.com", { given_name: "Other" })]]) }),
      { update: 1 },
    ],
    [
      "a leaver still enabled in the pool is disabled",
      inputs({ declared: [declared("a@example.com", { enabled: false })], observed: new Map([["a@example.com", pool("a@example.com")]]) }),
      { disable: 1 },
    ],
    [
      "a returner disabled in the pool is enabled",
      inputs({ declared: [a], observed: new Map([["a@example.com", pool("a@example.com", {}, false)]]) }),
      { enable: 1 },
    ],
    [
      "a leaver who never had an account is not imported",
      inputs({ declared: [declared("a@example.com", { enabled: false })], observed: new Map([["a@example.com", null]]) }),
      { import: 0, unchanged: 1 },
    ],
  ])("%s", (_name, planInputs, expected) => {
    const plan = planChanges(planInputs);
    const counts = {
      import: plan.import.length,
      update: plan.update.length,
      disable: plan.disable.length,
      enable: plan.enable.length,
      unchanged: plan.unchanged,
    };
    expect(counts).toMatchObject(expected);
  });

  test("an update names attributes, never values, and keeps the source place", () => {
    const plan = planChanges(
      inputs({ declared: [b], observed: new Map([["b@example.com", pool("b@example.com", { given_name: "Other" })]]) }),
    );
    expect(plan.update[0]).toMatchObject({
      username: "b@example.com",
      file: "users/office/a.yaml",
      line: 2,
      attributes: ["given_name"],
      reportOnly: false,
    });
    expect(JSON.stringify(plan.update[0].attributes)).not.toContain("Other");
  });

  test("attributeChanges: report marks updates report-only, and they are not changes to apply", () => {
    const plan = planChanges(
      inputs({
        attributeChanges: "report",
        declared: [a],
        observed: new Map([["a@example.com", pool("a@example.com", { given_name: "Other" })]]),
      }),
    );
    expect(plan.update[0].reportOnly).toBe(true);
    expect(planHasChanges(plan)).toBe(false);
  });

  test("birthdate held as mm/dd/yyyy equals the declared ISO date", () => {
    const user = declared("a@example.com", {
      attributes: { email: "a@example.com", email_verified: true, given_name: "Test", birthdate: "1985-02-01" },
    });
    const plan = planChanges(
      inputs({ declared: [user], observed: new Map([["a@example.com", pool("a@example.com", { birthdate: "02/01/1985" })]]) }),
    );
    expect(plan.update).toHaveLength(0);
  });

  test("case-insensitive pools match usernames in any case", () => {
    const user = declared("Jane.Doe@example.nhs.uk");
    const plan = planChanges(
      inputs({
        declared: [user],
        observed: new Map([["jane.doe@example.nhs.uk", pool("jane.doe@example.nhs.uk", { email: "Jane.Doe@example.nhs.uk" })]]),
      }),
    );
    expect(plan.import).toHaveLength(0);
    expect(plan.unchanged).toBe(1);
  });

  describe("users declared before and no longer declared", () => {
    const managed = ["a", "b", "c", "d", "e", "f", "g", "h"].map((n) => declared(`${n}@example.com`));
    const previous = digestDeclaredUsers(POOL, managed, false);
    const still = managed.slice(1);
    const goneDigest = usernameDigest(POOL, "a@example.com", false);

    const everyone = new Map(managed.map((u) => [usernameDigest(POOL, u.username, false), pool(u.username)] as const));

    test("retain: every removed user still enabled is reported, never acted on, never refused", () => {
      const plan = planChanges(inputs({ declared: [], previous, removedUsers: "retain", removedPoolUsers: everyone }));
      expect(plan.remove).toHaveLength(8);
      expect(plan.remove.map((r) => ({ action: r.action, enabled: r.enabled, sub: r.sub }))).toEqual(
        Array(8).fill({ action: "retain", enabled: true, sub: "x" }),
      );
      expect(plan.refused).toBeUndefined();
      expect(planHasChanges(plan)).toBe(false);
    });

    test("disable: one of eight (12.5%) is planned with its username and sub from the pool", () => {
      const plan = planChanges(
        inputs({ declared: still, previous, removedUsers: "disable", removedPoolUsers: new Map([[goneDigest, pool("a@example.com")]]) }),
      );
      expect(plan.remove).toEqual([{ username: "a@example.com", usernameDigest: goneDigest, action: "disable", enabled: true, sub: "x" }]);
      expect(plan.refused).toBeUndefined();
      expect(planHasChanges(plan)).toBe(true);
    });

    test("disable: three of eight (37.5%) exceeds 0.25 and the plan is refused", () => {
      const gone = managed.slice(0, 3);
      const removedPoolUsers = new Map(gone.map((u) => [usernameDigest(POOL, u.username, false), pool(u.username)] as const));
      const plan = planChanges(inputs({ declared: managed.slice(3), previous, removedUsers: "disable", removedPoolUsers }));
      expect(plan.remove).toHaveLength(3);
      expect(plan.refused).toMatch(/refusing to disable 3 of 8 managed users/);
    });

    test.each(["retain", "disable"] as const)(
      "%s: a removed user gone from the pool, or disabled and in no managed group, is resolved",
      (policy) => {
        const disabled = new Map([[goneDigest, pool("a@example.com", {}, false)]]);
        expect(planChanges(inputs({ declared: still, previous, removedUsers: policy })).remove).toHaveLength(0);
        expect(planChanges(inputs({ declared: still, previous, removedUsers: policy, removedPoolUsers: disabled })).remove).toHaveLength(0);
        const inGroup = planChanges(
          inputs({
            declared: still,
            previous,
            removedUsers: policy,
            removedPoolUsers: disabled,
            removedMemberships: new Map([[goneDigest, new Set(["kss-admins"])]]),
          }),
        );
        expect(inGroup.remove).toMatchObject([{ usernameDigest: goneDigest, action: policy, enabled: false }]);
      },
    );

    test("users the roster never declared are never in a plan", () => {
      const plan = planChanges(
        inputs({ declared: still, previous: digestDeclaredUsers(POOL, still, false), removedUsers: "disable", removedPoolUsers: everyone }),
      );
      expect(plan.remove).toHaveLength(0);
    });
  });
});

describe("changedSinceLastApply and removedDigests", () => {
  const a = declared("a@example.com");
  const b = declared("b@example.com");
  const previous = digestDeclaredUsers(POOL, [a, b], false);

  test("without a previous apply every user is to be checked", () => {
    expect(changedSinceLastApply(POOL, [a, b], undefined, false)).toHaveLength(2);
  });
  test("only new and changed users are checked", () => {
    const changedB = declared("b@example.com", { attributes: { ...b.attributes, given_name: "New" } });
    const c = declared("c@example.com");
    expect(changedSinceLastApply(POOL, [a, changedB, c], previous, false).map((u) => u.username)).toEqual([
      "b@example.com",
      "c@example.com",
    ]);
  });
  test("a user no longer declared is a removed digest", () => {
    expect(removedDigests(POOL, [a], previous, false)).toEqual([usernameDigest(POOL, "b@example.com", false)]);
  });
});

describe("chooseReadStrategy", () => {
  test.each([
    [0, 500_000, false, "none"],
    [5, 500_000, false, "point"],
    [100_000, 500_000, false, "scan"],
    [10, 100, false, "scan"],
    [5, 100, false, "point"],
    [5, 500_000, true, "scan"],
  ])("%i users to check in a pool of %i (scan required: %s) → %s", (k, size, required, kind) => {
    expect(chooseReadStrategy(k, size, required).kind).toBe(kind);
  });
  test("a pull request adding 5 trainees to a pool of 500,000 reads 5 users, not 500,000", () => {
    expect(chooseReadStrategy(5, 500_000)).toEqual({ kind: "point", calls: 5, seconds: 5 / 120 });
  });
});
