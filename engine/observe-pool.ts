/**
 * Looks up in the pool exactly the users a plan needs, the cheapest way the quotas allow.
 *
 * Only users that changed since the last apply are looked up (all of them for a full check); point reads or one
 * ListUsers scan are chosen by cost (core/read-strategy). A scan is needed anyway when users the roster declared
 * before must be found by digest to be disabled or deleted. Onboarding into an empty pool (estimate 0, no applied
 * record) reads no user: every user to check is taken as absent (the import skips, and the confirmation reads,
 * anyone who is there after all). The pool is described once per run: a caller that already has the
 * description (to check the applied record's binding) passes it in, and it is handed back for the caller's use.
 */
import type { DeclaredUser } from "../core/declared-user";
import type { PoolUser } from "../core/pool-user";
import { chooseReadStrategy, type ReadStrategy } from "../core/read-strategy";
import { normalizeUsername, usernameDigest } from "../core/user-digest";
import type { PoolDescription } from "../aws/pool-users";
import type { UserReads } from "../aws/ports";

export interface Observation {
  /** By normalised username; null = looked up and not in the pool. */
  observed: Map<string, PoolUser | null>;
  /** Pool users matching the given removed digests, by digest. */
  removedPoolUsers: Map<string, PoolUser>;
  /** The `sub` of each `subsToLearn` user a scan saw, by normalised username (empty without a scan). */
  learnedSubs: Map<string, string>;
  strategy: ReadStrategy;
  poolName: string;
  /** The DescribeUserPool answer this observation used (given in the request, or fetched once). */
  pool: PoolDescription;
}

export interface ObserveRequest {
  userPoolId: string;
  caseSensitive: boolean;
  usersToCheck: readonly DeclaredUser[];
  /** Digests of no-longer-declared users whose pool accounts must be found. */
  removedDigestsToFind: readonly string[];
  /** Point reads run this many at a time (the SDK's adaptive retry absorbs throttling). */
  concurrency?: number;
  /** The pool's description when the caller already has it (saves a DescribeUserPool call). */
  pool?: PoolDescription;
  /** True when no applied record says the pool should hold users (none, or one that does not match the pool). */
  noAppliedRecord?: boolean;
  /**
   * Normalised usernames of declared users whose `sub` the applied record lacks (written before subs were kept): a
   * scan made anyway notes theirs, at no extra call, so the record keeps them from then on.
   */
  subsToLearn?: ReadonlySet<string>;
}

export async function observePool(users: UserReads, request: ObserveRequest): Promise<Observation> {
  const pool = request.pool ?? (await users.describePool());
  const strategy = chooseReadStrategy(request.usersToCheck.length, pool.estimatedUsers, request.removedDigestsToFind.length > 0, {
    noAppliedRecord: request.noAppliedRecord,
  });
  const observed = new Map<string, PoolUser | null>();
  const removedPoolUsers = new Map<string, PoolUser>();
  const learnedSubs = new Map<string, string>();
  const key = (username: string) => normalizeUsername(username, request.caseSensitive);
  // In a pool with UsernameAttributes accounts are named by their email or phone (core/sign-in-name.ts).
  const naming = pool.settings.usernameAttributes;

  if (strategy.kind === "none") {
    // Known absent (an empty pool), which the plan must tell from "not looked up".
    for (const user of request.usersToCheck) observed.set(key(user.username), null);
  } else if (strategy.kind === "scan") {
    const wanted = new Set(request.usersToCheck.map((u) => key(u.username)));
    const removed = new Set(request.removedDigestsToFind);
    for (const k of wanted) observed.set(k, null);
    await users.scanUsers((page) => {
      for (const user of page) {
        const k = key(user.username);
        if (wanted.has(k)) observed.set(k, user);
        if (request.subsToLearn?.has(k) && user.attributes.sub) learnedSubs.set(k, user.attributes.sub);
        if (removed.size > 0) {
          const digest = usernameDigest(request.userPoolId, user.username, request.caseSensitive);
          if (removed.has(digest)) removedPoolUsers.set(digest, user);
        }
      }
    }, naming);
    await confirmAbsentLeavers(users, request, observed, key, naming);
  } else if (strategy.kind === "point") {
    await forEachLimited(request.usersToCheck, request.concurrency ?? 8, async (user) => {
      observed.set(key(user.username), await users.getUser(user.username, naming));
    });
  }
  return { observed, removedPoolUsers, learnedSubs, strategy, poolName: pool.name, pool };
}

/**
 * ListUsers is eventually consistent: a user created moments ago may be missing from a scan. For a declared
 * leaver, absence means "nothing to do", so it is confirmed with AdminGetUser (the consistent read) — there are
 * few leavers. A missing active user needs no read: it is planned for import, and the import job's "already
 * exists" (SKIPPED) rows are read back by engine/confirm-import.
 */
async function confirmAbsentLeavers(
  users: UserReads,
  request: ObserveRequest,
  observed: Map<string, PoolUser | null>,
  key: (username: string) => string,
  naming: readonly string[],
): Promise<void> {
  const leavers = request.usersToCheck.filter((user) => !user.enabled && observed.get(key(user.username)) === null);
  await forEachLimited(leavers, request.concurrency ?? 8, async (user) => {
    observed.set(key(user.username), await users.getUser(user.username, naming));
  });
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}
