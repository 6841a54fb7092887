/**
 * Scrubs an error that ends a run (plan, apply, the provider's calls) of every declared user's personal data
 * before it is printed or sent to Pulumi: an AWS error thrown while reading or changing one user can echo that
 * user's username or other values, and which user it was is no longer known where the error is caught.
 *
 * Pure, built on core/scrub-personal-data.ts (the values it is given, nothing guessed). Changes the error in
 * place — message and stack — so its name and fields (what callers branch on) stay as they were.
 */
import type { DeclaredUser } from "./declared-user";
import { scrubUser } from "./scrub-personal-data";

type Identifying = Pick<DeclaredUser, "username" | "attributes">;

/** `text` with every given user's identifying values replaced by `<user>`. */
function scrubRoster(text: string, users: readonly Identifying[]): string {
  let out = text;
  for (const user of users) out = scrubUser(out, user);
  return out;
}

/** The same error, its message and stack scrubbed of the users' values; anything not an Error is returned as is. @internal */
export function scrubErrorOfRoster<T>(err: T, users: readonly Identifying[]): T {
  if (!(err instanceof Error) || users.length === 0) return err;
  const message = scrubRoster(err.message, users);
  if (message === err.message) return err;
  err.message = message;
  if (typeof err.stack === "string") err.stack = scrubRoster(err.stack, users);
  return err;
}

/**
 * For the engine's one catch: the error scrubbed of the run's declared users (`users`, or `loadUsers()` — the
 * files loaded again, only on this error path). A validation error is left whole: its diagnostics quote the
 * files, which the policy allows; a roster that cannot be loaded at all has no users to scrub.
 */
export function scrubErrorOfDeclaredUsers<T>(
  err: T,
  users: readonly Identifying[] | undefined,
  loadUsers: () => readonly Identifying[],
): T {
  if ((err as { name?: string } | undefined)?.name === "RosterValidationError") return err;
  let declared = users;
  try {
    declared ??= loadUsers();
  } catch {
    declared = [];
  }
  return scrubErrorOfRoster(err, declared);
}
