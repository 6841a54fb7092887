/**
 * What `cognito-roster intake` says about the `*_verified` flags of the trainees it adds (issue 19.7): a verified flag means
 * "send reset codes here", so the office must know where each one came from — the spreadsheet's own column, the
 * existing file's defaults, or the defaults intake writes into a new file because of the stack's settings. One line
 * per flag, on stderr; no personal data. Pure: the existing file is text, read here with the yaml package.
 */
import { parseDocument } from "yaml";
import type { AttributeValue } from "./declared-user";
import type { PoolProfile } from "./profile";

const FLAGS = [
  ["email_verified", "email"],
  ["phone_number_verified", "phone_number"],
] as const;

/** The lines to print, given the spreadsheet's columns, the file as it was (undefined: new) and the new file's defaults. */
export function verifiedFlagNotes(
  profile: PoolProfile,
  columnsPresent: readonly string[],
  existing: string | undefined,
  newDefaults: Record<string, AttributeValue>,
): string[] {
  const fileDefaults =
    existing === undefined ? undefined : (parseDocument(existing).toJS() as { defaults?: Record<string, unknown> })?.defaults;
  const notes: string[] = [];
  for (const [flag, attribute] of FLAGS) {
    if (!columnsPresent.includes(attribute) && !columnsPresent.includes(flag)) continue;
    if (columnsPresent.includes(flag)) notes.push(`${flag}: from the spreadsheet's ${flag} column, row by row`);
    else if (existing === undefined && newDefaults[flag] !== undefined)
      notes.push(`${flag}: ${newDefaults[flag]} in the new file's defaults, ${why(profile, attribute)}`);
    else if (fileDefaults?.[flag] !== undefined)
      notes.push(`${flag}: ${String(fileDefaults[flag])}, from the defaults of the file the trainees are added to`);
    else if (profile.autoVerifiedAttributes.includes(attribute))
      notes.push(`${flag}: not set (${attribute} unverified: Cognito sends no reset code to it)`);
  }
  return notes;
}

function why(profile: PoolProfile, attribute: "email" | "phone_number"): string {
  const policy = profile.contactPolicy?.[attribute];
  const reasons = [`the pool auto-verifies ${attribute} (autoVerifiedAttributes)`];
  if (policy === "verified") reasons.push(`the stack's contactPolicy requires ${attribute} verified`);
  return (
    `because ${reasons.join(" and ")}: reset codes go only to a verified address, ` +
    `so send only addresses known to be the trainee's (or add an ${attribute}_verified column)`
  );
}
