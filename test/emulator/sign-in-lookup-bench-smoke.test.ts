/**
 * Smoke run of bench/sign-in-lookup-bench.ts (the full size runs outside the tests, BENCHMARKS.md): both pools,
 * email as the username and email as a verified alias, each imported whole, every user looked up by email found,
 * every change of email accepted. Nothing here looks at a time.
 */
import { measureSignInLookups } from "../../bench/sign-in-lookup-bench";

test("50 users in each pool: all imported, 50 found by email, 50 emails changed", async () => {
  const results = await measureSignInLookups(50);
  expect(results.map(({ kind, size, imported, lookups, updates }) => ({ kind, size, imported, lookups, updates }))).toEqual([
    { kind: "email as username", size: 50, imported: 50, lookups: 50, updates: 50 },
    { kind: "email as alias", size: 50, imported: 50, lookups: 50, updates: 50 },
  ]);
}, 120_000);
