/**
 * ListUsers, as the API reference describes it — including what makes it hard to use:
 * - eventually consistent: "You might experience a delay before results are up-to-date. To validate the existence
 *   or configuration of an individual user, use AdminGetUser." With a lag set (faults.setListUsersLag /
 *   `list-users-lag:MS`), ListUsers shows every user as they were `lag` ms ago on the emulator clock: users created
 *   since are missing, users deleted since are still there, recent changes are not yet visible;
 * - short pages: "this operation might return fewer items than you specify in the Limit parameter without having
 *   reached the end of the full list. If the response contains a PaginationToken, then there are more results."
 *   (the short-pages fault; a filter scanning many users without a match does it too);
 * - AttributesToGet: "Amazon Cognito returns an error if not all users in the results have set a value for the
 *   attribute you request. Attributes that you can't filter on, including custom attributes, must have a value
 *   set in every user profile before an AttributesToGet parameter returns results." An unknown attribute is
 *   "One or more requested attributes do not exist." (the service's message, as reported in aws-sdk-js#2570).
 * The bookkeeping for the lag (versions, deleted users) is `recordWrite` / `recordDelete`, called by every write.
 */
import { randomInt } from "node:crypto";
import { invalidParameter } from "./errors";
import type { PoolState } from "./emulator-state";
import { pool, secs, type CognitoContext, type Input } from "./cognito-context";
import { SEARCHABLE_ATTRIBUTES, parseUserFilter, userMatcher, type FilterableUser } from "./list-users-filter";
import * as V from "./request-validation";
import type { StoredUser, UserVersion } from "./users-store";

const ATTRIBUTE_LIST: V.ListRule = { kind: "list", member: { ...V.ATTRIBUTE_NAME } };
const ATTRIBUTES_MISSING = "One or more requested attributes do not exist.";

/** A user as ListUsers shows it at one moment. */
type ListedUser = FilterableUser & { created: number; modified: number };

export function listUsers(ctx: CognitoContext, input: Input): unknown {
  V.validateRequest(input, {
    UserPoolId: V.USER_POOL_ID,
    AttributesToGet: ATTRIBUTE_LIST,
    Limit: { kind: "number", min: 0, max: 60 },
    PaginationToken: V.PAGINATION_KEY,
    Filter: { kind: "string", max: 256 },
  });
  const p = pool(ctx, input.UserPoolId as string);
  const filter = parseUserFilter(input.Filter as string | undefined);
  const only = input.AttributesToGet as string[] | undefined;
  if (only) checkRequestedAttributesExist(p, only);
  const after = decodeToken(input.PaginationToken);
  const limit = (input.Limit as number | undefined) || 60;
  const lag = ctx.faults.listUsersLagMs;
  const asOf = ctx.clock() - lag;
  p.users.purgeGhosts(asOf);
  const match = userMatcher(filter, p.config.caseSensitive);
  const views = new Map<StoredUser, ListedUser>();
  const accept = (u: StoredUser) => {
    const v = lag > 0 ? viewAt(u, asOf) : u.deletedAt === undefined ? u : undefined;
    if (!v || !match(v)) return false;
    views.set(u, v);
    return true;
  };
  const full = p.users.page(after, limit, accept);
  const page = shorten(ctx, p, full, after, accept);
  const users = page.users.map((u) => views.get(u) as ListedUser);
  if (only) checkRequestedAttributesSet(p, users, only);
  const out: Record<string, unknown> = { Users: users.map((u) => userShape(u, only)) };
  if (page.more) out.PaginationToken = encodeToken(page.lastSeq, page.serial);
  return out;
}

