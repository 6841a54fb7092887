/**
 * Which declared user a group member is: a per-group read (ListUsersInGroup) names members by their pool username,
 * which differs from the declared one for an account renamed in place (it keeps its old username). Pure.
 */

/**
 * Pool usernames that differ from the declared name they were found by (an account renamed in place), normalised
 * by `key`, mapped to that declared name. `observed` is the user observation's answers by declared name.
 */
export function declaredNames(observed: ReadonlyMap<string, { username: string } | null>, key: (u: string) => string): Map<string, string> {
  const names = new Map<string, string>();
  for (const [declared, user] of observed) if (user && key(user.username) !== declared) names.set(key(user.username), declared);
  return names;
}
