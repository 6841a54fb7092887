/**
 * CloudWatch Logs as far as import jobs need it: groups, streams, events — and the three read operations
 * (`Logs_20140328.DescribeLogStreams`, `GetLogEvents`, `FilterLogEvents`) with their token semantics
 * (GetLogEvents hands back the same forward token when there is nothing more: loop until it repeats).
 *
 * Everything is regional: a group named for a pool (`/aws/cognito/userpools/<region>_…/…`) exists only in that
 * pool's Region. An event is readable from its `ingestionTime` on ("ingestion is asynchronous"), and a page
 * mid-stream may be partial or empty when the partial-pages fault is armed — as the GetLogEvents reference says:
 * "A returned page might only be partially full, or even empty … As long as the nextForwardToken … is NOT equal
 * to the nextToken that you passed, there might be more log events."
 *
 * Timestamps here are epoch milliseconds, as the Logs API uses them.
 */
import { ServiceError } from "./errors";
import { validateRequest, type Rules, type StringRule } from "./request-validation";

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

export interface LogStream {
  name: string;
  creationTime: number;
  events: LogEvent[];
}

export interface LogGroup {
  name: string;
  creationTime: number;
  streams: Map<string, LogStream>;
}

export class LogsStore {
  readonly groups = new Map<string, LogGroup>();
  /** Distinguishes the forward tokens of successive pages that stop short of the end at one position. */
  pageSerial = 0;

  ensureStream(groupName: string, streamName: string, now: number): LogStream {
    let group = this.groups.get(groupName);
    if (!group) {
      group = { name: groupName, creationTime: now, streams: new Map() };
      this.groups.set(groupName, group);
    }
    let stream = group.streams.get(streamName);
    if (!stream) {
      stream = { name: streamName, creationTime: now, events: [] };
      group.streams.set(streamName, stream);
    }
    return stream;
  }
}

/** What a read needs besides the store: the signing Region, the emulator clock and the partial-page fault. */
export interface LogsReadContext {
  region: string;
  now: number;
  /** How many of `full` available events a page mid-stream returns (`full` unless a partial-pages fault is armed). */
  pageSize(full: number): number;
}

/** The Region a Cognito import log group lives in (from the pool id in its name), if it names one. */
function regionOfGroup(name: string): string | undefined {
  const m = /^\/aws\/cognito\/userpools\/([a-z0-9-]+)_[0-9A-Za-z]+\//.exec(name);
  return m ? m[1] : undefined;
}

/** Events readable now: those ingested by `now` (appended in order, so a prefix of the stream). */
function readable(events: LogEvent[], now: number): LogEvent[] {
  let n = events.length;
  while (n > 0 && events[n - 1].ingestionTime > now) n--;
  if (n === events.length) return events;
  // Ingestion times are non-decreasing in practice; a later event ingested earlier still waits for its predecessors.
  let k = 0;
  while (k < n && events[k].ingestionTime <= now) k++;
  return events.slice(0, k);
}

const GROUP_NAME: StringRule = { kind: "string", min: 1, max: 512, pattern: "[\\.\\-_/#A-Za-z0-9]+" };
const STREAM_NAME: StringRule = { kind: "string", min: 1, max: 512, pattern: "[^:*]*" };
const TOKEN: StringRule = { kind: "string", min: 1 };

const groupNotFound = () => new ServiceError("ResourceNotFoundException", "The specified log group does not exist.");
const streamNotFound = () => new ServiceError("ResourceNotFoundException", "The specified log stream does not exist.");
const badToken = () => new ServiceError("InvalidParameterException", "The specified nextToken is invalid.");

function groupOf(store: LogsStore, input: Record<string, unknown>, region: string): LogGroup {
  const name = (input.logGroupName ?? input.logGroupIdentifier) as string | undefined;
  if (name === undefined)
    throw new ServiceError("InvalidParameterException", "Either logGroupName or logGroupIdentifier must be specified.");
  const group = store.groups.get(name);
  const groupRegion = regionOfGroup(name);
  if (!group || (groupRegion !== undefined && groupRegion !== region)) throw groupNotFound();
  return group;
}

