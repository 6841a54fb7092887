/**
 * Docs link only inside the repository (issue 11.5): every relative Markdown link in a tracked `.md` file names a
 * file or folder of this checkout (anchors are not checked). Web links (`https://…`) are citations of their source
 * and are left alone.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

function markdownFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.md"], { cwd: ROOT, encoding: "utf8" });
  return listed.split("\n").filter((f) => f !== "" && !f.startsWith("test/fixtures/") && existsSync(path.join(ROOT, f)));
}

/** `[text](target)` links whose target is neither a web address nor only an anchor. */
function relativeLinks(text: string): string[] {
  const targets = [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith("#"));
}

test("every relative link in the docs resolves inside the repository", () => {
  const broken: string[] = [];
  for (const file of markdownFiles()) {
    for (const link of relativeLinks(readFileSync(path.join(ROOT, file), "utf8"))) {
      const target = path.resolve(ROOT, path.dirname(file), decodeURIComponent(link.split("#")[0]));
      const inside = target === ROOT || target.startsWith(`${ROOT}${path.sep}`);
      if (!inside || !existsSync(target)) broken.push(`${file}: ${link}`);
    }
  }
  expect(broken).toEqual([]);
});
