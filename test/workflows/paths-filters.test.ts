/**
 * The `paths` filters of the apply and pull-request workflows, derived from what they run: every file reachable
 * through imports (relative `import`/`export … from`/`import()`/`require()`, JSON included) from the Pulumi program
 * (index.ts), the roster command (bin/cognito-roster.js → cli/main.ts) and the CI scripts, plus what decides how it is
 * built and run. A change to any of them must trigger the workflow; a filter that missed `load/` or `schemas/` let
 * a change to the program merge without an apply.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "../..");

/** Files read at run time or build time without an import: the build, the stack, the CLI's version. */
const BUILD_AND_RUN = ["package.json", "package-lock.json", "tsconfig.json", "Pulumi.yaml", "Pulumi.dev.yaml", ".pulumi-version"];

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const specs = [
    ...text.matchAll(/(?:import|export)\s[^"';]*?from\s*["']([^"']+)["']/g),
    ...text.matchAll(/(?:import|require)\s*\(\s*["']([^"']+)["']\s*\)/g),
    ...text.matchAll(/^import\s*["']([^"']+)["']/gm),
  ].map((m) => m[1]);
  return specs.filter((s) => s.startsWith(".")).map((s) => resolveLocal(file, s));
}

function resolveLocal(from: string, spec: string): string {
  const base = path.resolve(ROOT, path.dirname(from), spec);
  const candidates = [base, `${base}.ts`, `${base}.js`, path.join(base, "index.ts")];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  if (!found) throw new Error(`${from} imports ${spec}, which does not resolve`);
  return path.relative(ROOT, found).split(path.sep).join("/");
}

/** Every local file reachable from the entry points, entries included (compiled dist/ paths map to their sources). */
function reachable(entries: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    if (/\.(ts|js)$/.test(file)) queue.push(...importsOf(file).map(fromDist));
  }
  return [...seen].sort();
}

/** bin/cognito-roster.js requires dist/cli/main.js: its source is cli/main.ts. */
function fromDist(file: string): string {
  return file.startsWith("dist/") ? file.slice("dist/".length).replace(/\.js$/, ".ts") : file;
}

/** The files the dynamic provider loads at call time (the compiled engine entry): providers/ as a whole. */
function providerFiles(): string[] {
  return readdirSync(path.join(ROOT, "providers"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => `providers/${f}`);
}

function glob(pattern: string): RegExp {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*\*/g, "\u0000")
    .replace(/\*/g, "[^/]*")
    .replace(/\u0000/g, ".*");
  return new RegExp(`^${re}$`);
}

function pathsOf(file: string, event: string): RegExp[] {
  const workflow = parse(readFileSync(path.join(ROOT, ".github", "workflows", file), "utf8"));
  return (workflow.on[event].paths as string[]).map(glob);
}

// bin/cognito-roster.js loads dist/cli/main.js by a computed path: its source entry is named here.
const PROGRAM = reachable(["index.ts", ...providerFiles()]);
const COMMAND = reachable(["bin/cognito-roster.js", "cli/main.ts", ".github/scripts/diagnostics-to-annotations.js"]);

test("the import graph is found (a walker that finds nothing would make the filters look complete)", () => {
  expect(PROGRAM).toEqual(
    expect.arrayContaining(["index.ts", "program/roster-program.ts", "load/load-roster.ts", "schemas/users-file.schema.json"]),
  );
  expect(COMMAND).toEqual(expect.arrayContaining(["cli/main.ts", "engine/reconcile.ts", "aws/clients.ts", "core/untrusted-text.ts"]));
});

test.each([
  ["roster-apply.yml", "push"],
  ["roster-pull-request.yml", "pull_request"],
])("%s runs on a change to any file the program or the roster command is built from", (file, event) => {
  const filters = pathsOf(file, event);
  const missed = [...PROGRAM, ...COMMAND, ...BUILD_AND_RUN, "users/london/a.yaml"].filter((f) => !filters.some((re) => re.test(f)));
  expect(missed).toEqual([]);
});