function decodeIndex(token: unknown, prefix: string): number {
  if (token === undefined) return -1;
  const m = new RegExp(`^${prefix}/(\\d+)(?:/\\d+)?$`).exec(String(token));
  if (!m) throw badToken();
  return Number(m[1]);
}

export function describeLogStreams(store: LogsStore, input: Record<string, unknown>, accountId: string, ctx: LogsReadContext): unknown {
  const region = ctx.region;
  const rules: Rules = {
    logGroupName: GROUP_NAME,
    logGroupIdentifier: { kind: "string", min: 1, max: 2048, pattern: "[\\w#+=/:,.@-]*" },
    logStreamNamePrefix: STREAM_NAME,
    orderBy: { kind: "string", enum: ["LogStreamName", "LastEventTime"] },
    descending: { kind: "boolean" },
    nextToken: TOKEN,
    limit: { kind: "number", min: 1, max: 50 },
  };
  validateRequest(input, rules);
  const group = groupOf(store, input, region);
  const orderBy = (input.orderBy as string | undefined) ?? "LogStreamName";
  const prefix = input.logStreamNamePrefix as string | undefined;
  if (prefix !== undefined && orderBy === "LastEventTime") {
    throw new ServiceError("InvalidParameterException", "Cannot order by LastEventTime with a logStreamNamePrefix.");
  }
  let streams = [...group.streams.values()].filter((s) => prefix === undefined || s.name.startsWith(prefix));
  const visible = (s: LogStream) => readable(s.events, ctx.now);
  const last = (s: LogStream) => {
    const events = visible(s);
    return events.length ? events[events.length - 1].timestamp : 0;
  };
  streams.sort(orderBy === "LastEventTime" ? (a, b) => last(a) - last(b) : (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (input.descending === true) streams = streams.reverse();
  const start = decodeIndex(input.nextToken, "s") + 1;
  const limit = (input.limit as number | undefined) ?? 50;
  const page = streams.slice(start, start + limit);
  const out: Record<string, unknown> = {
    logStreams: page.map((s) => {
      const entry: Record<string, unknown> = {
        logStreamName: s.name,
        creationTime: s.creationTime,
        arn: `arn:aws:logs:${region}:${accountId}:log-group:${group.name}:log-stream:${s.name}`,
        storedBytes: 0,
      };
      const events = visible(s);
      if (events.length > 0) {
        entry.firstEventTimestamp = events[0].timestamp;
        entry.lastEventTimestamp = last(s);
        entry.lastIngestionTime = events[events.length - 1].ingestionTime;
      }
      return entry;
    }),
  };
  if (start + limit < streams.length) out.nextToken = `s/${start + limit - 1}`;
  return out;
}

export function getLogEvents(store: LogsStore, input: Record<string, unknown>, ctx: LogsReadContext): unknown {
  validateRequest(input, {
    logGroupName: GROUP_NAME,
    logGroupIdentifier: { kind: "string", min: 1, max: 2048 },
    logStreamName: { ...STREAM_NAME, required: true },
    startTime: { kind: "number", min: 0 },
    endTime: { kind: "number", min: 0 },
    nextToken: TOKEN,
    limit: { kind: "number", min: 1, max: 10000 },
    startFromHead: { kind: "boolean" },
  });
  const group = groupOf(store, input, ctx.region);
  const stream = group.streams.get(input.logStreamName as string);
  if (!stream) throw streamNotFound();
  const startTime = input.startTime as number | undefined;
  const endTime = input.endTime as number | undefined;
  const inRange = (e: LogEvent) =>
    (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp < endTime);
  const ingested = readable(stream.events, ctx.now);
  const events = startTime === undefined && endTime === undefined ? ingested : ingested.filter(inRange);
  const limit = (input.limit as number | undefined) ?? 10000;
  const token = input.nextToken as string | undefined;
  let from: number;
  let to: number;
  const backward = token?.startsWith("b/") === true;
  if (backward) {
    to = decodeIndex(token, "b");
    from = Math.max(0, to - limit);
  } else if (token !== undefined) {
    from = decodeIndex(token, "f");
    to = Math.min(events.length, from + limit);
  } else if (input.startFromHead === true) {
    from = 0;
    to = Math.min(events.length, limit);
  } else {
    to = events.length;
    from = Math.max(0, to - limit);
  }
  from = Math.min(from, events.length);
  to = Math.max(from, Math.min(to, events.length));
  if (!backward && to > from) to = from + ctx.pageSize(to - from);
  // The end of the stream is said by handing back the very token that was passed; a page that stops short of the
  // readable end gets a token of its own (with a serial), so even an empty page mid-stream never looks like the end.
  const atEnd = to >= events.length;
  const forward =
    atEnd && token !== undefined && !backward && decodeIndex(token, "f") === to
      ? token
      : `f/${String(to).padStart(20, "0")}${atEnd ? "" : `/${++store.pageSerial}`}`;
  return {
    events: events.slice(from, to).map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
    nextForwardToken: forward,
    nextBackwardToken: `b/${String(from).padStart(20, "0")}`,
  };
}

/** Filter patterns: plain terms (all must occur) and "quoted phrases"; an empty pattern matches everything. */
function compileFilterPattern(pattern: string | undefined): (message: string) => boolean {
  if (pattern === undefined || pattern.trim() === "") return () => true;
  const terms: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (const m of pattern.matchAll(re)) terms.push(m[1] ?? m[2]);
  return (message) => terms.every((t) => message.includes(t));
}

export function filterLogEvents(store: LogsStore, input: Record<string, unknown>, ctx: LogsReadContext): unknown {
  validateRequest(input, {
    logGroupName: GROUP_NAME,
    logGroupIdentifier: { kind: "string", min: 1, max: 2048 },
    logStreamNames: { kind: "list", min: 1, max: 100, member: STREAM_NAME },
    logStreamNamePrefix: STREAM_NAME,
    startTime: { kind: "number", min: 0 },
    endTime: { kind: "number", min: 0 },
    filterPattern: { kind: "string", min: 0, max: 1024 },
    nextToken: TOKEN,
    limit: { kind: "number", min: 1, max: 10000 },
  });
  if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
    throw new ServiceError("InvalidParameterException", "logStreamNames and logStreamNamePrefix are mutually exclusive");
  }
  const streams = searchedStreams(groupOf(store, input, ctx.region), input);
  const match = compileFilterPattern(input.filterPattern as string | undefined);
  const startTime = input.startTime as number | undefined;
  const endTime = input.endTime as number | undefined;
  const limit = (input.limit as number | undefined) ?? 10000;
  let [si, ei] = filterPosition(input.nextToken);
  const events: Record<string, unknown>[] = [];
  for (; si < streams.length; si++, ei = 0) {
    const s = streams[si];
    const visible = readable(s.events, ctx.now);
    for (; ei < visible.length; ei++) {
      if (events.length >= limit) break;
      const e = visible[ei];
      if (startTime !== undefined && e.timestamp < startTime) continue;
      if (endTime !== undefined && e.timestamp > endTime) continue;
      if (!match(e.message)) continue;
      events.push({
        logStreamName: s.name,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: `${si}-${ei}`,
      });
    }
    if (events.length >= limit) break;
  }
  const out: Record<string, unknown> = {
    events,
    searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
  };
  if (si < streams.length && (ei < readable(streams[si].events, ctx.now).length || si + 1 < streams.length)) out.nextToken = `${si}:${ei}`;
  return out;
}

/** The streams FilterLogEvents searches, by name: those `logStreamNames` names, those with the prefix, or all. */
function searchedStreams(group: LogGroup, input: Record<string, unknown>): LogStream[] {
  const names = input.logStreamNames as string[] | undefined;
  const prefix = input.logStreamNamePrefix as string | undefined;
  return [...group.streams.values()]
    .filter((s) => (names === undefined || names.includes(s.name)) && (prefix === undefined || s.name.startsWith(prefix)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A FilterLogEvents token, "<stream index>:<event index>" of the next event to look at; without one, the start. */
function filterPosition(token: unknown): [number, number] {
  if (token === undefined) return [0, 0];
  const m = /^(\d+):(\d+)$/.exec(String(token));
  if (!m) throw badToken();
  return [Number(m[1]), Number(m[2])];
}
