/**
 * A declared user: one entry of a users file after the file's `defaults` are merged under it.
 *
 * Keys of `attributes` are Cognito's own attribute names (`email`, `given_name`, `custom:tisId`, …), never
 * `username`, `mfa_enabled` or `enabled`, which have fields of their own. Values are as written in YAML:
 * booleans for `*_verified`, strings otherwise (`birthdate` stays ISO `yyyy-mm-dd`; the CSV renders it), and
 * numbers only for custom attributes of type Number.
 */

export type AttributeValue = string | number | boolean;

export interface SourcePlace {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based line of the user's entry (the `- ` of the list item). */
  line: number;
  /** 1-based column. */
  col: number;
}

export interface DeclaredUser {
  username: string;
  mfaEnabled: boolean;
  /** `enabled: false` marks a leaver; absent means true. */
  enabled: boolean;
  attributes: Record<string, AttributeValue>;
  /**
   * The stack-managed Cognito groups the user is in: the file's defaults' and the user's own, sorted, each once.
   * Absent or empty: none. Never an attribute (an import job cannot set groups).
   */
  groups?: readonly string[];
  /**
   * ISO dates (yyyy-mm-dd) in the stack's time zone: access from `startDate`, until `endDate` (core/access-dates.ts).
   * Never attributes.
   */
  startDate?: string;
  endDate?: string;
  source: SourcePlace;
}

/** The columns of the import CSV that are not pool attributes. */
export const USERNAME_COLUMN = "cognito:username";
export const MFA_COLUMN = "cognito:mfa_enabled";

/** Standard attributes a users file may declare, in the order GetCSVHeader lists them. */
export const STANDARD_ATTRIBUTES = [
  "name",
  "given_name",
  "family_name",
  "middle_name",
  "nickname",
  "preferred_username",
  "profile",
  "picture",
  "website",
  "email",
  "email_verified",
  "gender",
  "birthdate",
  "zoneinfo",
  "locale",
  "phone_number",
  "phone_number_verified",
  "address",
] as const;

/**
 * The loaded user, from a users file's entry merged over its `defaults:`. An empty string means absent, everywhere
 * (docs/users-files.md): the attribute is left out, so the CSV column is blank and plan, full plan and apply never
 * compare or change it. Numbers (only Number custom attributes reach here) become the exact text written, never a
 * float's rendering.
 */
export function toDeclaredUser(
  merged: Record<string, unknown>,
  source: SourcePlace,
  groups: readonly string[],
  numberText: (key: string) => string | undefined,
): DeclaredUser {
  const attributes: Record<string, AttributeValue> = {};
  for (const key in merged) {
    if (key === "username" || key === "mfa_enabled" || key === "enabled" || key === "startDate" || key === "endDate") continue;
    const value = merged[key];
    if (typeof value === "number") attributes[key] = numberText(key) ?? String(value);
    else if ((typeof value === "string" && value !== "") || typeof value === "boolean") attributes[key] = value;
  }
  return {
    username: merged.username as string,
    mfaEnabled: merged.mfa_enabled === true,
    enabled: merged.enabled !== false,
    attributes,
    ...(groups.length > 0 ? { groups } : {}),
    ...(typeof merged.startDate === "string" ? { startDate: merged.startDate } : {}),
    ...(typeof merged.endDate === "string" ? { endDate: merged.endDate } : {}),
    source,
  };
}
