/**
 * The users of one pool: lookup by username (case-folded in case-insensitive pools) and stable,
 * O(page) pagination for ListUsers over hundreds of thousands of users.
 *
 * Order is creation order; a pagination token is the creation sequence number of the last user returned,
 * so deleting or adding users between pages never repeats or skips a surviving user.
 *
 * For ListUsers' eventual consistency (a lag setting) the store can also remember, for a while, what each user
 * looked like before a write (`history`) and keep deleted users listable (`deletedAt`); point lookups
 * (`get`, `has`, `bySub`, `withAttribute`) always see the current state, as AdminGetUser does.
 *
 * Attribute values change through `setAttributes`, so that the sign-in index (sign-in-index.ts) stays in step.
 */
import { randomUUID } from "node:crypto";
import { SignInIndex } from "./sign-in-index";

export type UserStatus = "UNCONFIRMED" | "CONFIRMED" | "ARCHIVED" | "COMPROMISED" | "UNKNOWN" | "RESET_REQUIRED" | "FORCE_CHANGE_PASSWORD";

export interface StoredUser {
  username: string;
  /** Attribute name → value as Cognito returns it (always strings); includes `sub`. */
  attributes: Record<string, string>;
  enabled: boolean;
  status: UserStatus;
  /** ms since epoch */
  created: number;
  modified: number;
  /** creation sequence, for pagination */
  seq: number;
  /** The password (temporary while FORCE_CHANGE_PASSWORD); absent for imported users. */
  password?: string;
  /** The outstanding password-reset code (in memory only). */
  resetCode?: { code: string; expires: number };
  /** Earlier versions still inside the ListUsers lag window, oldest first (never saved). */
  history?: UserVersion[];
  /** Set when deleted while ListUsers lags: the user stays listable until the lag has passed (never saved). */
  deletedAt?: number;
}

/** What a user looked like from `since` (ms) until the next version. */
export interface UserVersion {
  since: number;
  attributes: Record<string, string>;
  enabled: boolean;
  status: UserStatus;
  modified: number;
}

export class UsersStore {
  private readonly byKey = new Map<string, StoredUser>();
  /** Users by ascending seq; deleted entries become null and are compacted lazily. */
  private order: (StoredUser | null)[] = [];
  private holes = 0;
  private nextSeq = 1;
  private readonly subs = new Map<string, StoredUser>();
  /** Deleted users kept listable during the lag window. */
  private readonly ghosts = new Set<StoredUser>();
  private readonly signIn: SignInIndex;
  /** Each current user's place in `byKey`'s order (the order `all()` visits them). */
  private readonly rank = new WeakMap<StoredUser, number>();
  private inserted = 0;

  constructor(readonly caseSensitive: boolean) {
    this.signIn = new SignInIndex(caseSensitive);
  }

  key(username: string): string {
    return this.caseSensitive ? username : username.toLowerCase();
  }

  get size(): number {
    return this.byKey.size;
  }

  get(username: string): StoredUser | undefined {
    return this.byKey.get(this.key(username));
  }

  /** The user whose `sub` attribute is exactly this value (subs are case-sensitive UUIDs). */
  bySub(sub: string): StoredUser | undefined {
    return this.subs.get(sub);
  }

  has(username: string): boolean {
    return this.byKey.has(this.key(username));
  }

  /**
   * The current users whose `name` attribute is `value` as the pool compares it (email and preferred_username
   * case-folded in a case-insensitive pool), in the order `all()` visits them.
   */
  withAttribute(name: string, value: string): StoredUser[] {
    if (this.signIn.covers(name)) return this.signIn.find(name, value).sort((a, b) => this.rankOf(a) - this.rankOf(b));
    const wanted = this.signIn.fold(name, value);
    return [...this.byKey.values()].filter(
      (u) => u.attributes[name] !== undefined && this.signIn.fold(name, u.attributes[name]) === wanted,
    );
  }

  /** Whether `a` comes before `b` in the order `all()` visits users. */
  comesBefore(a: StoredUser, b: StoredUser): boolean {
    return this.rankOf(a) < this.rankOf(b);
  }

  /** Writes attribute values ("" removes the attribute), keeping the sign-in index in step. */
  setAttributes(user: StoredUser, changes: Readonly<Record<string, string>>): void {
    const current = this.byKey.get(this.key(user.username)) === user;
    if (current) this.signIn.remove(user);
    for (const [name, value] of Object.entries(changes)) {
      if (value === "") delete user.attributes[name];
      else user.attributes[name] = value;
    }
    if (current) this.signIn.add(user);
  }

