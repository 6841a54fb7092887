/**
 * ListUsers `Filter`: `attribute = "value"` (exact) or `attribute ^= "value"` (prefix), the attribute name
 * bare or quoted, spaces optional (`email ^= "x"` and `"email"^="x"` are both documented). Only the
 * documented searchable attributes; anything else is "Error while parsing filter.".
 */
import { invalidParameter } from "./errors";
import type { StoredUser } from "./users-store";

export const SEARCHABLE_ATTRIBUTES = [
  "username",
  "email",
  "phone_number",
  "name",
  "given_name",
  "family_name",
  "preferred_username",
  "cognito:user_status",
  "status",
  "sub",
] as const;

export interface UserFilter {
  attribute: string;
  prefix: boolean;
  value: string;
}

const FILTER = /^\s*(?:"([^"]+)"|([A-Za-z_:]+))\s*(\^=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/s;

/** Parses a filter; an empty or absent filter means "every user". */
export function parseUserFilter(text: string | undefined): UserFilter | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const m = FILTER.exec(text);
  if (!m) throw invalidParameter("Error while parsing filter.");
  const attribute = m[1] ?? m[2];
  if (!(SEARCHABLE_ATTRIBUTES as readonly string[]).includes(attribute)) throw invalidParameter("Error while parsing filter.");
  return { attribute, prefix: m[3] === "^=", value: m[4].replace(/\\(.)/g, "$1") };
}

/** A predicate over stored users; `caseSensitive` is the pool's username setting (applies to `username` only). */
export function userMatcher(filter: UserFilter | undefined, caseSensitive: boolean): (u: StoredUser) => boolean {
  if (!filter) return () => true;
  const fold = filter.attribute === "username" && !caseSensitive;
  const wanted = fold ? filter.value.toLowerCase() : filter.value;
  const valueOf = (u: StoredUser): string | undefined => {
    switch (filter.attribute) {
      case "username":
        return fold ? u.username.toLowerCase() : u.username;
      case "status":
        return u.enabled ? "Enabled" : "Disabled";
      case "cognito:user_status":
        return u.status;
      default:
        return u.attributes[filter.attribute];
    }
  };
  return (u) => {
    const v = valueOf(u);
    if (v === undefined) return false;
    return filter.prefix ? v.startsWith(wanted) : v === wanted;
  };
}
