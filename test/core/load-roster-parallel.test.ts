import * as path from "path";
import { loadRoster } from "../../core/load-roster";
import { loadRosterParallel, resolveWorkerScript, splitBySize } from "../../core/load-roster-parallel";
import { fixtureCases } from "./fixture-cases";

describe("loadRosterParallel", () => {
  it("finds the compiled worker script (npm run build ran) even under ts-jest", () => {
    expect(resolveWorkerScript()).toMatch(/dist[\\/]core[\\/]load-roster-worker\.js$/);
  });

  const cases = [...fixtureCases("valid"), ...fixtureCases("invalid")].filter((c) => c.name.includes("across-files") || c.name === "two-offices" || c.name === "duplicate-key");
  it.each(cases.map((c) => [`${c.kind}/${c.name}`, c] as const))("gives the same result as loadRoster with worker threads: %s", async (_label, c) => {
    const options = { usersDir: path.join(c.dir, "users"), repoRoot: c.dir, profile: c.profile };
    const parallel = await loadRosterParallel({ ...options, workers: 2, parallelThresholdBytes: 0 });
    expect(parallel).toEqual(loadRoster(options));
  });

  it("splits files into shares of similar size, each in path order", () => {
    const files = [10, 50, 30, 20, 40].map((size, i) => ({ absolutePath: `/f${i}`, file: `f${i}`, size }));
    const shares = splitBySize(files, 2);
    expect(shares.flat().sort()).toEqual([0, 1, 2, 3, 4]);
    const bytes = shares.map((s) => s.reduce((sum, i) => sum + files[i].size, 0));
    expect(Math.abs(bytes[0] - bytes[1])).toBeLessThanOrEqual(20);
    for (const share of shares) expect(share).toEqual([...share].sort((a, b) => a - b));
  });
});
