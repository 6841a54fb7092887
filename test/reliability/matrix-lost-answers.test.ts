/**
 * Fault matrix, family "lost-answers" (matrix-suite.ts): the service carries out each mutating call the roster sends,
 * then the answer is lost (the caller's connection is cut), with sign-in codes on. The group calls run on the "groups"
 * roster (a managed group, matrix-scenario.ts), whose rows also check each group's members against the files.
 */
import { matrixSuite } from "./matrix-suite";
import { CODES, GROUPS, UPLOAD } from "./matrix-faults";
import { GROUPS_LEAVER } from "./matrix-scenario";
import { traineeEmail } from "./matrix-world";

const LEAVER = traineeEmail(GROUPS_LEAVER).toLowerCase();

matrixSuite("lost-answers", (suite) => {
  for (const [op, kind] of [
    ["CreateUserImportJob", "onboard"],
    [UPLOAD, "onboard"],
    ["StartUserImportJob", "onboard"],
    ["AdminResetUserPassword", "onboard"],
    ["AdminUpdateUserAttributes", "change"],
    ["AdminDisableUser", "change"],
    ["AdminEnableUser", "change"],
    ["AdminAddUserToGroup", "groups"],
    ["AdminRemoveUserFromGroup", "groups"],
  ] as const) {
    suite.matrixRow(`the answer to ${op} lost after the service acted, codes on`, () => ({
      fault: `answer to ${op} lost after the service acted (codes on)`,
      how: `proxy: the first ${op} is carried out by the emulator, then the caller's connection is cut${kind === "onboard" ? "" : ` (${kind === "change" ? "change" : "group"} roster)`}`,
      kind,
      world: kind === "groups" ? GROUPS : CODES,
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

  // Taking access away: the leaver's removal from the group (the roster sends it after the declared users' removes,
  // so the row above never cuts it).
  suite.matrixRow("the answer to AdminRemoveUserFromGroup for a leaver lost after the service acted, codes on", () => {
    let cut = false;
    let owed: string[] = [];
    return {
      fault: "answer to AdminRemoveUserFromGroup for a leaver lost after the service acted (codes on)",
      how: "proxy: the AdminRemoveUserFromGroup for the trainee no longer declared (disabled and taken out of the group) is carried out by the emulator, then the caller's connection is cut (group roster)",
      kind: "groups",
      world: GROUPS,
      arm: (w, notes) => {
        owed = notes;
        w.proxy.hooks.afterAnswer = (call, answer) => {
          if (cut || call.operation !== "AdminRemoveUserFromGroup" || answer.status !== 200) return undefined;
          if ((JSON.parse(call.requestBody) as { Username?: string }).Username?.toLowerCase() !== LEAVER) return undefined;
          cut = true;
          return "cut";
        };
      },
      disarm: () => {
        if (!cut) owed.push("FAIL: no AdminRemoveUserFromGroup for the leaver was sent, so none was cut");
      },
    };
  });
});
