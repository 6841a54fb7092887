/**
 * The hostile corpus (issue 9): test/fixtures/hostile/<case>/ — malformed and adversarial users trees, each with
 * the diagnostics it must give (code, file, line, column) and the users that load. Every case is also rendered as
 * text to check that no raw control or bidi character from the input reaches a terminal, and through the
 * parallel loader to check it gives the same answer. Positions count from 1; 0:0 is a path as a whole.
 */
import * as path from "node:path";
import { formatDiagnostic } from "../../core/diagnostics";
import { loadRoster } from "../../load/load-roster";
import { loadRosterParallel } from "../../load/load-roster-parallel";
import { fixtureCases } from "./fixture-cases";

const cases = fixtureCases("hostile");
const RAW_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]/;

test("the corpus has at least 100 cases", () => {
  expect(cases.length).toBeGreaterThanOrEqual(100);
});

test.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
  const options = { usersDir: path.join(c.dir, "users"), repoRoot: c.dir, profile: c.profile };
  const roster = loadRoster(options);
  expect(roster.diagnostics.map(({ code, file, line, col }) => ({ code, file, line, col }))).toEqual(c.expected.diagnostics);
  expect(roster.users).toHaveLength(c.expected.users);
  for (const d of roster.diagnostics) expect(formatDiagnostic(d)).not.toMatch(RAW_UNSAFE);
  for (const d of roster.diagnostics) expect(d.message.length).toBeLessThan(600);
  expect(await loadRosterParallel({ ...options, workers: 1 })).toEqual(roster);
});
