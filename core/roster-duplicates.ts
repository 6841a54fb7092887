/**
 * The checks that need every file at once: the same username twice, the same email for two users, and the same
 * phone number for two users where the pool makes it unique: as an alias, verified ones (developer guide, "User pool
 * attributes → Aliases": "Alias values must be unique in a user pool … the value provided can be in a verified
 * state in only one account"), as a username attribute, all ("Option 2": a phone number "already in use" is
 * refused). The second user's import row would fail.
 *
 * Each duplicate is reported at its second place (in file-path, then document order) and names the first, so
 * that nothing is silently overwritten. Pure: identities in, diagnostics out; it reads no files.
 */
import { shorten, type Diagnostic } from "./diagnostics";
import type { SourcePlace } from "./declared-user";
import type { UserIdentity } from "./user-identity";

export interface DuplicateFindings {
  diagnostics: Diagnostic[];
  /** For each file (same order as the input), the indexes of its loaded users that are duplicates. */
  duplicateUserIndexes: Set<number>[];
}

/**
 * `identitiesByFile` must be in file-path order, each list in document order. Usernames compare
 * case-insensitively unless the pool is case-sensitive; emails always compare case-insensitively.
 */
export function findDuplicateUsers(
  identitiesByFile: readonly (readonly UserIdentity[])[],
  usernameCaseSensitive: boolean,
  options: { uniquePhone?: "all" | "verified" } = {},
): DuplicateFindings {
  const diagnostics: Diagnostic[] = [];
  const duplicateUserIndexes = identitiesByFile.map(() => new Set<number>());
  const firstByUsername = new Map<string, UserIdentity>();
  const firstByEmail = new Map<string, UserIdentity>();
  const firstByPhone = new Map<string, UserIdentity>();

  identitiesByFile.forEach((identities, fileIndex) => {
    for (const identity of identities) {
      const usernameKey = usernameCaseSensitive ? identity.username : identity.username.toLowerCase();
      const first = firstByUsername.get(usernameKey);
      // Same user declared twice: its email is the same one, which is not a second problem.
      const found =
        first !== undefined
          ? [duplicateUsername(identity, first)]
          : [duplicateEmail(identity, firstByEmail), duplicatePhone(identity, firstByPhone, options.uniquePhone)].filter(
              (d): d is Diagnostic => d !== undefined,
            );
      if (first === undefined) firstByUsername.set(usernameKey, identity);
      diagnostics.push(...found);
      if (found.length > 0 && identity.userIndex >= 0) duplicateUserIndexes[fileIndex].add(identity.userIndex);
    }
  });
  return { diagnostics, duplicateUserIndexes };
}

function duplicateUsername(identity: UserIdentity, first: UserIdentity): Diagnostic {
  const asFirst =
    first.username !== identity.username ? ` (as ${shorten(first.username)}; usernames are case-insensitive in this pool)` : "";
  return {
    ...identity.usernamePlace,
    severity: "error",
    code: "DUPLICATE_USERNAME",
    message: `${shorten(identity.username)} is also declared at ${placeText(first.usernamePlace)}${asFirst}`,
  };
}

/** The second user with an email already seen (emails are compared without case), or undefined. */
function duplicateEmail(identity: UserIdentity, firstByEmail: Map<string, UserIdentity>): Diagnostic | undefined {
  if (identity.email === undefined || identity.emailPlace === undefined) return undefined;
  const emailKey = identity.email.toLowerCase();
  const first = firstByEmail.get(emailKey);
  if (first === undefined) {
    firstByEmail.set(emailKey, identity);
    return undefined;
  }
  const firstPlace = placeText(first.emailPlace ?? first.usernamePlace);
  return {
    ...identity.emailPlace,
    severity: "error",
    code: "DUPLICATE_EMAIL",
    message: `${shorten(identity.email)} is also the email of ${shorten(first.username)} at ${firstPlace}`,
  };
}

/** The second user with a phone that must be unique in this pool (every one, or verified ones), or undefined. */
function duplicatePhone(
  identity: UserIdentity,
  firstByPhone: Map<string, UserIdentity>,
  uniquePhone: "all" | "verified" | undefined,
): Diagnostic | undefined {
  const phone = identity.phone;
  const phoneCounts = uniquePhone === "all" || (uniquePhone === "verified" && identity.phoneVerified === true);
  if (!phoneCounts || phone === undefined || identity.phonePlace === undefined) return undefined;
  const first = firstByPhone.get(phone);
  if (first === undefined) {
    firstByPhone.set(phone, identity);
    return undefined;
  }
  const why =
    uniquePhone === "all"
      ? "with phone_number as a username attribute (stack setting usernameAttributes) a phone number names one account only"
      : "with phone_number as an alias (stack setting aliasAttributes) a verified phone number belongs to one user only";
  const which = uniquePhone === "all" ? "" : "verified ";
  const firstPlace = placeText(first.phonePlace ?? first.usernamePlace);
  return {
    ...identity.phonePlace,
    severity: "error",
    code: "DUPLICATE_PHONE",
    message: `${shorten(phone)} is also the ${which}phone_number of ${shorten(first.username)} at ${firstPlace}; ${why}`,
  };
}

function placeText(place: SourcePlace): string {
  return `${place.file}:${place.line}:${place.col}`;
}
