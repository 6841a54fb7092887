/**
 * core/import-outcome-tally.ts: each user the imports left in the pool is imported by this run or already present,
 * with their `sub` where read, and not converged when the pool's copy is not as declared. Table cases.
 */
import type { DeclaredUser } from "../../core/declared-user";
import { tallyImportOutcome } from "../../core/import-outcome-tally";
import type { PoolUser } from "../../core/pool-user";

const declared = (username: string, enabled = true): DeclaredUser => ({
  username,
  mfaEnabled: false,
  enabled,
  attributes: { email: username.toLowerCase(), given_name: "Ann" },
  source: { file: "users/kss/a.yaml", line: 1, col: 3 },
});
const pool = (user: DeclaredUser, over: Partial<PoolUser> = {}, sub?: string): PoolUser => ({
  username: user.username,
  enabled: true,
  status: "RESET_REQUIRED",
  attributes: { email: user.username.toLowerCase(), given_name: "Ann", ...(sub ? { sub } : {}) },
  ...over,
});
const ann = declared("Ann@example.nhs.uk");

test.each<[string, { user: DeclaredUser; pool: PoolUser; byThisJob: boolean }, object]>([
  [
    "imported by this run, with its sub (keyed by the normalised username)",
    { user: ann, pool: pool(ann, {}, "sub-1"), byThisJob: true },
    {
      imported: 1,
      alreadyPresent: 0,
      importedByThisRun: [ann],
      subs: new Map([["ann@example.nhs.uk", "sub-1"]]),
      withoutSub: [],
      notConverged: [],
    },
  ],
  [
    "confirmed by counters or log: no sub read",
    { user: ann, pool: pool(ann), byThisJob: true },
    { imported: 1, withoutSub: [ann.username], subs: new Map(), notConverged: [] },
  ],
  [
    "someone else imported them first, as declared",
    { user: ann, pool: pool(ann, {}, "sub-1"), byThisJob: false },
    { imported: 0, alreadyPresent: 1, importedByThisRun: [], notConverged: [] },
  ],
  [
    "someone else's account with other values: not converged",
    { user: ann, pool: pool(ann, { attributes: { email: "ann@example.nhs.uk", given_name: "Anne" } }), byThisJob: false },
    { alreadyPresent: 1, notConverged: [ann.username] },
  ],
  [
    "another enabled state: not converged",
    { user: ann, pool: pool(ann, { enabled: false }), byThisJob: false },
    { alreadyPresent: 1, notConverged: [ann.username] },
  ],
  [
    "a leaver someone else created enabled: not converged",
    { user: declared("Leaver@example.nhs.uk", false), pool: pool(declared("Leaver@example.nhs.uk")), byThisJob: false },
    { notConverged: ["Leaver@example.nhs.uk"] },
  ],
])("%s", (_name, present, expected) => {
  expect(tallyImportOutcome([present], false)).toMatchObject(expected);
});

test("nothing present: nothing counted", () => {
  expect(tallyImportOutcome([], false)).toEqual({
    imported: 0,
    alreadyPresent: 0,
    importedByThisRun: [],
    subs: new Map(),
    withoutSub: [],
    notConverged: [],
  });
});

test("a case-sensitive pool keys subs by the username as it is", () => {
  expect(tallyImportOutcome([{ user: ann, pool: pool(ann, {}, "sub-1"), byThisJob: true }], true).subs).toEqual(
    new Map([["Ann@example.nhs.uk", "sub-1"]]),
  );
});
