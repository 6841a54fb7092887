/**
 * The fixture trees under test/fixtures/<valid|invalid|hostile>/<case>/: each holds a `users/` tree, an `expected.json`
 * ({ users, diagnostics: [{code, file, line, col}] }) and, when it needs another pool, a `Pulumi.test.yaml`.
 * Cases without their own stack file use the frozen test profile, test/fixtures/Pulumi.fixtures.yaml (the dev
 * stack's settings before it required a phone), not the dev stack itself: the dev stack follows the team, and a
 * change to it must not move ~165 fixtures' expected diagnostics.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { PoolProfile } from "../../core/profile";
import { loadStackProfile } from "../../load/stack-profile";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const FIXTURES = path.join(REPO_ROOT, "test", "fixtures");
/** The frozen test profile's stack name and file (`loadStackProfile(FIXTURES, FIXTURE_STACK)`). */
const FIXTURE_STACK = "fixtures";
export const FIXTURE_STACK_FILE = path.join(FIXTURES, `Pulumi.${FIXTURE_STACK}.yaml`);

/** The frozen test profile, parsed; throws if it does not parse (the fixtures cannot run without it). */
export function fixtureProfile(): PoolProfile {
  const result = loadStackProfile(FIXTURES, FIXTURE_STACK);
  if (result.profile === undefined) throw new Error(`${FIXTURE_STACK_FILE}: ${JSON.stringify(result.diagnostics)}`);
  return result.profile;
}

interface ExpectedDiagnostic {
  code: string;
  file: string;
  line: number;
  col: number;
}

export interface FixtureCase {
  kind: "valid" | "invalid" | "hostile";
  name: string;
  dir: string;
  profile: PoolProfile;
  expected: { users: number; diagnostics: ExpectedDiagnostic[] };
}

export function fixtureCases(kind: FixtureCase["kind"]): FixtureCase[] {
  const root = path.join(FIXTURES, kind);
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = path.join(root, name);
      const hasOwnStack = existsSync(path.join(dir, "Pulumi.test.yaml"));
      const profileResult = hasOwnStack ? loadStackProfile(dir, "test") : loadStackProfile(FIXTURES, FIXTURE_STACK);
      if (profileResult.profile === undefined)
        throw new Error(`fixture ${kind}/${name}: invalid profile ${JSON.stringify(profileResult.diagnostics)}`);
      const expected = JSON.parse(readFileSync(path.join(dir, "expected.json"), "utf8")) as FixtureCase["expected"];
      return { kind, name, dir, profile: profileResult.profile, expected };
    });
}
