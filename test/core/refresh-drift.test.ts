/**
 * core/refresh-drift.ts: what `pulumi refresh` keeps of the applied record. A user whose files still say what was
 * applied and whose pool copy differs is drift (dropped: the next `up` repairs them); a user changed in the files
 * since is a pending change (kept); changed memberships become pending; missing subs are filled in. Table cases.
 */
import type { DeclaredUser } from "../../core/declared-user";
import { appliedAfterRefresh, type RefreshRead } from "../../core/refresh-drift";
import { accountDigest, declaredValuesDigest, recordedSub, usernameDigest, withMembershipsPending, withSub } from "../../core/user-digest";

const POOL = { userPoolId: "eu-west-2_Refresh01", caseSensitive: false };
const SUB = "0b2d3f4a-1111-4222-8333-444455556666";
const user = (n: number, given = "Ann"): DeclaredUser => ({
  username: `t${n}@example.nhs.uk`,
  mfaEnabled: false,
  enabled: true,
  attributes: { email: `t${n}@example.nhs.uk`, given_name: given },
  groups: ["trainees"],
  source: { file: "users/kss/a.yaml", line: n, col: 3 },
});
const digest = (u: DeclaredUser) => usernameDigest(POOL.userPoolId, u.username, false);
const planned = (u: DeclaredUser) => ({ username: u.username, file: u.source.file, line: u.source.line, user: u });
const emptyPlan = { import: [], update: [], disable: [], enable: [] };
const read = (over: Partial<RefreshRead["plan"]>, users: DeclaredUser[], subs?: RefreshRead["subs"]): RefreshRead => ({
  plan: { ...emptyPlan, ...over },
  users,
  ...(subs ? { subs } : {}),
});

const one = user(1);
const changedInFiles = user(1, "Anne"); // the files now say something else than was applied
const recorded = { [digest(one)]: withSub(declaredValuesDigest(one), SUB) };

test.each<[string, RefreshRead, DeclaredUser, "dropped" | "kept"]>([
  ["nothing to do: kept", read({}, [one]), one, "kept"],
  ["gone from the pool (planned for import): drift, dropped", read({ import: [planned(one)] }, [one]), one, "dropped"],
  [
    "changed in the pool (planned for update): drift, dropped",
    read({ update: [{ ...planned(one), attributes: ["given_name"], reportOnly: false }] }, [one]),
    one,
    "dropped",
  ],
  ["disabled in the pool: drift, dropped", read({ enable: [planned(one)] }, [one]), one, "dropped"],
  ["enabled in the pool: drift, dropped", read({ disable: [planned(one)] }, [one]), one, "dropped"],
  [
    "changed in the files since: a pending change, kept",
    read({ update: [{ ...planned(changedInFiles), attributes: ["given_name"], reportOnly: false }] }, [changedInFiles]),
    changedInFiles,
    "kept",
  ],
])("%s", (_name, refresh, who, expected) => {
  const applied = appliedAfterRefresh(POOL, recorded, refresh);
  expect(digest(who) in applied).toBe(expected === "kept");
  if (expected === "kept") expect(applied[digest(who)]).toBe(recorded[digest(who)]);
});

test("a membership changed in the pool becomes pending, the sub kept; an import's adds and an undeclared user change nothing", () => {
  const two = user(2);
  const record = { ...recorded, [digest(two)]: declaredValuesDigest(two) };
  const change = (username: string, afterImport?: boolean) => ({
    action: "add" as const,
    group: "trainees",
    username,
    office: "kss",
    ...(afterImport ? { afterImport } : {}),
  });
  const memberships = { changes: [change(one.username), change(two.username, true), change("gone@example.nhs.uk")], checked: 2 };
  const applied = appliedAfterRefresh(POOL, record, read({ memberships }, [one, two]));
  expect(applied[digest(one)]).toBe(withSub(withMembershipsPending(accountDigest(one)), SUB));
  expect(applied[digest(two)]).toBe(record[digest(two)]);
  expect(Object.keys(applied)).toHaveLength(2);
});

test("a membership change of a user changed in the files since leaves their entry as it was", () => {
  const memberships = { changes: [{ action: "remove" as const, group: "trainees", username: one.username, office: "kss" }], checked: 1 };
  const applied = appliedAfterRefresh(POOL, recorded, read({ memberships }, [changedInFiles]));
  expect(applied).toEqual(recorded);
});

test.each<[string, string, string | null | undefined, string | undefined]>([
  ["an entry without a sub gets the one the read saw", declaredValuesDigest(one), SUB, SUB],
  ["an entry with a sub keeps it", withSub(declaredValuesDigest(one), SUB), "other-sub", SUB],
  ["an entry the read saw no sub for stays without", declaredValuesDigest(one), null, undefined],
  ["not seen at all: stays without", declaredValuesDigest(one), undefined, undefined],
])("subs: %s", (_name, entry, seen, expected) => {
  const subs = seen === undefined ? new Map() : new Map([[one.username, seen]]);
  const applied = appliedAfterRefresh(POOL, { [digest(one)]: entry }, read({}, [one], subs));
  expect(recordedSub(applied[digest(one)])).toBe(expected);
});

test("no record: nothing to keep, and the record passed in is not changed", () => {
  expect(appliedAfterRefresh(POOL, undefined, read({ import: [planned(one)] }, [one], new Map([[one.username, SUB]])))).toEqual({});
  const before = { ...recorded };
  appliedAfterRefresh(POOL, recorded, read({ import: [planned(one)] }, [one]));
  expect(recorded).toEqual(before);
});
