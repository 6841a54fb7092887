/**
 * Fault matrix, family "processes" (matrix-suite.ts): a roster process of its own, killed (SIGKILL, or SIGTERM) at
 * each step of an import, with and without sign-in codes, and two roster processes applying at once. The same kills
 * at 20,000 trainees are a benchmark (bench/kill-bench.ts, BENCHMARKS.md).
 */
import { matrixSuite } from "./matrix-suite";
import { CODES, concurrentApplies, killedIn } from "./matrix-faults";

matrixSuite("processes", (suite) => {
  for (const phase of ["create", "upload", "start", "poll", "confirm"] as const) {
    suite.matrixRow(`the process killed in the ${phase} phase`, () => killedIn(phase));
  }

  for (const [phase, signal] of [
    ["start", "SIGKILL"],
    ["poll", "SIGKILL"],
    ["poll", "SIGTERM"],
  ] as const) {
    suite.matrixRow(`the process stopped with ${signal} in the ${phase} phase, codes on`, () => ({
      ...killedIn(phase, signal),
      fault: `process stopped with ${signal} in the ${phase} phase (codes on)`,
      world: CODES,
    }));
  }

  for (const codes of [false, true]) {
    suite.matrixRow(`two concurrent applies${codes ? ", codes on" : ""}`, () => concurrentApplies(codes));
  }
});
