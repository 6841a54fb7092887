/**
 * Fault matrix, family "interruptions" (matrix-suite.ts): answers lost after the service acted (every mutating call
 * the roster sends), the roster process killed at each step of an import, and two applies at once.
 */
import { matrixSuite } from "./matrix-suite";
import { CODES, concurrentApplies, killedIn, UPLOAD } from "./matrix-faults";

matrixSuite("interruptions", (suite) => {
  for (const [op, kind] of [
    ["CreateUserImportJob", "onboard"],
    [UPLOAD, "onboard"],
    ["StartUserImportJob", "onboard"],
    ["AdminResetUserPassword", "onboard"],
    ["AdminUpdateUserAttributes", "change"],
    ["AdminDisableUser", "change"],
    ["AdminEnableUser", "change"],
  ] as const) {
    suite.matrixRow(`the answer to ${op} lost after the service acted, codes on`, () => ({
      fault: `answer to ${op} lost after the service acted (codes on)`,
      how: `proxy: the first ${op} is carried out by the emulator, then the caller's connection is cut${kind === "change" ? " (change roster)" : ""}`,
      kind,
      world: CODES,
      arm: (w) => {
        let cut = false;
        w.proxy.hooks.afterAnswer = (call, answer) => {
          if (cut || call.operation !== op || answer.status !== 200) return undefined;
          cut = true;
          return "cut";
        };
      },
    }));
  }

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
