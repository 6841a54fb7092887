/**
 * Saves and loads the emulator state. One JSON value per line (pools, users, jobs, log streams, log events in
 * chunks) so a 500,000-user pool is written without building one giant string; written to `<file>.tmp`,
 * fsynced, then renamed over the file, so a kill at any moment leaves either the old or the new state.
 * Uploaded CSV files live beside it in `<file>.uploads/<jobId>.csv` (same tmp + rename).
 *
 * A running emulator does not rewrite the file after every call: `coalescedSaves` writes the first change at once
 * and later ones at most once per interval, and `flush` (on stop, which SIGTERM and Ctrl-C reach) writes what is
 * pending. A kill -9 loses at most the last interval's changes, never the file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { AppClient, EmulatorState, ImportJob } from "./emulator-state";
import { LogsStore, type LogEvent } from "./logs";
import type { PoolConfig } from "./pool-model";
import { UsersStore, type StoredUser } from "./users-store";
import { addMember, groupsOf, liveMembers, type StoredGroup } from "./groups";

type Line =
  | { t: "meta"; version: 1; jobSeq: number }
  | { t: "pool"; config: PoolConfig }
  | { t: "users"; pool: string; users: UserRow[] }
  | { t: "job"; job: ImportJob }
  | { t: "client"; client: AppClient }
  | ({ t: "group"; pool: string; members: string[] } & Pick<
      StoredGroup,
      "name" | "description" | "roleArn" | "precedence" | "created" | "modified"
    >)
  | { t: "stream"; group: string; stream: string; created: number; groupCreated: number }
  | { t: "events"; group: string; stream: string; events: EventRow[] };

/** Compact rows: a 500,000-user pool is written in a few seconds and stays far smaller than keyed objects. */
type UserRow = [
  username: string,
  attributes: Record<string, string>,
  enabled: boolean,
  status: StoredUser["status"],
  created: number,
  modified: number,
  seq: number,
  password?: string,
];
type EventRow = [timestamp: number, message: string, ingestionTime: number];

const toUserRow = (u: StoredUser): UserRow =>
  u.password === undefined
    ? [u.username, u.attributes, u.enabled, u.status, u.created, u.modified, u.seq]
    : [u.username, u.attributes, u.enabled, u.status, u.created, u.modified, u.seq, u.password];
const fromUserRow = (r: UserRow): StoredUser => ({
  username: r[0],
  attributes: r[1],
  enabled: r[2],
  status: r[3],
  created: r[4],
  modified: r[5],
  seq: r[6],
  ...(r[7] !== undefined ? { password: r[7] } : {}),
});
const toEventRow = (e: LogEvent): EventRow => [e.timestamp, e.message, e.ingestionTime];
const fromEventRow = (r: EventRow): LogEvent => ({ timestamp: r[0], message: r[1], ingestionTime: r[2] });

const CHUNK = 2000;

export function emptyState(): EmulatorState {
  return { pools: new Map(), jobs: new Map(), uploads: new Map(), clients: new Map(), sent: [], logs: new LogsStore(), jobSeq: 0 };
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

/** The shortest time between two saves of a running emulator. */
const SAVE_INTERVAL_MS = 250;

interface CoalescedSaves {
  /** Something changed: saved now if no save happened within the interval, else at the interval's end. */
  changed(): void;
  /** Saves a pending change now and stops the timer (the emulator is stopping). */
  flush(): void;
}

/**
 * Coalesces saves (see the header). The wait after a save is at least `intervalMs` and at least four times as long
 * as that save took, so a large pool spends at most a fifth of its time writing its state.
 */
export function coalescedSaves(save: () => void, intervalMs = SAVE_INTERVAL_MS, now: () => number = Date.now): CoalescedSaves {
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  const saveAndWait = () => {
    pending = false;
    const started = now();
    save();
    timer = setTimeout(afterWait, Math.max(intervalMs, 4 * (now() - started)));
    // A pending save never keeps the process alive: stopping flushes it.
    timer.unref();
  };
  const afterWait = () => {
    timer = undefined;
    if (pending) saveAndWait();
  };
  return {
    changed() {
      if (timer === undefined) saveAndWait();
      else pending = true;
    },
    flush() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (pending) {
        pending = false;
        save();
      }
    },
  };
}

