/**
 * core/applied-record.ts: what the roster manages after an apply — declared users in their declared state with
 * their `sub` where known, failed users left out, memberships pending kept as such, and removed users kept by their
 * `sub` while they may still have access. Table cases.
 */
import { type ApplyOutcome, appliedRecord } from "../../core/applied-record";
import type { PlannedRemoval } from "../../core/plan";
import {
  accountDigest,
  declaredValuesDigest,
  recordedSub,
  removedEntry,
  usernameDigest,
  withMembershipsPending,
  withSub,
} from "../../core/user-digest";
import { declaredTrainee } from "../support/declared-trainee";

const POOL = "eu-west-2_Record001";
const SUB = "0b2d3f4a-1111-4222-8333-444455556666";
const OTHER = "0b2d3f4a-1111-4222-8333-777788889999";
const user = declaredTrainee;
const one = user(1);
const d1 = usernameDigest(POOL, one.username, false);
const outcome = (over: Partial<ApplyOutcome> = {}): ApplyOutcome => ({
  userPoolId: POOL,
  caseSensitive: false,
  previous: undefined,
  users: [one],
  remove: [],
  seen: undefined,
  notConverged: new Set(),
  membershipsPending: new Set(),
  removalFailed: new Set(),
  importedSubs: new Map(),
  ...over,
});

test.each<[string, Partial<ApplyOutcome>, string | undefined]>([
  ["a declared user, no sub known", {}, declaredValuesDigest(one)],
  ["with the sub the import read", { importedSubs: new Map([[one.username, SUB]]) }, withSub(declaredValuesDigest(one), SUB)],
  ["with the sub the plan's read saw", { seen: new Map([[one.username, SUB]]) }, withSub(declaredValuesDigest(one), SUB)],
  [
    "the import's sub before the plan's",
    { importedSubs: new Map([[one.username, SUB]]), seen: new Map([[one.username, OTHER]]) },
    withSub(declaredValuesDigest(one), SUB),
  ],
  ["not looked up: the record's sub", { previous: { [d1]: withSub("old", SUB) } }, withSub(declaredValuesDigest(one), SUB)],
  [
    "seen without a sub: none, whatever the record says",
    { previous: { [d1]: withSub("old", SUB) }, seen: new Map([[one.username, null]]) },
    declaredValuesDigest(one),
  ],
  ["memberships pending", { membershipsPending: new Set([one.username]) }, withMembershipsPending(accountDigest(one))],
  ["failed or not converged: left out", { notConverged: new Set([one.username]) }, undefined],
])("declared: %s", (_name, over, expected) => {
  expect(appliedRecord(outcome(over))[d1]).toBe(expected);
});

const removal = (over: Partial<PlannedRemoval> = {}): PlannedRemoval => ({
  username: "gone@example.nhs.uk",
  usernameDigest: "dGone",
  action: "disable",
  ...over,
});

test.each<[string, PlannedRemoval, Partial<ApplyOutcome>, string | undefined]>([
  ["disabled: access gone, forgotten", removal({ sub: SUB }), {}, undefined],
  ["retained: kept by sub", removal({ action: "retain", sub: SUB }), {}, removedEntry(SUB)],
  ["a disable that failed: kept by sub", removal({ sub: SUB }), { removalFailed: new Set(["dGone"]) }, removedEntry(SUB)],
  ["a group removal that failed: kept", removal({ sub: SUB }), { membershipsPending: new Set(["gone@example.nhs.uk"]) }, removedEntry(SUB)],
  ["a held replace: kept", removal({ sub: SUB, held: true }), {}, removedEntry(SUB)],
  ["retained without a sub: the record's entry", removal({ action: "retain" }), { previous: { dGone: "was" } }, "was"],
  ["retained, no sub, nothing recorded: nothing", removal({ action: "retain" }), {}, undefined],
])("removed: %s", (_name, planned, over, expected) => {
  const applied = appliedRecord(outcome({ ...over, remove: [planned] }));
  expect(applied.dGone).toBe(expected);
  if (expected?.startsWith("removed:")) expect(recordedSub(applied.dGone)).toBe(SUB);
});
