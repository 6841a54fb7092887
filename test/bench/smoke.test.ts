/**
 * Every benchmark has a smoke run here (issue 19.7), at a small size and with `--no-write`: it must finish with
 * exit 0 and leave BENCHMARKS.md as it was (tests never write tracked files). The speed targets themselves live
 * in bench/ and BENCHMARKS.md, never in timed tests: nothing here looks at a time. Runs the compiled benchmarks
 * (dist/, built by `npm ci` / `npm test`), as `npm run bench` does.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const DIST = path.join(ROOT, "dist", "bench");
const BENCHMARKS = path.join(ROOT, "BENCHMARKS.md");

function bench(script: string, args: string[]) {
  const before = readFileSync(BENCHMARKS, "utf8");
  const r = spawnSync(process.execPath, [path.join(DIST, script), ...args], { cwd: ROOT, encoding: "utf8", timeout: 240_000 });
  expect({ script, args, status: r.status, stderr: r.status === 0 ? "" : r.stderr.slice(-2000) }).toEqual({
    script,
    args,
    status: 0,
    stderr: "",
  });
  expect(readFileSync(BENCHMARKS, "utf8")).toBe(before);
  return r.stdout;
}

test("validation (bench/run.ts): 300 users, every measurement", () => {
  expect(bench("run.js", ["--sizes", "300", "--no-write"])).toMatch(/300/);
}, 240_000);

test("hostile inputs (bench/hostile-bench.ts): three shapes at 0.1 MB, once each (each shape is a process of its own)", () => {
  const out = bench("run.js", [
    "hostile",
    "--mb",
    "0.1",
    "--repeat",
    "1",
    "--only",
    "valid-users,every-user-wrong,alias-nested-bomb",
    "--no-write",
  ]);
  expect(out.trim().split("\n")).toHaveLength(3);
}, 240_000);

test("onboarding AWS calls (bench/onboarding-bench.ts): a pool of 200", () => {
  bench("run.js", ["onboarding", "--sizes", "200", "--per-user", "0", "--no-write"]);
}, 240_000);

test("engine (bench/engine-bench.ts): 200 trainees, a pull request adding 5 (each with a mobile), a full check", () => {
  const out = bench("engine-bench.js", ["200", "--no-write"]);
  expect(out).toMatch(/plan of a pull request adding 5 trainees \| \d+ \| [^|]*\(5 to import, 200 unchanged\)/);
}, 240_000);

test("emulator scale (bench/emulator-bench.ts): 500 users", () => {
  expect(bench("emulator-bench.js", ["500", "--no-write"])).toMatch(/500 imported/);
}, 240_000);
