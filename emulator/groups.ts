/**
 * User pool groups, as the Cognito API reference describes them: CreateGroup, GetGroup, ListGroups, UpdateGroup,
 * DeleteGroup, AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.
 *
 * - Shapes (botocore model cognito-idp 2016-04-18): GroupName 1-128 `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`, Description
 *   ≤ 2,048, RoleArn the ArnType pattern, Precedence an integer ≥ 0 (≤ 2^31-1: "The maximum Precedence value is
 *   2^31-1"), Limit 0-60 (0 or absent = 60), NextToken `[\S]+` 1-131,072.
 * - Errors: an unknown group is ResourceNotFoundException "Group not found."; an existing name
 *   GroupExistsException "A group with the name already exists"; an unknown user UserNotFoundException "User does
 *   not exist." (the messages moto gives; the group is checked before the user, as moto does).
 * - Quotas ("Quotas in Amazon Cognito"): at most 10,000 groups per pool (CreateGroup → LimitExceededException) and
 *   100 groups per user (AdminAddUserToGroup's model lists no LimitExceededException: InvalidParameterException).
 * - AdminAddUserToGroup of a member and AdminRemoveUserFromGroup of a non-member succeed and change nothing.
 *   UpdateGroup changes only the members it is given.
 * - Memberships belong to the account, not the name: they are kept by the user's `sub`, so deleting a user ends
 *   them (a user created again with the same username starts in no group), and DeleteGroup ends the group's.
 * - Pagination is by creation order of groups (ListGroups, AdminListGroupsForUser) and of memberships
 *   (ListUsersInGroup): adding or removing between pages never repeats or skips a survivor.
 *
 * Quota categories are in `quotas.ts`; persistence in `state-file.ts`. Independent of the product.
 */
import { ServiceError, invalidParameter } from "./errors";
import type { PoolState } from "./emulator-state";
import { pool, secs, type CognitoContext, type Handler, type Input } from "./cognito-context";
import * as V from "./request-validation";
import { requireUser } from "./user-lookup";
import type { StoredUser } from "./users-store";

const MAX_GROUPS_PER_POOL = 10_000;
const MAX_GROUPS_PER_USER = 100;
const MAX_PRECEDENCE = 2 ** 31 - 1;
const PAGE_MAX = 60;

