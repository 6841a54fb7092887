/**
 * The users of one pool: lookup by username (case-folded in case-insensitive pools) and stable,
 * O(page) pagination for ListUsers over hundreds of thousands of users.
 *
 * Order is creation order; a pagination token is the creation sequence number of the last user returned,
 * so deleting or adding users between pages never repeats or skips a surviving user.
 */
import { randomUUID } from "crypto";

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
}

export class UsersStore {
  private readonly byKey = new Map<string, StoredUser>();
  /** Users by ascending seq; deleted entries become null and are compacted lazily. */
  private order: (StoredUser | null)[] = [];
  private holes = 0;
  private nextSeq = 1;

  constructor(readonly caseSensitive: boolean) {}

  key(username: string): string {
    return this.caseSensitive ? username : username.toLowerCase();
  }

  get size(): number {
    return this.byKey.size;
  }

  get(username: string): StoredUser | undefined {
    return this.byKey.get(this.key(username));
  }

  has(username: string): boolean {
    return this.byKey.has(this.key(username));
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
    this.byKey.set(this.key(user.username), user);
    this.order.push(user);
  }

  delete(username: string): boolean {
    const user = this.get(username);
    if (!user) return false;
    this.byKey.delete(this.key(username));
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
    return true;
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
  page(afterSeq: number, limit: number, accept: (u: StoredUser) => boolean, scanBudget = 100_000): { users: StoredUser[]; lastSeq: number; more: boolean } {
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

  all(): IterableIterator<StoredUser> {
    return this.byKey.values();
  }

  /** Users in creation order (for the state file). */
  *inOrder(): Generator<StoredUser> {
    for (const u of this.order) if (u !== null) yield u;
  }
}
