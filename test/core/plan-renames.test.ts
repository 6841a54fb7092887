/**
 * core/plan-renames.ts: renames with what the engine knows — the users new to the record, the removed accounts'
 * pool copies and groups, the pool's email-change model — and removed accounts that are a declared user's own.
 */
import type { DeclaredUser } from "../../core/declared-user";
import { type PlanInputs, planChanges } from "../../core/plan";
import { declaredAccountsAmongRemoved, planRenames, type RemovedAccounts } from "../../core/plan-renames";
import type { PoolUser } from "../../core/pool-user";
import type { PoolProfile } from "../../core/profile";
import { usernameDigest } from "../../core/user-digest";

const POOL = "eu-west-2_Renam0001";
const ID = "custom:staff_id";
const declared = (username: string, staffId: string): DeclaredUser => ({
  username,
  mfaEnabled: true,
  enabled: true,
  attributes: { email: username, given_name: "Test", [ID]: staffId },
  source: { file: "users/office/a.yaml", line: 3, col: 5 },
});
const poolUser = (username: string, staffId: string, sub: string): PoolUser => ({
  username,
  enabled: true,
  status: "CONFIRMED",
  attributes: { email: username, given_name: "Test", [ID]: staffId, sub },
});

const NEW = declared("new@example.nhs.uk", "S1");
const OLD = poolUser("old@example.nhs.uk", "S1", "sub-old");
const OLD_DIGEST = usernameDigest(POOL, OLD.username, false);
const profile = (identityAttribute?: string) =>
  ({ userPoolId: POOL, usernameCaseSensitive: false, attributeChanges: "update", identityAttribute }) as PoolProfile;
const removedUsers = new Map([[OLD_DIGEST, OLD]]);

function plan(removed = removedUsers) {
  const inputs: PlanInputs = {
    userPoolId: POOL,
    declared: [NEW],
    observed: new Map([[NEW.username, null]]),
    previous: { [OLD_DIGEST]: "a:b" },
    removedPoolUsers: removed,
    caseSensitive: false,
    attributeChanges: "update",
    removedUsers: "disable",
    maxRemovalFraction: 1,
  };
  return planChanges(inputs);
}
const accounts = (usernameAttributes: string[], aliasAttributes: string[] = []): RemovedAccounts => ({
  pool: { settings: { usernameAttributes, aliasAttributes } },
  users: removedUsers,
  memberships: new Map([[OLD_DIGEST, new Set(["trainees"])]]),
});

test.each([
  ["no identity attribute: the plan as it was", undefined, accounts([]), undefined, "none"],
  ["an email pool: renamed in place, the old account's handle and groups", ID, accounts(["email"]), "update", "in-place"],
  ["an email alias: in place too", ID, accounts([], ["email"]), "update", "in-place"],
  ["a username pool: a new account replaces the old one", ID, accounts([]), "replace", "none"],
])("%s", (_name, identityAttribute, removed, mode, inPlace) => {
  const before = plan();
  const { plan: renamed, inPlace: found } = planRenames(profile(identityAttribute), before, [NEW], undefined, removed);
  if (mode === undefined) expect(renamed).toBe(before);
  else expect(renamed.renames).toEqual([{ username: NEW.username, file: NEW.source.file, line: 3, fromDigest: OLD_DIGEST, mode }]);
  if (inPlace === "none") expect(found.size).toBe(0);
  else expect(found.get(NEW.username)).toEqual({ handle: OLD.username, groups: new Set(["trainees"]) });
});

test("a declared user already in the record is no rename candidate", () => {
  const before = plan();
  const previous = { [usernameDigest(POOL, NEW.username, false)]: "a:b" };
  expect(planRenames(profile(ID), before, [NEW], previous, accounts(["email"])).plan).toBe(before);
});

test.each<[string, [string, PoolUser | null][], string[]]>([
  ["a removed account with a declared user's sub is theirs", [[NEW.username, poolUser(NEW.username, "S1", "sub-old")]], [OLD_DIGEST]],
  ["another sub: a removal", [[NEW.username, poolUser(NEW.username, "S1", "sub-new")]], []],
  ["a declared user not in the pool: a removal", [[NEW.username, null]], []],
])("declaredAccountsAmongRemoved: %s", (_name, observed, digests) => {
  expect(declaredAccountsAmongRemoved(removedUsers, new Map(observed))).toEqual(digests);
});

test("a removed account without a sub is never taken for a declared one", () => {
  const noSub = new Map([[OLD_DIGEST, { ...OLD, attributes: { email: OLD.username } }]]);
  const observed = new Map([[NEW.username, { ...OLD, username: NEW.username, attributes: { email: NEW.username } }]]);
  expect(declaredAccountsAmongRemoved(noSub, observed)).toEqual([]);
});
