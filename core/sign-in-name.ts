/**
 * The name the roster knows an account by in a pool with UsernameAttributes (email and/or phone_number as the
 * username). There Cognito generates each username (a UUID, the `sub`: developer guide "Customizing sign-in
 * attributes" → "Option 2"), and the email or phone number "can be used as an alias in place of the username in all
 * APIs except the ListUsers API". So the users files name each person by that email (phone number), the import CSV's
 * `cognito:username` carries it, Admin* calls reach the account by it, and an account the pool lists (ListUsers,
 * ListUsersInGroup) is known by it rather than by its generated username.
 *
 * With both attributes the email comes first: a user with an email is named by it (the users-file rule
 * USERNAME_NOT_SIGN_IN_ATTRIBUTE asks the same of the declared username). Pure.
 */

/**
 * The email (or else the phone number) that names the account, or undefined when the pool has no username attributes
 * or the user neither.
 */
export function signInName(attributes: Readonly<Record<string, unknown>>, usernameAttributes: readonly string[]): string | undefined {
  for (const name of ["email", "phone_number"]) {
    const value = attributes[name];
    if (usernameAttributes.includes(name) && typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/**
 * A pool user as the roster names it: in a pool with UsernameAttributes by its email or phone number, not by the
 * username Cognito generated; elsewhere (or when it has neither) by its username.
 */
export function namedBySignIn<U extends { username: string; attributes: Readonly<Record<string, unknown>> }>(
  user: U,
  usernameAttributes: readonly string[],
): U {
  if (usernameAttributes.length === 0) return user;
  const name = signInName(user.attributes, usernameAttributes);
  return name === undefined ? user : { ...user, username: name };
}
