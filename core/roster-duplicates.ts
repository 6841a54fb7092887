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
import type { UserIdentity } from "./users-file";

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
      if (first === undefined) {
        firstByUsername.set(usernameKey, identity);
      } else {
        diagnostics.push({
          ...identity.usernamePlace,
          severity: "error",
          code: "DUPLICATE_USERNAME",
          message: `${shorten(identity.username)} is also declared at ${placeText(first.usernamePlace)}${first.username !== identity.username ? ` (as ${shorten(first.username)}; usernames are case-insensitive in this pool)` : ""}`,
        });
        if (identity.userIndex >= 0) duplicateUserIndexes[fileIndex].add(identity.userIndex);
        // Same user declared twice: its email is the same one, which is not a second problem.
        continue;
      }
      let duplicate = false;
      if (identity.email !== undefined && identity.emailPlace !== undefined) {
        const emailKey = identity.email.toLowerCase();
        const firstWithEmail = firstByEmail.get(emailKey);
        if (firstWithEmail === undefined) {
          firstByEmail.set(emailKey, identity);
        } else {
          duplicate = true;
          diagnostics.push({
            ...identity.emailPlace,
            severity: "error",
            code: "DUPLICATE_EMAIL",
            message:
              `${shorten(identity.email)} is also the email of ${shorten(firstWithEmail.username)} ` +
              `at ${placeText(firstWithEmail.emailPlace ?? firstWithEmail.usernamePlace)}`,
          });
        }
      }
      const phone = identity.phone;
      const phoneCounts = options.uniquePhone === "all" || (options.uniquePhone === "verified" && identity.phoneVerified === true);
      if (phoneCounts && phone !== undefined && identity.phonePlace !== undefined) {
        const firstWithPhone = firstByPhone.get(phone);
        if (firstWithPhone === undefined) {
          firstByPhone.set(phone, identity);
        } else {
          duplicate = true;
          const why =
            options.uniquePhone === "all"
              ? "with phone_number as a username attribute (stack setting usernameAttributes) a phone number names one account only"
              : "with phone_number as an alias (stack setting aliasAttributes) a verified phone number belongs to one user only";
          diagnostics.push({
            ...identity.phonePlace,
            severity: "error",
            code: "DUPLICATE_PHONE",
            message: `${shorten(phone)} is also the ${options.uniquePhone === "all" ? "" : "verified "}phone_number of ${shorten(firstWithPhone.username)} at ${placeText(firstWithPhone.phonePlace ?? firstWithPhone.usernamePlace)}; ${why}`,
          });
        }
      }
      if (duplicate && identity.userIndex >= 0) duplicateUserIndexes[fileIndex].add(identity.userIndex);
    }
  });
  return { diagnostics, duplicateUserIndexes };
}

function placeText(place: SourcePlace): string {
  return `${place.file}:${place.line}:${place.col}`;
}