/** With the short-pages fault armed, a page that is not the last holds fewer users (maybe none) and still has a token. */
function shorten(
  ctx: CognitoContext,
  p: PoolState,
  full: { users: StoredUser[]; lastSeq: number; more: boolean },
  after: number,
  accept: (u: StoredUser) => boolean,
): { users: StoredUser[]; lastSeq: number; more: boolean; serial?: number } {
  if (!full.more || full.users.length === 0) return full;
  const keep = ctx.faults.takeShortPage("listUsers", full.users.length);
  if (keep >= full.users.length) return full;
  if (keep === 0) return { users: [], lastSeq: after, more: true, serial: randomInt(1_000_000_000) };
  const short = p.users.page(after, keep, accept);
  return { ...short, more: true };
}

/** The user as it was at `t`: undefined if created after `t` or deleted by then. */
function viewAt(u: StoredUser, t: number): ListedUser | undefined {
  if (u.created > t) return undefined;
  if (u.deletedAt !== undefined && u.deletedAt <= t) return undefined;
  if (u.modified <= t || !u.history?.length) return u;
  let version: UserVersion | undefined;
  for (const h of u.history) if (h.since <= t) version = h;
  version ??= u.history[0];
  return {
    username: u.username,
    created: u.created,
    attributes: version.attributes,
    enabled: version.enabled,
    status: version.status,
    modified: version.modified,
  };
}

/**
 * Called before any write to a user: while ListUsers lags, remembers how the user looked, for as long as the lag
 * can still show it. Without a lag it does nothing (and forgets any history).
 */
export function recordWrite(ctx: CognitoContext, u: StoredUser): void {
  const lag = ctx.faults.listUsersLagMs;
  if (lag <= 0) {
    if (u.history) delete u.history;
    return;
  }
  const now = ctx.clock();
  const history = u.history ?? [];
  history.push({ since: u.modified, attributes: { ...u.attributes }, enabled: u.enabled, status: u.status, modified: u.modified });
  // A version is still needed while the one after it is younger than the lag.
  while (history.length > 1 && history[1].since <= now - lag) history.shift();
  u.history = history;
}

/** Deletes a user; while ListUsers lags, the user stays listable until the lag has passed. */
export function recordDelete(ctx: CognitoContext, p: PoolState, username: string): void {
  const lag = ctx.faults.listUsersLagMs;
  p.users.delete(username, ctx.clock(), lag > 0);
}

function checkRequestedAttributesExist(p: PoolState, names: readonly string[]): void {
  for (const n of names) if (!p.config.schema.some((a) => a.Name === n)) throw invalidParameter(ATTRIBUTES_MISSING);
}

/** Searchable attributes must be set on every user of the results; the others on every user of the pool. */
function checkRequestedAttributesSet(p: PoolState, results: readonly ListedUser[], names: readonly string[]): void {
  for (const n of names) {
    const searchable = (SEARCHABLE_ATTRIBUTES as readonly string[]).includes(n);
    const population: Iterable<FilterableUser> = searchable ? results : p.users.all();
    for (const u of population) if (u.attributes[n] === undefined) throw invalidParameter(ATTRIBUTES_MISSING);
  }
}

function userShape(u: ListedUser, only?: readonly string[]): Record<string, unknown> {
  const names = only ?? Object.keys(u.attributes);
  return {
    Username: u.username,
    Attributes: names.filter((n) => u.attributes[n] !== undefined).map((n) => ({ Name: n, Value: u.attributes[n] })),
    UserCreateDate: secs(u.created),
    UserLastModifiedDate: secs(u.modified),
    Enabled: u.enabled,
    UserStatus: u.status,
  };
}

/** Tokens are opaque to clients: the creation sequence of the last user looked at, plus a serial for empty pages. */
function encodeToken(lastSeq: number, serial?: number): string {
  return Buffer.from(serial === undefined ? `u${lastSeq}` : `u${lastSeq}:${serial}`).toString("base64url");
}

function decodeToken(token: unknown): number {
  if (token === undefined) return 0;
  const m = /^u([0-9]+)(?::[0-9]+)?$/.exec(Buffer.from(String(token), "base64url").toString("utf8"));
  if (!m) throw invalidParameter("Invalid pagination token.");
  return Number(m[1]);
}
