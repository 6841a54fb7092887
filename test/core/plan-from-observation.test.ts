/**
 * core/plan-from-observation.ts: the run's plan from what it observed — core/plan.ts's changes under the stack's
 * policies, plus, with `sendSignInCode: afterImport`, the codes owed and the ledger's counts from a record bound to
 * this pool.
 */
import { type Observed, planFromObservation } from "../../core/plan-from-observation";
import type { PoolProfile } from "../../core/profile";
import { usernameDigest } from "../../core/user-digest";
import { declaredTrainee } from "../support/declared-trainee";

const POOL_ID = "eu-west-2_PlanObs01";
const POOL = { arn: "arn:pool", createdAt: 1 };
const user = declaredTrainee;
const d = (n: number) => usernameDigest(POOL_ID, `t${n}@example.nhs.uk`, false);
const profile = (over: Partial<PoolProfile> = {}) =>
  ({
    userPoolId: POOL_ID,
    usernameCaseSensitive: false,
    attributeChanges: "update",
    removedUsers: "disable",
    maxRemovalFraction: 1,
    ...over,
  }) as PoolProfile;
// Two new trainees (not in the pool) and one unchanged since the last apply (not looked up).
const observed: Observed = {
  declared: [user(1), user(2), user(3)],
  observed: new Map([
    [user(1).username, null],
    [user(2).username, null],
  ]),
  previous: { [d(3)]: "recorded" },
  removedPoolUsers: new Map(),
};

test.each([
  ["codes not sent by the roster: the plan alone", profile(), undefined, undefined, undefined],
  [
    "afterImport, no record: every import owed",
    profile({ sendSignInCode: "afterImport" }),
    undefined,
    2,
    { awaiting: 0, sent: 0, unknown: 0, refused: 0 },
  ],
  [
    "afterImport, one already sent, one pending from before",
    profile({ sendSignInCode: "afterImport" }),
    { pending: [d(3)], sent: [d(1)], pool: POOL },
    2,
    { awaiting: 0, sent: 1, unknown: 0, refused: 0 },
  ],
  [
    "afterImport, a record of another pool: set aside",
    profile({ sendSignInCode: "afterImport" }),
    { pending: [d(3)], sent: [d(1)], pool: { arn: "arn:other", createdAt: 1 } },
    2,
    { awaiting: 0, sent: 0, unknown: 0, refused: 0 },
  ],
])("%s", (_name, stack, record, codes, ledger) => {
  const plan = planFromObservation(stack, observed, { record, pool: POOL });
  expect(plan.import.map((p) => p.username)).toEqual([user(1).username, user(2).username]);
  expect(plan.unchanged).toBe(1);
  expect(plan.signInCodes).toBe(codes);
  expect(plan.signInCodeLedger).toEqual(ledger);
  expect(Object.isFrozen(plan)).toBe(true);
});
