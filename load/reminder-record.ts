/**
 * The sign-in reminder record on disk (core/sign-in-reminders.ts): `.roster/reminders-<stack>.json` by default,
 * digests and dates only. Written whole through a temporary file and a rename, so a crash leaves the old record or
 * the new one, never half of one; it is saved before each batch of reminders is sent (written ahead).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { ReminderRecord } from "../core/sign-in-reminders";

export function defaultReminderRecordPath(repoRoot: string, stack: string): string {
  return path.join(repoRoot, ".roster", `reminders-${stack}.json`);
}

/** An empty record when there is no file yet; throws on a file that is not a reminder record (never overwritten). */
export function readReminderRecord(file: string): ReminderRecord {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return { trainees: {} };
  }
  const data = JSON.parse(text) as Partial<ReminderRecord>;
  const entries = data.trainees;
  const valid =
    typeof entries === "object" &&
    entries !== null &&
    Object.values(entries).every((e) => Number.isInteger(e?.count) && e.count >= 0 && Number.isFinite(e?.lastAt));
  if (!valid) throw new Error(`${file} is not a sign-in reminder record`);
  return { ...(data.pool ? { pool: data.pool } : {}), trainees: entries };
}

export function writeReminderRecord(file: string, record: ReminderRecord): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 1)}\n`);
  renameSync(temporary, file);
}
