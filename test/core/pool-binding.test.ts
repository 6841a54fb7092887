/**
 * core/pool-binding.ts: an applied record is trusted only while DescribeUserPool still describes the pool it was
 * bound to, and the pool holds about the users it manages. A table of small cases (test/engine/pool-record.test.ts
 * runs the engine against the emulator).
 */
import { bindingMismatch, bindingOf, ESTIMATE_TOLERANCE } from "../../core/pool-binding";

const POOL_ID = "eu-west-2_A1";
const pool = { arn: "arn:aws:cognito-idp:eu-west-2:000000000000:userpool/eu-west-2_A1", createdAt: 1000, estimatedUsers: 10 };
const applied = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`d${i + 1}`, "v"]));
const binding = { userPoolId: POOL_ID, arn: pool.arn, createdAt: 1000, managedUsers: 10 };

test.each([
  ["no record: nothing to distrust", {}, pool, undefined],
  ["the recorded pool, holding the users it must: trusted", { applied, binding }, pool, undefined],
  ["an unbound (older) record is distrusted once", { applied }, pool, /not bound/],
  ["a record of another pool id", { applied, binding: { ...binding, userPoolId: "eu-west-2_B2" } }, pool, /describes pool eu-west-2_B2/],
  [
    "a pool re-created under the same id (another creation date) is another pool",
    { applied, binding },
    { ...pool, createdAt: 2000 },
    /not the one/,
  ],
  ["another ARN (another account) is another pool", { applied, binding }, { ...pool, arn: `${pool.arn}x` }, /not the one/],
  ["an empty pool against a non-empty record is always a mismatch", { applied, binding }, { ...pool, estimatedUsers: 0 }, /empty/],
  [
    "an empty pool and an empty record agree",
    { applied: {}, binding: { ...binding, managedUsers: 0 } },
    { ...pool, estimatedUsers: 0 },
    undefined,
  ],
  [
    `the estimate may fall short by the tolerance (${ESTIMATE_TOLERANCE * 100}%)`,
    { applied, binding },
    { ...pool, estimatedUsers: 9 },
    undefined,
  ],
  ["no further", { applied, binding }, { ...pool, estimatedUsers: 8 }, /fewer than the 10/],
  [
    "the larger of the record's entries and the binding's count is expected",
    { applied, binding: { ...binding, managedUsers: 20 } },
    { ...pool, estimatedUsers: 17 },
    /fewer than the 20/,
  ],
])("bindingMismatch: %s", (_name, record, described, expected) => {
  const mismatch = bindingMismatch(POOL_ID, record, described);
  if (expected === undefined) expect(mismatch).toBeUndefined();
  else expect(mismatch).toMatch(expected);
});

test("bindingOf binds a record to the pool's ARN and creation date, with the users it manages", () => {
  expect(bindingOf(POOL_ID, pool, 7)).toEqual({ userPoolId: POOL_ID, arn: pool.arn, createdAt: 1000, managedUsers: 7 });
});