export function saveState(file: string, state: EmulatorState): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    // One write per line keeps every string small (a chunk of users is ~1 MB) however big the pool is.
    const write = (line: Line) => {
      fs.writeSync(fd, `${JSON.stringify(line)}\n`);
    };
    write({ t: "meta", version: 1, jobSeq: state.jobSeq });
    for (const p of state.pools.values()) {
      write({ t: "pool", config: p.config });
      let chunk: UserRow[] = [];
      for (const u of p.users.inOrder()) {
        chunk.push(toUserRow(u));
        if (chunk.length >= CHUNK) {
          write({ t: "users", pool: p.config.id, users: chunk });
          chunk = [];
        }
      }
      if (chunk.length) write({ t: "users", pool: p.config.id, users: chunk });
      // After the users: a group's members are subs of users already loaded.
      for (const g of p.groups?.groups.values() ?? []) {
        write({
          t: "group",
          pool: p.config.id,
          name: g.name,
          description: g.description,
          roleArn: g.roleArn,
          precedence: g.precedence,
          created: g.created,
          modified: g.modified,
          members: liveMembers(p, g),
        });
      }
    }
    for (const job of state.jobs.values()) write({ t: "job", job });
    for (const client of state.clients.values()) write({ t: "client", client });
    for (const g of state.logs.groups.values()) {
      for (const s of g.streams.values()) {
        write({ t: "stream", group: g.name, stream: s.name, created: s.creationTime, groupCreated: g.creationTime });
        for (let i = 0; i < s.events.length; i += CHUNK)
          write({ t: "events", group: g.name, stream: s.name, events: s.events.slice(i, i + CHUNK).map(toEventRow) });
      }
    }
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
  for (const raw of readLines(file)) {
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
        if (p) for (const u of line.users) p.users.restore(fromUserRow(u));
        break;
      }
      case "job": {
        state.jobs.set(line.job.JobId, line.job);
        const upload = path.join(uploadsDir(file), `${line.job.JobId}.csv`);
        const unfinished = line.job.Status === "Created" || line.job.Status === "Pending" || line.job.Status === "InProgress";
        if (unfinished && line.job.uploaded && fs.existsSync(upload)) state.uploads.set(line.job.JobId, fs.readFileSync(upload));
        break;
      }
      case "client":
        state.clients.set(line.client.ClientId, line.client);
        break;
      case "group": {
        const p = state.pools.get(line.pool);
        if (!p) break;
        const g = groupsOf(p).add(
          line.name,
          { description: line.description, roleArn: line.roleArn, precedence: line.precedence },
          line.created,
        );
        g.modified = line.modified;
        for (const sub of line.members) addMember(g, sub);
        break;
      }
      case "stream": {
        const s = state.logs.ensureStream(line.group, line.stream, line.created);
        s.creationTime = line.created;
        const g = state.logs.groups.get(line.group);
        if (g) g.creationTime = line.groupCreated;
        break;
      }
      case "events": {
        const events = state.logs.ensureStream(line.group, line.stream, 0).events;
        for (const e of line.events) events.push(fromEventRow(e));
        break;
      }
    }
  }
  return state;
}

/** The file's lines, read in 16 MB blocks: a big state file is never one string (V8 caps strings near 512 MB). */
function* readLines(file: string): Generator<string> {
  const fd = fs.openSync(file, "r");
  try {
    const block = Buffer.alloc(16 * 1024 * 1024);
    let carry = Buffer.alloc(0);
    for (;;) {
      const n = fs.readSync(fd, block, 0, block.length, null);
      if (n === 0) break;
      const data = carry.length ? Buffer.concat([carry, block.subarray(0, n)]) : block.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        yield data.toString("utf8", start, nl);
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
    }
    if (carry.length) yield carry.toString("utf8");
  } finally {
    fs.closeSync(fd);
  }
}