const GROUP_NAME: V.StringRule = { kind: "string", required: true, min: 1, max: 128, pattern: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+" };
const DESCRIPTION: V.StringRule = { kind: "string", max: 2048 };
const ROLE_ARN: V.StringRule = { ...V.ARN, required: false };
const PRECEDENCE: V.NumberRule = { kind: "number", min: 0, max: MAX_PRECEDENCE };
const LIMIT: V.NumberRule = { kind: "number", min: 0, max: PAGE_MAX };
const NEXT_TOKEN: V.StringRule = { ...V.PAGINATION_KEY, max: 131072 };

/** One group and its memberships (by the member's `sub`, in the order they were added). */
export interface StoredGroup {
  name: string;
  description?: string;
  roleArn?: string;
  precedence?: number;
  /** ms since epoch */
  created: number;
  modified: number;
  /** Creation order, for ListGroups / AdminListGroupsForUser pagination. */
  seq: number;
  /** sub → membership sequence number. */
  members: Map<string, number>;
  /** [sub, seq] in ascending seq; entries whose seq no longer matches `members` are stale (removed). */
  order: [string, number][];
  nextMemberSeq: number;
}

/** The groups of one pool (kept on PoolState). */
export class PoolGroups {
  readonly groups = new Map<string, StoredGroup>();
  nextSeq = 1;

  add(name: string, fields: Pick<StoredGroup, "description" | "roleArn" | "precedence">, now: number): StoredGroup {
    const group: StoredGroup = {
      name,
      ...definedOnly(fields),
      created: now,
      modified: now,
      seq: this.nextSeq++,
      members: new Map(),
      order: [],
      nextMemberSeq: 1,
    };
    this.groups.set(name, group);
    return group;
  }

  /** The groups `sub` is a member of, in creation order. */
  groupsOf(sub: string): StoredGroup[] {
    return [...this.groups.values()].filter((g) => g.members.has(sub));
  }
}

export function addMember(group: StoredGroup, sub: string): void {
  if (group.members.has(sub)) return;
  const seq = group.nextMemberSeq++;
  group.members.set(sub, seq);
  group.order.push([sub, seq]);
}

function removeMember(group: StoredGroup, sub: string): void {
  if (!group.members.delete(sub)) return;
  // Stale entries stay in `order` until they outnumber the live ones.
  if (group.order.length > 64 && group.order.length > 2 * group.members.size)
    group.order = group.order.filter(([s, seq]) => group.members.get(s) === seq);
}

/** The pool's groups, created on first use. */
export function groupsOf(p: PoolState): PoolGroups {
  p.groups ??= new PoolGroups();
  return p.groups;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function groupShape(poolId: string, g: StoredGroup): Record<string, unknown> {
  return {
    GroupName: g.name,
    UserPoolId: poolId,
    ...(g.description !== undefined ? { Description: g.description } : {}),
    ...(g.roleArn !== undefined ? { RoleArn: g.roleArn } : {}),
    ...(g.precedence !== undefined ? { Precedence: g.precedence } : {}),
    LastModifiedDate: secs(g.modified),
    CreationDate: secs(g.created),
  };
}

function userShape(u: StoredUser): Record<string, unknown> {
  return {
    Username: u.username,
    Attributes: Object.entries(u.attributes).map(([Name, Value]) => ({ Name, Value })),
    UserCreateDate: secs(u.created),
    UserLastModifiedDate: secs(u.modified),
    Enabled: u.enabled,
    UserStatus: u.status,
  };
}

function requireGroup(p: PoolState, name: string): StoredGroup {
  const g = groupsOf(p).groups.get(name);
  if (!g) throw new ServiceError("ResourceNotFoundException", "Group not found.");
  return g;
}

function encodeToken(kind: string, seq: number): string {
  return Buffer.from(`${kind}${seq}`).toString("base64url");
}

function decodeToken(kind: string, token: unknown): number {
  if (token === undefined) return 0;
  const m = new RegExp(`^${kind}([0-9]+)$`).exec(Buffer.from(String(token), "base64url").toString("utf8"));
  if (!m) throw invalidParameter("Invalid pagination token.");
  return Number(m[1]);
}

/** Up to `limit` items with seq > after, and the token for the rest (absent at the end). */
function page<T>(
  items: readonly T[],
  seqOf: (item: T) => number,
  after: number,
  limit: number,
  kind: string,
): { items: T[]; next?: string } {
  const start = lowerBound(items, seqOf, after);
  const out = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return more && out.length > 0 ? { items: out, next: encodeToken(kind, seqOf(out[out.length - 1])) } : { items: out };
}

/** Index of the first item whose seq is greater than `after` (items ascend by seq). */
function lowerBound<T>(items: readonly T[], seqOf: (item: T) => number, after: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqOf(items[mid]) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** CreateGroup's and UpdateGroup's parameters: the same names and constraints in the API reference. */
const GROUP_REQUEST = {
  GroupName: GROUP_NAME,
  UserPoolId: V.USER_POOL_ID,
  Description: DESCRIPTION,
  RoleArn: ROLE_ARN,
  Precedence: PRECEDENCE,
};

const limitOf = (input: Input) => (input.Limit as number | undefined) || PAGE_MAX;

export const groupHandlers: Record<string, Handler> = {
  CreateGroup(ctx: CognitoContext, input: Input) {
    V.validateRequest(input, GROUP_REQUEST);
    const id = input.UserPoolId as string;
    const groups = groupsOf(pool(ctx, id));
    const name = input.GroupName as string;
    if (groups.groups.has(name)) throw new ServiceError("GroupExistsException", "A group with the name already exists");
    if (groups.groups.size >= MAX_GROUPS_PER_POOL)
      throw new ServiceError("LimitExceededException", `The user pool already has the maximum of ${MAX_GROUPS_PER_POOL} groups.`);
    const g = groups.add(
      name,
      {
        description: input.Description as string | undefined,
        roleArn: input.RoleArn as string | undefined,
        precedence: input.Precedence as number | undefined,
      },
      ctx.clock(),
    );
    ctx.changed();
    return { Group: groupShape(id, g) };
  },
  GetGroup(ctx, input) {
    V.validateRequest(input, { GroupName: GROUP_NAME, UserPoolId: V.USER_POOL_ID });
    const id = input.UserPoolId as string;
    return { Group: groupShape(id, requireGroup(pool(ctx, id), input.GroupName as string)) };
  },
  ListGroups(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, Limit: LIMIT, NextToken: NEXT_TOKEN });
    const id = input.UserPoolId as string;
    const all = [...groupsOf(pool(ctx, id)).groups.values()];
    const { items, next } = page(all, (g) => g.seq, decodeToken("g", input.NextToken), limitOf(input), "g");
    return { Groups: items.map((g) => groupShape(id, g)), ...(next ? { NextToken: next } : {}) };
  },
  UpdateGroup(ctx, input) {
    V.validateRequest(input, GROUP_REQUEST);
    const id = input.UserPoolId as string;
    const g = requireGroup(pool(ctx, id), input.GroupName as string);
    if (input.Description !== undefined) g.description = input.Description as string;
    if (input.RoleArn !== undefined) g.roleArn = input.RoleArn as string;
    if (input.Precedence !== undefined) g.precedence = input.Precedence as number;
    g.modified = ctx.clock();
    ctx.changed();
    return { Group: groupShape(id, g) };
  },
  DeleteGroup(ctx, input) {
    V.validateRequest(input, { GroupName: GROUP_NAME, UserPoolId: V.USER_POOL_ID });
    const p = pool(ctx, input.UserPoolId as string);
    requireGroup(p, input.GroupName as string);
    groupsOf(p).groups.delete(input.GroupName as string);
    ctx.changed();
    return {};
  },
  AdminAddUserToGroup(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, Username: V.USERNAME, GroupName: GROUP_NAME });
    const p = pool(ctx, input.UserPoolId as string);
    const g = requireGroup(p, input.GroupName as string);
    const sub = requireUser(p, input.Username as string).attributes.sub;
    if (g.members.has(sub)) return {};
    if (groupsOf(p).groupsOf(sub).length >= MAX_GROUPS_PER_USER)
      throw invalidParameter(`A user can be a member of at most ${MAX_GROUPS_PER_USER} groups.`);
    addMember(g, sub);
    ctx.changed();
    return {};
  },
  AdminRemoveUserFromGroup(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, Username: V.USERNAME, GroupName: GROUP_NAME });
    const p = pool(ctx, input.UserPoolId as string);
    const g = requireGroup(p, input.GroupName as string);
    const sub = requireUser(p, input.Username as string).attributes.sub;
    if (!g.members.has(sub)) return {};
    removeMember(g, sub);
    ctx.changed();
    return {};
  },
  AdminListGroupsForUser(ctx, input) {
    V.validateRequest(input, { Username: V.USERNAME, UserPoolId: V.USER_POOL_ID, Limit: LIMIT, NextToken: NEXT_TOKEN });
    const id = input.UserPoolId as string;
    const p = pool(ctx, id);
    const sub = requireUser(p, input.Username as string).attributes.sub;
    const { items, next } = page(groupsOf(p).groupsOf(sub), (g) => g.seq, decodeToken("m", input.NextToken), limitOf(input), "m");
    return { Groups: items.map((g) => groupShape(id, g)), ...(next ? { NextToken: next } : {}) };
  },
  ListUsersInGroup(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, GroupName: GROUP_NAME, Limit: LIMIT, NextToken: NEXT_TOKEN });
    const p = pool(ctx, input.UserPoolId as string);
    const g = requireGroup(p, input.GroupName as string);
    const limit = limitOf(input);
    // Members whose account is gone (deleted) are skipped; a page is filled from the live ones.
    const users: StoredUser[] = [];
    let i = lowerBound(g.order, ([, seq]) => seq, decodeToken("u", input.NextToken));
    let lastSeq = 0;
    for (; i < g.order.length && users.length < limit; i++) {
      const [sub, seq] = g.order[i];
      if (g.members.get(sub) !== seq) continue;
      const u = p.users.bySub(sub);
      if (!u) continue;
      users.push(u);
      lastSeq = seq;
    }
    const isLive = ([sub, seq]: [string, number]) => g.members.get(sub) === seq && p.users.bySub(sub) !== undefined;
    while (i < g.order.length && !isLive(g.order[i])) i++;
    const more = i < g.order.length;
    return { Users: users.map(userShape), ...(more && users.length > 0 ? { NextToken: encodeToken("u", lastSeq) } : {}) };
  },
};

/** The memberships of live users only (for the state file): deleted users' are dropped. */
export function liveMembers(p: PoolState, g: StoredGroup): string[] {
  return g.order.filter(([sub, seq]) => g.members.get(sub) === seq && p.users.bySub(sub) !== undefined).map(([sub]) => sub);
}
