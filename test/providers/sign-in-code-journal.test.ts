/**
 * Issue 20 item 1 for the Pulumi provider: the sign-in code ledger lives in the state's outputs, and while an update
 * runs it is journalled under the project's `.roster/` (providers/code-journal.ts), because Pulumi writes the outputs
 * only when the update returns. An update that was killed leaves the journal, which the next update (and diff)
 * reads; a finished update empties it. In process (the engine entry the shim loads), against the emulator.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { createPool, startEmulatorForSdk } from "../support/emulator-pool";
import { loadRoster } from "../../load/load-roster";
import { digestDeclaredUsers, rosterDigest, usernameDigest } from "../../core/user-digest";
import type { PoolProfile } from "../../core/profile";
import { userPoolRosterEngine } from "../../providers/roster-engine-entry";
import { LOGS_ROLE, makeCheckout, range, traineeEmail, traineeProfile } from "../support/roster-fixture";

let emulator: RunningEmulator;
let stop: () => Promise<void>;
const cwd = process.cwd();
beforeAll(async () => {
  ({ emulator, stop } = await startEmulatorForSdk());
});
afterAll(async () => {
  process.chdir(cwd);
  await stop();
});

test("codes recorded in the outputs, the journal emptied after each update, and a killed update's journal read by the next: no second code", async () => {
  const profile: PoolProfile = traineeProfile({ sendSignInCode: "afterImport" });
  await createPool(emulator, profile);
  const checkout = makeCheckout();
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  process.chdir(checkout.repoRoot);
  try {
    const inputsFor = () => {
      const loaded = loadRoster({ usersDir: checkout.usersDir, repoRoot: checkout.repoRoot, profile });
      const digest = rosterDigest(digestDeclaredUsers(profile.userPoolId, loaded.users, profile.usernameCaseSensitive));
      const { logsRoleArn: _role, ...profileInput } = profile;
      return { usersDir: "users", profile: profileInput, logsRoleArn: LOGS_ROLE, rosterDigest: digest };
    };
    const journal = path.join(checkout.repoRoot, ".roster", `sign-in-codes-${profile.userPoolId}.jsonl`);
    const sent = () => emulator.sentCodes().filter((c) => c.userPoolId === profile.userPoolId && c.reason === "AdminResetUserPassword");

    checkout.write("london/2026-08.yaml", range(1, 3));
    const created = await userPoolRosterEngine.create(inputsFor());
    const codes = created.outs.signInCodes as { sent: string[]; pending: string[] };
    expect(codes.sent).toHaveLength(3);
    expect(sent()).toHaveLength(3);
    expect(existsSync(journal)).toBe(false);

    // A killed update had already sent trainee 4 a code (journalled) when it died: the state does not know of it.
    checkout.write("kss/2026-09.yaml", range(4, 4));
    const fourth = usernameDigest(profile.userPoolId, traineeEmail(4), profile.usernameCaseSensitive);
    const revision = (created.outs.signInCodes as { revision: number }).revision;
    mkdirSync(path.dirname(journal), { recursive: true });
    writeFileSync(journal, `${JSON.stringify({ revision: revision + 1, set: { [fourth]: "sent" }, awaiting: {} })}\n`);
    const resumed = await userPoolRosterEngine.update(created.id, created.outs, inputsFor());
    expect((resumed.outs.lastApply as { imported: number }).imported).toBe(1);
    expect(sent()).toHaveLength(3); // never a second code
    expect((resumed.outs.signInCodes as { sent: string[] }).sent).toContain(fourth);
    expect(existsSync(journal)).toBe(false);
    expect((await userPoolRosterEngine.diff(created.id, resumed.outs, inputsFor())).changes).toBe(false);
  } finally {
    process.chdir(cwd);
    stderr.mockRestore();
    checkout.cleanup();
  }
});
