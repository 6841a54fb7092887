/**
 * Whether the pool's import CSV header (GetCSVHeader) has exactly the columns the stack profile renders: a pool
 * whose schema differs is a configuration problem, like any other setting. Pure: the engine reads the header and
 * throws the answer.
 */
import { csvHeaderForProfile, type PoolProfile } from "./profile";
import { RosterConfigError } from "./roster-errors";

/** The configuration error naming the columns missing from or extra in the pool's header, or undefined. */
export function csvHeaderMismatch(header: readonly string[], profile: PoolProfile): RosterConfigError | undefined {
  const expected = new Set(csvHeaderForProfile(profile));
  const actual = new Set(header);
  const missing = [...expected].filter((c) => !actual.has(c));
  const extra = [...actual].filter((c) => !expected.has(c));
  if (missing.length === 0 && extra.length === 0) return undefined;
  return new RosterConfigError(
    `pool ${profile.userPoolId} does not match the stack profile: its CSV header ` +
      [missing.length ? `lacks ${missing.join(", ")}` : "", extra.length ? `has ${extra.join(", ")} the profile does not declare` : ""]
        .filter(Boolean)
        .join(" and ") +
      " (fix cognito-roster:customAttributes in the stack config)",
  );
}
