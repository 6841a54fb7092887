import * as path from "node:path";
import { loadRoster } from "../../load/load-roster";
import { loadRosterParallel, splitBySize, workerSource } from "../../load/load-roster-parallel";
import { fixtureCases } from "../core/fixture-cases";

describe("loadRosterParallel", () => {
  it("under ts-jest, workers run the TypeScript sources under test (transpiled on require), never a dist/ build", () => {
    const source = workerSource();
    expect(source).toMatchObject({ eval: true, typescript: { entry: path.resolve(__dirname, "../../load/load-roster-worker.ts") } });
    expect(source?.typescript?.compiler).toMatch(/node_modules[\\/]typescript[\\/]/);
  });

  const cases = [...fixtureCases("valid"), ...fixtureCases("invalid")].filter(
    (c) => c.name.includes("across-files") || c.name === "two-offices" || c.name === "duplicate-key",
  );
  it.each(cases.map((c) => [`${c.kind}/${c.name}`, c] as const))(
    "gives the same result as loadRoster with worker threads: %s",
    async (_label, c) => {
      const options = { usersDir: path.join(c.dir, "users"), repoRoot: c.dir, profile: c.profile };
      const parallel = await loadRosterParallel({ ...options, workers: 2, parallelThresholdBytes: 0 });
      expect(parallel).toEqual(loadRoster(options));
    },
  );

  it("splits files into shares of similar size, each in path order", () => {
    const files = [10, 50, 30, 20, 40].map((size, i) => ({ absolutePath: `/f${i}`, file: `f${i}`, size }));
    const shares = splitBySize(files, 2);
    expect(shares.flat().sort()).toEqual([0, 1, 2, 3, 4]);
    const bytes = shares.map((s) => s.reduce((sum, i) => sum + files[i].size, 0));
    expect(Math.abs(bytes[0] - bytes[1])).toBeLessThanOrEqual(20);
    for (const share of shares) expect(share).toEqual([...share].sort((a, b) => a - b));
  });
});
