import * as path from "node:path";
import { loadRoster } from "../../load/load-roster";
import { loadRosterParallel, workerSource } from "../../load/load-roster-parallel";
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
});
