/**
 * A user entry's identity (core/users-file-entry.ts records it): what the checks across files — duplicate usernames,
 * emails and phones (core/roster-duplicates.ts), look-alikes (core/lookalike-identities.ts) — need to know about it,
 * with the place of each value. Every entry with a usable username has one, loaded or not.
 */
import type { SourcePlace } from "./declared-user";

/** What the cross-file checks need to know about one user entry. */
export interface UserIdentity {
  username: string;
  usernamePlace: SourcePlace;
  email?: string;
  emailPlace?: SourcePlace;
  /** The phone number, and whether it is verified (a sign-in alias or username attribute belongs to one user). */
  phone?: string;
  phonePlace?: SourcePlace;
  phoneVerified?: boolean;
  /** Index of this user in the file's `users`, or -1 when the entry did not load. */
  userIndex: number;
}

/** Where an entry's values are: its own value's place, or the entry's for a value it takes from `defaults`. */
interface EntryPlaces {
  isOwn(key: string): boolean;
  place(): SourcePlace;
  ownValuePlace(key: string): SourcePlace;
}

/** The identity of a merged entry, or undefined when it has no usable username; `userIndex` -1 when it did not load. */
export function identityOf(merged: Record<string, unknown>, entry: EntryPlaces, userIndex: number): UserIdentity | undefined {
  const username = merged.username;
  if (typeof username !== "string" || username === "") return undefined;
  const identity: UserIdentity = {
    username,
    usernamePlace: entry.ownValuePlace("username"),
    userIndex,
  };
  if (typeof merged.email === "string" && merged.email !== "") {
    identity.email = merged.email;
    identity.emailPlace = entry.isOwn("email") ? entry.ownValuePlace("email") : entry.place();
  }
  if (typeof merged.phone_number === "string" && merged.phone_number !== "") {
    identity.phone = merged.phone_number;
    identity.phonePlace = entry.isOwn("phone_number") ? entry.ownValuePlace("phone_number") : entry.place();
    if (merged.phone_number_verified === true) identity.phoneVerified = true;
  }
  return identity;
}
