/**
 * Reads what core/codeowners.ts checks: the CODEOWNERS file GitHub would use (.github/, the root, then docs/, as
 * GitHub looks for it) and the office folders under the users folder. Used by `cognito-roster validate`.
 *
 * I/O only; every decision is in core/codeowners.ts. No CODEOWNERS file, or a users folder outside the
 * repository (a test fixture elsewhere), means nothing to check.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { checkCodeowners } from "../core/codeowners";
import type { Diagnostic } from "../core/diagnostics";

const CODEOWNERS_LOCATIONS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/** The CODEOWNERS text GitHub would use, or undefined when the repository has none. */
export function readCodeowners(repoRoot: string): string | undefined {
  const file = CODEOWNERS_LOCATIONS.find((candidate) => existsSync(path.join(repoRoot, candidate)));
  return file === undefined ? undefined : readFileSync(path.join(repoRoot, file), "utf8");
}

export function codeownersDiagnostics(repoRoot: string, usersDir: string): Diagnostic[] {
  const file = CODEOWNERS_LOCATIONS.find((candidate) => existsSync(path.join(repoRoot, candidate)));
  const usersRelative = path.relative(repoRoot, usersDir).split(path.sep).join("/");
  if (file === undefined || usersRelative === "" || usersRelative.startsWith("..") || path.isAbsolute(usersRelative)) return [];
  const officeFolders = readdirSync(usersDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .map((entry) => entry.name);
  return checkCodeowners({
    text: readFileSync(path.join(repoRoot, file), "utf8"),
    file,
    usersDir: usersRelative,
    officeFolders,
    exists: (relative) => existsSync(path.join(repoRoot, relative)),
  });
}
