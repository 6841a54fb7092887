/**
 * Which `sub`s of applied users a plan knows and which a scan made anyway should note (core/applied-subs.ts).
 * Tables of small cases; synthetic users only.
 */
import { subsMissingFromRecord, subsSeen } from "../../core/applied-subs";
import type { DeclaredUser } from "../../core/declared-user";
import type { PoolUser } from "../../core/pool-user";
import { type AppliedDigests, usernameDigest, withSub } from "../../core/user-digest";

const POOL = "eu-west-2_SubsTest1";
const SUB = "0b2d3f4a-1111-4222-8333-444455556666";
const user = (username: string): DeclaredUser => ({
  username,
  mfaEnabled: false,
  enabled: true,
  attributes: { email: username },
  source: { file: "users/london/a.yaml", line: 1, col: 3 },
});
const ann = user("Ann.One@example.nhs.uk");
const bob = user("bob.two@example.nhs.uk");
const record = (entries: [DeclaredUser, string | undefined][]): AppliedDigests =>
  Object.fromEntries(entries.map(([u, sub]) => [usernameDigest(POOL, u.username, false), withSub("v1", sub)]));

test.each([
  ["no record: nothing is missing", undefined, [], []],
  ["recorded without a sub, not looked up: missing (normalised)", record([[ann, undefined]]), [], ["ann.one@example.nhs.uk"]],
  ["recorded without a sub but looked up: the lookup shows it", record([[ann, undefined]]), [ann], []],
  ["recorded with its sub: known", record([[ann, SUB]]), [], []],
  ["not in the record (new): the plan imports it", record([[bob, SUB]]), [], []],
] as [string, AppliedDigests | undefined, DeclaredUser[], string[]][])(
  "subsMissingFromRecord: %s",
  (_name, previous, lookedUp, missing) => {
    expect([...subsMissingFromRecord(POOL, false, [ann, bob], lookedUp, previous)]).toEqual(missing);
  },
);

test("subsMissingFromRecord: a case-sensitive pool keeps the username's case", () => {
  const previous = { [usernameDigest(POOL, ann.username, true)]: withSub("v1", undefined) };
  expect([...subsMissingFromRecord(POOL, true, [ann], [], previous)]).toEqual(["Ann.One@example.nhs.uk"]);
});

const poolUser = (sub: string | undefined): PoolUser => ({
  username: "x",
  attributes: sub === undefined ? {} : { sub },
  enabled: true,
  status: "CONFIRMED",
});

test.each([
  ["nothing observed or learned", [], [], []],
  ["a scan's subs are kept", [], [["a", SUB]], [["a", SUB]]],
  ["a looked-up user: the pool's sub", [["a", poolUser(SUB)]], [], [["a", SUB]]],
  ["a looked-up user who is absent: null", [["a", null]], [], [["a", null]]],
  ["a looked-up user without a sub: null", [["a", poolUser(undefined)]], [], [["a", null]]],
  ["the pool's answer wins over a scan's note for the same user", [["a", null]], [["a", SUB]], [["a", null]]],
] as [string, [string, PoolUser | null][], [string, string][], [string, string | null][]][])(
  "subsSeen: %s",
  (_n, observed, learned, seen) => {
    expect([...subsSeen(new Map(observed), new Map(learned))]).toEqual(seen);
  },
);
