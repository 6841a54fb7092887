/**
 * The two sign-in reminder providers as Pulumi runs them: serialised, loaded by Pulumi's own dynamic-provider host
 * in another process and driven over gRPC (the shims load the engine from the checkout's dist/, here the TypeScript
 * sources), against the emulator. One `up` two days after the import: the marks count the round in their outputs,
 * the sends, fed that round and the same runAt, send it; a later `up` whose marks did not change sends nothing.
 */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { applyRoster } from "../../engine/reconcile";
import { reminderMarksProvider, reminderSendsProvider } from "../../providers/sign-in-reminders-provider";
import { createPool, startEmulatorForSdk } from "../support/emulator-pool";
import { ProviderHost, resourceUrn, serializeProvider, type Props } from "../support/provider-host";
import { makeCheckout, range, traineeProfile, type RosterCheckout } from "../support/roster-fixture";

const PROJECT_ROOT = path.resolve(__dirname, "../..");
const DAY = 86_400_000;

let emulator: RunningEmulator;
let stopEmulator: () => Promise<void>;
let host: ProviderHost;
let checkout: RosterCheckout;

beforeAll(async () => {
  ({ emulator, stop: stopEmulator } = await startEmulatorForSdk());
  checkout = makeCheckout();
  symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(checkout.repoRoot, "node_modules"), "dir");
  // What `npm run build` puts where the shims look, made from the sources instead.
  const entry = path.join(checkout.repoRoot, "dist", "providers", "sign-in-reminders-entry.js");
  mkdirSync(path.dirname(entry), { recursive: true });
  const hook = JSON.stringify(path.join(PROJECT_ROOT, "test", "support", "transpile-on-require.js"));
  const source = JSON.stringify(path.join(PROJECT_ROOT, "providers", "sign-in-reminders-entry.ts"));
  writeFileSync(entry, `"use strict";\nrequire(${hook});\nmodule.exports = require(${source});\n`);
  host = await ProviderHost.start({
    cwd: checkout.repoRoot,
    env: {
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  });
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await stopEmulator?.();
  checkout?.cleanup();
});

test("one up marks the round in the state, then sends exactly it; an up with nothing due sends nothing", async () => {
  const profile = traineeProfile({ signInReminders: { everyDays: 1, maxReminders: 2 } });
  await createPool(emulator, profile);
  checkout.write("london/intake.yaml", range(1, 3));
  await applyRoster({
    profile,
    usersDir: checkout.usersDir,
    repoRoot: checkout.repoRoot,
    timing: { pollMinMs: 20, pollMaxMs: 100, retryMinMs: 20 },
  });
  const { logsRoleArn: _role, ...profileInput } = profile;
  const marksText = await serializeProvider(reminderMarksProvider);
  const sendsText = await serializeProvider(reminderSendsProvider);
  const inputs = (runAt: number) => ({ usersDir: "users", profile: profileInput, runAt });
  const resetCodes = () =>
    emulator.sentCodes().filter((c) => c.userPoolId === profile.userPoolId && c.reason === "AdminResetUserPassword").length;

  // up 1, two days after the import.
  const runAt = Date.now() + 2 * DAY;
  const marksUrn = resourceUrn("reminder-marks");
  const marksInputs: Props = { __provider: marksText, ...inputs(runAt) };
  expect((await host.check(marksUrn, {}, marksInputs)).failures).toEqual([]);
  const marks = await host.create(marksUrn, marksInputs);
  const round = marks.properties.round as { at: number; digests: string[] };
  expect(round.at).toBe(runAt);
  expect(round.digests).toHaveLength(3);
  expect(marks.properties.lastMark).toEqual({ due: 3, capped: 0 });
  expect(resetCodes()).toBe(0); // counted, not sent
  const sendsUrn = resourceUrn("reminder-sends");
  const sends = await host.create(sendsUrn, { __provider: sendsText, ...inputs(runAt), round });
  expect(sends.properties.lastSend).toEqual({ at: runAt, sent: 3, uncertain: 0, refused: 0, skipped: 0 });
  expect(resetCodes()).toBe(3);

  // up 2, an hour later: the marks have nothing due (no change), so the sends get the old round: nothing is sent.
  const later = runAt + 3_600_000;
  expect((await host.diff(marks.id, marksUrn, marks.properties, { __provider: marksText, ...inputs(later) })).changes).toBe(false);
  const sendsLater = { __provider: sendsText, ...inputs(later), round };
  expect((await host.diff(sends.id, sendsUrn, sends.properties, sendsLater)).changes).toBe(false);
  expect(resetCodes()).toBe(3);
}, 120_000);
