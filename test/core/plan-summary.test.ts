/**
 * A plan in one line (core/plan-summary.ts): counts only, report-only differences and memberships when there are
 * any, and "nothing to do" exactly when the plan has no change to make.
 */
import type { RosterPlan } from "../../core/plan";
import { describePlan } from "../../core/plan-summary";

const POOL = "eu-west-2_Summary01";
// Entries are counted, never read: stand-ins of the right kind are enough.
const entries = (n: number) => Array.from({ length: n }, () => ({}) as never);
const plan = (change: Partial<RosterPlan>): RosterPlan => ({
  userPoolId: POOL,
  import: [],
  update: [],
  disable: [],
  enable: [],
  remove: [],
  unchanged: 0,
  ...change,
});
const update = (reportOnly: boolean) => ({ reportOnly }) as RosterPlan["update"][number];
const removal = (action: "disable" | "retain") => ({ action, usernameDigest: "d" }) as RosterPlan["remove"][number];

test.each([
  [
    "an empty plan: nothing to do",
    plan({}),
    "0 to import, 0 to update, 0 to disable, 0 to enable, 0 no longer declared (none), 0 unchanged — nothing to do",
  ],
  [
    "every kind of change",
    plan({
      import: entries(2),
      update: [update(false)],
      disable: entries(3),
      enable: entries(1),
      remove: [removal("disable")],
      unchanged: 7,
    }),
    "2 to import, 1 to update, 3 to disable, 1 to enable, 1 no longer declared (disable), 7 unchanged",
  ],
  [
    "report-only differences are named and change nothing",
    plan({ update: [update(true), update(true)], unchanged: 1 }),
    "0 to import, 0 to update, 2 differing (report only), 0 to disable, 0 to enable, 0 no longer declared (none), 1 unchanged — nothing to do",
  ],
  [
    "a retained removal changes nothing",
    plan({ remove: [removal("retain")] }),
    "0 to import, 0 to update, 0 to disable, 0 to enable, 1 no longer declared (retain), 0 unchanged — nothing to do",
  ],
  [
    "one membership change (singular)",
    plan({ memberships: { changes: entries(1), checked: 0 } as RosterPlan["memberships"] }),
    "0 to import, 0 to update, 0 to disable, 0 to enable, 0 no longer declared (none), 1 group membership change, 0 unchanged",
  ],
  [
    "a stack with groups and no membership change",
    plan({ memberships: { changes: [], checked: 4 } as RosterPlan["memberships"] }),
    "0 to import, 0 to update, 0 to disable, 0 to enable, 0 no longer declared (none), 0 group membership changes, 0 unchanged — nothing to do",
  ],
])("describePlan: %s", (_name, p, line) => {
  expect(describePlan(p)).toBe(`plan for ${POOL}: ${line}`);
});
