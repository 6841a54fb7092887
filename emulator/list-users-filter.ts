/**
 * ListUsers `Filter`: `attribute = "value"` (exact) or `attribute ^= "value"` (prefix), the attribute name
 * bare or quoted, spaces optional (`email ^= "x"` and `"email"^="x"` are both documented). Only the
 * documented searchable attributes; anything else is "Error while parsing filter.".
 */
import { invalidParameter } from "./errors";

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

/**
 * Which comparisons ignore case, from the ListUsers API reference ("username (case-sensitive)",
 * "cognito:user_status … (case-insensitive)", "status … (case-sensitive)") and the developer guide's "User pool
 * case sensitivity" ("When usernames in a user pool are case insensitive, the preferred_username and email
 * attributes also are case insensitive").
 */
function filterIgnoresCase(attribute: string, poolCaseSensitive: boolean): boolean {
  if (attribute === "cognito:user_status") return true;
  if (attribute === "email" || attribute === "preferred_username") return !poolCaseSensitive;
  return false;
}

/** What a filter is matched against: a user as ListUsers currently sees it. */
export interface FilterableUser {
  username: string;
  attributes: Record<string, string>;
  enabled: boolean;
  status: string;
}

/** A predicate over users; `caseSensitive` is the pool's UsernameConfiguration.CaseSensitive. */
export function userMatcher(filter: UserFilter | undefined, caseSensitive: boolean): (u: FilterableUser) => boolean {
  if (!filter) return () => true;
  const fold = filterIgnoresCase(filter.attribute, caseSensitive);
  const wanted = fold ? filter.value.toLowerCase() : filter.value;
  const attributeOf = (u: FilterableUser): string | undefined => {
    switch (filter.attribute) {
      case "username":
        return u.username;
      case "status":
        return u.enabled ? "Enabled" : "Disabled";
      case "cognito:user_status":
        return u.status;
      default:
        return u.attributes[filter.attribute];
    }
  };
  return (u) => {
    const raw = attributeOf(u);
    if (raw === undefined) return false;
    const v = fold ? raw.toLowerCase() : raw;
    return filter.prefix ? v.startsWith(wanted) : v === wanted;
  };
}
