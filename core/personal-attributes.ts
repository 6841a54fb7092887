/**
 * The one list of the standard attributes that are personal data (issue 22.5): values that describe or reach one
 * person. Cognito's standard attributes (the developer guide's "User pool attributes", the OpenID Connect standard
 * claims; core/declared-user.ts STANDARD_ATTRIBUTES) are either here or in NOT_PERSONAL_ATTRIBUTES, and a test
 * keeps the two a partition, so a new standard attribute needs a decision.
 *
 * Read by the scrubber (core/scrub-personal-data.ts: an AWS message that echoes one of these values has it replaced
 * before it is logged or stored, README "Personal data") and by export (core/export-users.ts: never factored into a
 * file's shared `defaults`). The username is personal too: it is the entry's key, not an attribute.
 */

/** Identifiers and addresses to reach the person: matched in any case (Cognito may fold them, URLs' hosts fold). */
export const IDENTIFYING_ATTRIBUTES = ["email", "phone_number", "preferred_username", "profile", "picture", "website"] as const;

/** A name as a whole: matched in its declared case, wherever it stands. */
export const FULL_NAME_ATTRIBUTES = ["name"] as const;

/** A single name: matched in its declared case, except as a sentence's first word (the service's own wording). */
export const SINGLE_NAME_ATTRIBUTES = ["given_name", "family_name", "middle_name", "nickname"] as const;

/** Other values about one person: matched in their declared case, wherever they stand. */
export const OTHER_PERSONAL_ATTRIBUTES = ["birthdate", "address"] as const;

export const PERSONAL_ATTRIBUTES: readonly string[] = [
  ...IDENTIFYING_ATTRIBUTES,
  ...FULL_NAME_ATTRIBUTES,
  ...SINGLE_NAME_ATTRIBUTES,
  ...OTHER_PERSONAL_ATTRIBUTES,
];

/**
 * Standard attributes shared by many people, which identify no one alone: a file's users may share them in
 * `defaults`, and scrubbing them (`true`, `en-GB`, `Europe/London`) would garble messages rather than protect anyone.
 * @internal exported for its tests
 */
export const NOT_PERSONAL_ATTRIBUTES = ["email_verified", "phone_number_verified", "gender", "zoneinfo", "locale"] as const;
