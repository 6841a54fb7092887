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
