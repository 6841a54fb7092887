/**
 * Fault matrix, family "lost-answers" (matrix-suite.ts): the service carries out each mutating call the roster sends,
 * then the answer is lost (the caller's connection is cut), with sign-in codes on.
 */
import { matrixSuite } from "./matrix-suite";
import { CODES, UPLOAD } from "./matrix-faults";

matrixSuite("lost-answers", (suite) => {
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
});