  /** Adds a new user; `sub` is generated unless given. The caller has checked the user does not exist. */
  add(username: string, attributes: Record<string, string>, status: UserStatus, now: number): StoredUser {
    const user: StoredUser = {
      username,
      attributes: { sub: attributes.sub ?? randomUUID(), ...attributes },
      enabled: true,
      status,
      created: now,
      modified: now,
      seq: this.nextSeq++,
    };
    this.insert(user);
    return user;
  }

  /** Re-inserts a user loaded from the state file, keeping its seq. */
  restore(user: StoredUser): void {
    this.insert(user);
    if (user.seq >= this.nextSeq) this.nextSeq = user.seq + 1;
  }

  private insert(user: StoredUser): void {
    const key = this.key(user.username);
    // A username taken again keeps its place in byKey's order (callers check first; a state file could repeat one).
    const previous = this.byKey.get(key);
    if (previous) this.signIn.remove(previous);
    this.byKey.set(key, user);
    this.rank.set(user, previous ? this.rankOf(previous) : this.inserted++);
    this.signIn.add(user);
    if (user.attributes.sub !== undefined) this.subs.set(user.attributes.sub, user);
    this.order.push(user);
  }

  /**
   * Removes a user from point lookups. With `listableUntil` (the ListUsers lag), the user stays in the
   * listing order, marked deleted at `now`, until `purgeGhosts` runs after that time.
   */
  delete(username: string, now?: number, keepListable = false): boolean {
    const user = this.get(username);
    if (!user) return false;
    this.byKey.delete(this.key(username));
    this.signIn.remove(user);
    if (user.attributes.sub !== undefined && this.subs.get(user.attributes.sub) === user) this.subs.delete(user.attributes.sub);
    if (keepListable && now !== undefined) {
      user.deletedAt = now;
      this.ghosts.add(user);
      return true;
    }
    this.unlist(user);
    return true;
  }

  /** Drops deleted users whose deletion happened at or before `asOf` from the listing. */
  purgeGhosts(asOf: number): void {
    if (this.ghosts.size === 0) return;
    for (const g of this.ghosts) {
      if ((g.deletedAt ?? 0) <= asOf) {
        this.ghosts.delete(g);
        this.unlist(g);
      }
    }
  }

  private unlist(user: StoredUser): void {
    let i = this.indexAfter(user.seq - 1);
    while (i < this.order.length && this.order[i] === null) i++;
    if (this.order[i] === user) {
      this.order[i] = null;
      this.holes++;
    }
    if (this.holes > 1000 && this.holes > this.order.length / 4) {
      this.order = this.order.filter((u) => u !== null);
      this.holes = 0;
    }
  }

  /** Index of the first slot whose seq is greater than `seq` (binary search; holes are skipped by neighbours). */
  private indexAfter(seq: number): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      let probe = mid;
      while (probe < hi && this.order[probe] === null) probe++;
      if (probe === hi) {
        hi = mid;
        continue;
      }
      if ((this.order[probe] as StoredUser).seq <= seq) lo = probe + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Up to `limit` users matching `accept`, after the user with seq `afterSeq`. Scans at most `scanBudget`
   * slots so a filter that matches nothing cannot make one call walk the whole pool: the page is then short
   * (possibly empty) and still carries a token — as the real ListUsers may.
   */
  page(
    afterSeq: number,
    limit: number,
    accept: (u: StoredUser) => boolean,
    scanBudget = 100_000,
  ): { users: StoredUser[]; lastSeq: number; more: boolean } {
    const users: StoredUser[] = [];
    let i = this.indexAfter(afterSeq);
    let lastSeq = afterSeq;
    let scanned = 0;
    for (; i < this.order.length && users.length < limit && scanned < scanBudget; i++) {
      const u = this.order[i];
      if (u === null) continue;
      scanned++;
      lastSeq = u.seq;
      if (accept(u)) users.push(u);
    }
    while (i < this.order.length && this.order[i] === null) i++;
    return { users, lastSeq, more: i < this.order.length };
  }

  private rankOf(user: StoredUser): number {
    return this.rank.get(user) ?? 0;
  }

  all(): IterableIterator<StoredUser> {
    return this.byKey.values();
  }

  /** Current (not deleted) users in creation order (for the state file). */
  *inOrder(): Generator<StoredUser> {
    for (const u of this.order) if (u !== null && u.deletedAt === undefined) yield u;
  }
}
