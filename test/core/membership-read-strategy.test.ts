/**
 * core/membership-read-strategy.ts: one AdminListGroupsForUser per user (50/s) or ListUsersInGroup per managed
 * group (30/s, 60 members a page), whichever finishes sooner. core/member-names.ts: which declared user a group
 * member is when an account renamed in place keeps its old username. Tables of small cases.
 */
import { chooseMembershipReads } from "../../core/membership-read-strategy";
import { declaredNames } from "../../core/member-names";

describe("choosing how to read memberships", () => {
  test("per user when few users changed; per group when many users and few, small groups", () => {
    expect(chooseMembershipReads(0, [10])).toMatchObject({ kind: "none" });
    expect(chooseMembershipReads(3, [5000, 40])).toMatchObject({ kind: "per-user", calls: 3 });
    // 6,000 users in 2 groups of 3,000: 100 ListUsersInGroup pages (3.3 s) beat 6,000 AdminListGroupsForUser (120 s).
    expect(chooseMembershipReads(6000, [3000, 3000])).toMatchObject({ kind: "per-group", calls: 100 });
  });

  test.each([
    ["no user to read", 0, [10], { kind: "none", calls: 0, seconds: 0 }],
    ["no managed group", 5, [], { kind: "none", calls: 0, seconds: 0 }],
    ["one user, one small group: equal calls, the user read is sooner", 1, [1], { kind: "per-user", calls: 1, seconds: 1 / 50 }],
    ["an empty group still costs a page", 100, [0], { kind: "per-group", calls: 1, seconds: 1 / 30 }],
    ["60 members are one page, 61 are two", 100, [60, 61], { kind: "per-group", calls: 3, seconds: 3 / 30 }],
    ["5 users against 10 pages", 5, [600], { kind: "per-user", calls: 5, seconds: 5 / 50 }],
    ["50 users (1 s) against 30 pages (1 s): a tie goes to fewer calls", 50, [1800], { kind: "per-group", calls: 30, seconds: 1 }],
    ["51 users against 31 pages", 51, [1860], { kind: "per-user", calls: 51, seconds: 51 / 50 }],
  ])("%s", (_name, users, groupSizes, expected) => {
    const chosen = chooseMembershipReads(users, groupSizes);
    expect(chosen).toEqual({ ...expected, seconds: expect.closeTo(expected.seconds, 10) });
  });
});

describe("declared names of members", () => {
  const lower = (u: string) => u.toLowerCase();
  type Observed = [string, { username: string } | null][];
  test.each<[string, Observed, [string, string][]]>([
    ["found by its own name: nothing to map", [["jane@example.nhs.uk", { username: "jane@example.nhs.uk" }]], []],
    ["absent: nothing to map", [["jane@example.nhs.uk", null]], []],
    ["same name in another case: nothing to map", [["jane@example.nhs.uk", { username: "Jane@example.nhs.uk" }]], []],
    [
      "renamed in place: its old username maps to the declared one",
      [["jane.new@example.nhs.uk", { username: "Jane.Old@example.nhs.uk" }]],
      [["jane.old@example.nhs.uk", "jane.new@example.nhs.uk"]],
    ],
  ])("%s", (_name, observed, expected) => {
    expect([...declaredNames(new Map(observed), lower)]).toEqual(expected);
  });
});
