/**
 * Saves and loads the emulator state. One JSON value per line (pools, users, jobs, log streams, log events in
 * chunks) so a 500,000-user pool is written without building one giant string; written to `<file>.tmp`,
 * fsynced, then renamed over the file, so a kill at any moment leaves either the old or the new state.
 * Uploaded CSV files live beside it in `<file>.uploads/<jobId>.csv` (same tmp + rename).
 */
import * as fs from "fs";
import * as path from "path";
import type { EmulatorState, ImportJob } from "./emulator-state";
import { LogsStore, type LogEvent } from "./logs";
import type { PoolConfig } from "./pool-model";
import { UsersStore, type StoredUser } from "./users-store";

type Line =
  | { t: "meta"; version: 1; jobSeq: number }
  | { t: "pool"; config: PoolConfig }
  | { t: "users"; pool: string; users: StoredUser[] }
  | { t: "job"; job: ImportJob }
  | { t: "stream"; group: string; stream: string; created: number; groupCreated: number }
  | { t: "events"; group: string; stream: string; events: LogEvent[] };

const CHUNK = 2000;

export function emptyState(): EmulatorState {
  return { pools: new Map(), jobs: new Map(), uploads: new Map(), logs: new LogsStore(), jobSeq: 0 };
}

function uploadsDir(file: string): string {
  return `${file}.uploads`;
}

export function saveUpload(file: string, jobId: string, bytes: Buffer): void {
  const dir = uploadsDir(file);
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, `${jobId}.csv`);
  fs.writeFileSync(`${target}.tmp`, bytes);
  fs.renameSync(`${target}.tmp`, target);
}

export function saveState(file: string, state: EmulatorState): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    let buffer: string[] = [];
    const write = (line: Line) => {
      buffer.push(JSON.stringify(line));
      if (buffer.length >= 64) flush();
    };
    const flush = () => {
      if (buffer.length) fs.writeSync(fd, buffer.join("\n") + "\n");
      buffer = [];
    };
    write({ t: "meta", version: 1, jobSeq: state.jobSeq });
    for (const p of state.pools.values()) {
      write({ t: "pool", config: p.config });
      let chunk: StoredUser[] = [];
      for (const u of p.users.inOrder()) {
        chunk.push(u);
        if (chunk.length >= CHUNK) {
          write({ t: "users", pool: p.config.id, users: chunk });
          chunk = [];
        }
      }
      if (chunk.length) write({ t: "users", pool: p.config.id, users: chunk });
    }
    for (const job of state.jobs.values()) write({ t: "job", job });
    for (const g of state.logs.groups.values()) {
      for (const s of g.streams.values()) {
        write({ t: "stream", group: g.name, stream: s.name, created: s.creationTime, groupCreated: g.creationTime });
        for (let i = 0; i < s.events.length; i += CHUNK) write({ t: "events", group: g.name, stream: s.name, events: s.events.slice(i, i + CHUNK) });
      }
    }
    flush();
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Loads the state file; an absent file is an empty state. */
export function loadState(file: string): EmulatorState {
  const state = emptyState();
  if (!fs.existsSync(file)) return state;
  const text = fs.readFileSync(file, "utf8");
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end);
    start = end + 1;
    if (raw.trim() === "") continue;
    const line = JSON.parse(raw) as Line;
    switch (line.t) {
      case "meta":
        state.jobSeq = line.jobSeq;
        break;
      case "pool":
        state.pools.set(line.config.id, { config: line.config, users: new UsersStore(line.config.caseSensitive) });
        break;
      case "users": {
        const p = state.pools.get(line.pool);
        if (p) for (const u of line.users) p.users.restore(u);
        break;
      }
      case "job": {
        state.jobs.set(line.job.JobId, line.job);
        const upload = path.join(uploadsDir(file), `${line.job.JobId}.csv`);
        if (line.job.uploaded && fs.existsSync(upload)) state.uploads.set(line.job.JobId, fs.readFileSync(upload));
        break;
      }
      case "stream": {
        const s = state.logs.ensureStream(line.group, line.stream, line.created);
        s.creationTime = line.created;
        const g = state.logs.groups.get(line.group);
        if (g) g.creationTime = line.groupCreated;
        break;
      }
      case "events":
        state.logs.ensureStream(line.group, line.stream, 0).events.push(...line.events);
        break;
    }
  }
  return state;
}
