/**
 * The two tables of stack settings (README "Stack settings", docs/running-for-real.md "Stack settings") stay current:
 * each names every setting the profile reads (core/profile.ts PROFILE_KEYS, "the one list of known settings").
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const read = (rel: string) => readFileSync(path.join(ROOT, rel), "utf8");

const keys = [...(/const PROFILE_KEYS = \[([\s\S]*?)\] as const;/.exec(read("core/profile.ts"))?.[1] ?? "").matchAll(/"(\w+)"/g)].map(
  (m) => m[1],
);

/** A document's section from its heading to the next heading of the same level. */
function section(text: string, heading: string): string {
  const start = text.indexOf(heading);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const level = heading.match(/^#+/)?.[0] ?? "##";
  const next = text.indexOf(`\n${level} `, start + heading.length);
  return text.slice(start, next < 0 ? undefined : next);
}

test("the profile's settings were found", () => {
  expect(keys).toEqual(expect.arrayContaining(["userPoolId", "usernameAttributes", "aliasAttributes", "signInReminders"]));
});

test.each([
  ["README.md", "## Stack settings", (k: string) => `| \`${k}\``],
  ["docs/running-for-real.md", "## Stack settings", (k: string) => `| \`cognito-roster:${k}\``],
])("%s %s has a row for every setting", (file, heading, row) => {
  const table = section(read(file), heading);
  // README rows may group settings ("| `usernameAttributes`, `aliasAttributes` |"): a key anywhere in a row's first cell counts.
  const firstCells = table
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => line.split(" | ")[0]);
  const missing = keys.filter((k) => !firstCells.some((cell) => cell.startsWith(row(k)) || cell.includes(`\`${k}\``)));
  expect(missing).toEqual([]);
});
