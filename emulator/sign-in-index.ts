/**
 * The users of one pool by the values they can sign in with besides their username — `email`, `phone_number` and
 * `preferred_username` (alias attributes and UsernameAttributes: user-lookup.ts, aliases.ts, username-attributes.ts)
 * — so that finding who holds an email costs its holders, not a scan of the pool (an import into such a pool checks
 * every row). Every value a user holds is indexed, verified or not: the callers check verification as they did when
 * they scanned. Values are folded as the pool compares them: email and preferred_username ignore case in a
 * case-insensitive pool; phone numbers never do. UsersStore keeps it in step with every write.
 */
import type { StoredUser } from "./users-store";

const INDEXED_ATTRIBUTES: readonly string[] = ["email", "phone_number", "preferred_username"];

export class SignInIndex {
  private readonly holders = new Map<string, Set<StoredUser>>();

  constructor(private readonly caseSensitive: boolean) {}

  /** Whether `name` is indexed (the others are found by a scan). */
  covers(name: string): boolean {
    return INDEXED_ATTRIBUTES.includes(name);
  }

  /** `value` as the pool compares values of `name`. */
  fold(name: string, value: string): string {
    return !this.caseSensitive && (name === "email" || name === "preferred_username") ? value.toLowerCase() : value;
  }

  add(user: StoredUser): void {
    for (const name of INDEXED_ATTRIBUTES) {
      const value = user.attributes[name];
      if (value === undefined) continue;
      const key = this.keyOf(name, value);
      const set = this.holders.get(key);
      if (set) set.add(user);
      else this.holders.set(key, new Set([user]));
    }
  }

  remove(user: StoredUser): void {
    for (const name of INDEXED_ATTRIBUTES) {
      const value = user.attributes[name];
      if (value === undefined) continue;
      const key = this.keyOf(name, value);
      const set = this.holders.get(key);
      if (!set) continue;
      set.delete(user);
      if (set.size === 0) this.holders.delete(key);
    }
  }

  /** The users whose `name` is `value` once folded, in no particular order. */
  find(name: string, value: string): StoredUser[] {
    const set = this.holders.get(this.keyOf(name, value));
    return set ? [...set] : [];
  }

  private keyOf(name: string, value: string): string {
    return `${name}\u0000${this.fold(name, value)}`;
  }
}
