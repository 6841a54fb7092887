/**
 * The fixture trees under test/fixtures/<valid|invalid|hostile>/<case>/: each holds a `users/` tree, an `expected.json`
 * ({ users, diagnostics: [{code, file, line, col}] }) and, when it needs another pool, a `Pulumi.test.yaml`.
 * Cases without their own stack file use the repository's dev profile.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { PoolProfile } from "../../core/profile";
import { loadStackProfile } from "../../load/stack-profile";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const FIXTURES = path.join(REPO_ROOT, "test", "fixtures");

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
      const profileResult = hasOwnStack ? loadStackProfile(dir, "test") : loadStackProfile(REPO_ROOT, "dev");
      if (profileResult.profile === undefined)
        throw new Error(`fixture ${kind}/${name}: invalid profile ${JSON.stringify(profileResult.diagnostics)}`);
      const expected = JSON.parse(readFileSync(path.join(dir, "expected.json"), "utf8")) as FixtureCase["expected"];
      return { kind, name, dir, profile: profileResult.profile, expected };
    });
}
