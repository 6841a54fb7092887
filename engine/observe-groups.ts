/**
 * Reads the memberships a plan needs, the cheapest way the quotas allow: one AdminListGroupsForUser per user
 * (UserResourceRead, 50 requests/s) or ListUsersInGroup over each managed group (UserList, 30 requests/s, 60
 * members a page), whichever finishes sooner — as the user observation chooses between point reads and a scan.
 * Also checks, once per run, that every group the stack manages exists in the pool (ListGroups).
 *
 * Only managed groups matter: per-user reads return every group, and the caller's plan ignores the others;
 * per-group reads never look at an unmanaged group. It reads; it never changes memberships.
 */
import type { GroupReads } from "../aws/ports";
import type { DeclaredUser } from "../core/declared-user";
import { membershipsChangedSinceLastApply, type RosterPlan } from "../core/plan";
import { type MembershipPlan, planMemberships } from "../core/plan-groups";
import type { PoolProfile } from "../core/profile";
import { type AppliedDigests, normalizeUsername } from "../core/user-digest";
import { chooseMembershipReads, type MembershipReadStrategy } from "../core/membership-read-strategy";
import { declaredNames } from "../core/member-names";
import { RosterConfigError } from "../core/roster-errors";
import { forEachLimited } from "./observe-pool";

interface MembershipObservation {
  /** Memberships of each user read, by normalised username (per-group reads: managed groups only). */
  memberships: Map<string, Set<string>>;
  /** Users a per-user read found absent from the pool (normalised). */
  missing: Set<string>;
  strategy: MembershipReadStrategy;
}

interface MembershipReadRequest {
  caseSensitive: boolean;
  /** Usernames whose memberships are needed. */
  usernames: readonly string[];
  /** Managed group name → expected member count. */
  groupSizes: ReadonlyMap<string, number>;
  concurrency?: number;
  /** Pool username → declared username (normalised), for accounts a declared user reaches by another name (an email alias). */
  declaredNameOf?: ReadonlyMap<string, string>;
  /** The pool's UsernameAttributes: members are then named by their email or phone (core/sign-in-name.ts). */
  usernameAttributes?: readonly string[];
}

async function observeMemberships(groupReads: GroupReads, request: MembershipReadRequest): Promise<MembershipObservation> {
  const key = (u: string) => normalizeUsername(u, request.caseSensitive);
  const strategy = chooseMembershipReads(request.usernames.length, [...request.groupSizes.values()]);
  const memberships = new Map<string, Set<string>>();
  const missing = new Set<string>();
  if (strategy.kind === "per-user") {
    await forEachLimited(request.usernames, request.concurrency ?? 8, async (username) => {
      const groups = await groupReads.groupsOfUser(username);
      if (groups === null) missing.add(key(username));
      else memberships.set(key(username), groups);
    });
  } else if (strategy.kind === "per-group") {
    for (const username of request.usernames) memberships.set(key(username), new Set());
    for (const group of request.groupSizes.keys()) {
      await groupReads.groupMembers(
        group,
        (page) => {
          for (const member of page) memberships.get(request.declaredNameOf?.get(key(member)) ?? key(member))?.add(group);
        },
        request.usernameAttributes,
      );
    }
  }
  return { memberships, missing, strategy };
}

/**
 * Stops the run (RosterConfigError: exit 2 in the CLI) when a managed group is missing from the pool: memberships
 * in it could be neither read nor applied, and creating groups is the Pulumi program's job, not the roster's.
 */
async function requireManagedGroups(groupReads: GroupReads, userPoolId: string, managed: readonly string[]): Promise<void> {
  if (managed.length === 0) return;
  const existing = await groupReads.groupNames();
  const missing = managed.filter((g) => !existing.has(g));
  if (missing.length === 0) return;
  throw new RosterConfigError(
    `pool ${userPoolId} has no group ${missing.join(", ")}, which cognito-roster:groups manages: ` +
      `create ${missing.length === 1 ? "it" : "them"} ` +
      "(`pulumi up` does; locally `cognito-roster emulator --stack NAME` or `cognito-roster start`), or take it out of the stack config",
  );
}

