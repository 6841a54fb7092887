/**
 * Issue 20 item 4: saving the sign-in code ledger costs O(changes) per save — each save appends only what it changed
 * (core/sign-in-code-record.ts), the journal replays to the very record the run ends with, and an interrupted write
 * (a broken last line) costs nothing but that line.
 */
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { startEmulatorForSdk, createPool } from "../support/emulator-pool";
import { applyLedgerChange, type LedgerChange } from "../../core/sign-in-code-record";
import { appendCodeJournal, replayCodeJournal } from "../../load/code-journal";
import { applyRoster } from "../../engine/reconcile";
import { makeCheckout, range, traineeProfile } from "../support/roster-fixture";

let emulator: RunningEmulator;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ emulator, stop } = await startEmulatorForSdk());
});
afterAll(() => stop());

test("each save appends only its changes; replayed, the journal is the record the apply ends with", async () => {
  const profile = traineeProfile({ sendSignInCode: "afterImport" });
  await createPool(emulator, profile);
  const checkout = makeCheckout();
  const dir = mkdtempSync(path.join(tmpdir(), "codes-"));
  const journal = path.join(dir, "applied.codes.jsonl");
  try {
    checkout.write("london/2026-08.yaml", range(1, 45));
    const changes: LedgerChange[] = [];
    const result = await applyRoster({
      profile,
      usersDir: checkout.usersDir,
      repoRoot: checkout.repoRoot,
      timing: { pollMinMs: 10, pollMaxMs: 50, retryMinMs: 10 },
      clock: { now: () => Date.now(), sleep: async () => undefined },
      appendSignInCodes: (change) => {
        changes.push(change);
        appendCodeJournal(journal, change);
      },
    });
    expect(result.signInCodes).toMatchObject({ sent: 45, pending: 0 });
    // 45 awaited before the start, 45 owed once confirmed, 45 marked sent in batches of 20: O(changes), not O(record).
    const entries = changes.reduce((n, c) => n + Object.keys(c.set).length + Object.values(c.awaiting).flat().length, 0);
    expect(entries).toBeLessThanOrEqual(3 * 45 + 5);
    expect(Math.max(...changes.slice(-6).map((c) => Object.keys(c.set).length))).toBeLessThanOrEqual(20);
    expect(replayCodeJournal(journal, undefined)).toEqual(result.signInCodes?.record);
    // An interrupted write leaves a broken last line: it is skipped, the rest replays.
    appendFileSync(journal, '{"revision": 9999, "set": {"ab');
    expect(replayCodeJournal(journal, undefined)).toEqual(result.signInCodes?.record);
  } finally {
    checkout.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a change older than the record is ignored; a reset starts from an empty record", () => {
  const record = { pending: ["a"], sent: ["b"], revision: 5 };
  expect(applyLedgerChange(record, { revision: 5, set: { a: "sent" }, awaiting: {} })).toBe(record);
  expect(applyLedgerChange(record, { revision: 6, set: { a: "unknown" }, awaiting: { j: ["c"] } })).toEqual({
    pending: [],
    sent: ["a", "b"],
    unknown: ["a"],
    awaiting: { j: ["c"] },
    revision: 6,
  });
  expect(applyLedgerChange(record, { revision: 6, reset: true, set: { c: "pending" }, awaiting: {} })).toEqual({
    pending: ["c"],
    sent: [],
    revision: 6,
  });
});