export interface MembershipPlanRequest {
  profile: PoolProfile;
  users: readonly DeclaredUser[];
  /** The applied record this plan trusts (undefined for a full check). */
  previous: AppliedDigests | undefined;
  plan: RosterPlan;
  /** The user observation's answers: null = looked up and not in the pool. */
  observed: ReadonlyMap<string, { username: string } | null>;
  /** The users directory relative to the repository root, to name offices. */
  usersDir: string;
  /** Managed groups of the removed users the plan lists, by digest (engine/find-removed-users.ts read them). */
  removedMemberships?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Users renamed in place (core/plan-renames.ts), by normalised username: their account's handle and groups. */
  renamedInPlace?: ReadonlyMap<string, { handle: string; groups: ReadonlySet<string> }>;
}

/**
 * The membership part of a plan: checks the managed groups exist, reads the memberships of the users whose groups
 * changed since the last apply, and plans the adds and removes (no-longer-declared users the `disable` policy
 * takes out of the groups, with the memberships read when they were found). Undefined when the stack manages no
 * groups (then no call is made at all).
 */
export async function planGroupMemberships(groupReads: GroupReads, request: MembershipPlanRequest): Promise<MembershipPlan | undefined> {
  const { profile, plan } = request;
  const managed = Object.keys(profile.groups ?? {});
  if (managed.length === 0) return undefined;
  await requireManagedGroups(groupReads, profile.userPoolId, managed);
  const key = (u: string) => normalizeUsername(u, profile.usernameCaseSensitive);
  const importing = new Set(plan.import.map((p) => key(p.username)));
  const changed = membershipsChangedSinceLastApply(profile.userPoolId, request.users, request.previous, profile.usernameCaseSensitive);
  // Known absent (to be imported, or a leaver who never had an account): nothing to read.
  const renamed = request.renamedInPlace ?? new Map<string, { handle: string; groups: ReadonlySet<string> }>();
  const toRead = changed
    .filter((u) => !importing.has(key(u.username)) && request.observed.get(key(u.username)) !== null && !renamed.has(key(u.username)))
    .map((u) => u.username);
  // Removed users' groups were read when they were found: `disable` takes them out of the managed ones.
  const leaving = plan.remove
    .filter((r) => r.action === "disable" && r.username !== undefined)
    .map((r) => ({ username: r.username as string, groups: request.removedMemberships?.get(r.usernameDigest) ?? new Set<string>() }));
  const groupSizes = new Map(managed.map((g) => [g, 0]));
  for (const user of request.users)
    for (const g of user.groups ?? []) if (groupSizes.has(g)) groupSizes.set(g, (groupSizes.get(g) ?? 0) + 1);
  const observation = await observeMemberships(groupReads, {
    caseSensitive: profile.usernameCaseSensitive,
    usernames: toRead,
    groupSizes,
    declaredNameOf: declaredNames(request.observed, key),
    usernameAttributes: profile.usernameAttributes,
  });
  // A user renamed in place has the old account's groups, read when it was found; calls go to that account.
  for (const [k, { groups }] of renamed) observation.memberships.set(k, new Set(groups));
  const membershipPlan = planMemberships({
    managedGroups: managed,
    declared: request.users,
    observed: observation.memberships,
    importing: plan.import.map((p) => p.user),
    leaving,
    caseSensitive: profile.usernameCaseSensitive,
    usersDir: request.usersDir,
  });
  for (const change of membershipPlan.changes) {
    const handle = renamed.get(key(change.username))?.handle;
    if (handle !== undefined && change.file !== undefined) change.handle = handle;
  }
  const absent = toRead.filter((u) => observation.missing.has(key(u)));
  return { ...membershipPlan, readStrategy: observation.strategy.kind, ...(absent.length > 0 ? { absent } : {}) };
}
