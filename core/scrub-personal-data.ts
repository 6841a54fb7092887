/**
 * Removes one user's personal data from a text that is about to be logged or stored: AWS error messages can echo
 * the username (e.g. "User account already exists for user@example.com"), and those lines reach CI logs and the
 * Pulumi state. The username and every declared personal attribute of the user (core/personal-attributes.ts: email,
 * phone number, names, birth date, address, profile, picture and website) are replaced by a placeholder.
 *
 * Exact matches of the known values only, as whole tokens: never a part of a longer word or id (a trainee called
 * "The" must not garble "other", "there" or a job id such as `import-TheAbC123`). Identifiers (username, email,
 * phone, preferred username, the URLs) match in any case, as Cognito may fold a username. A name matches in its
 * declared case only, the full name (given then family name, or `name`) wherever it stands, and a single given,
 * middle or family name or nickname except as the first word of a sentence — where the service's own wording stands
 * ("The import job failed …"), and an echoed value does not. A birth date or address matches as declared.
 *
 * Pure, and deliberately narrow: it scrubs the values it is given, it does not guess at personal data it was not.
 */
import type { DeclaredUser } from "./declared-user";
import { FULL_NAME_ATTRIBUTES, IDENTIFYING_ATTRIBUTES, OTHER_PERSONAL_ATTRIBUTES, SINGLE_NAME_ATTRIBUTES } from "./personal-attributes";

/** Characters that would continue a username, email or phone number, or a word or id, on either side. */
const TOKEN = "[\\p{L}\\p{N}_@+\\-]";
const BEFORE = `(?<!${TOKEN})(?<![\\p{L}\\p{N}]\\.)`;
const AFTER = `(?!${TOKEN})(?!\\.[\\p{L}\\p{N}])`;
/** A sentence starts at the beginning of the text or after ". ", "! ", "? ", ": " or " - ". */
const NOT_SENTENCE_START = "(?<!^)(?<![.!?:]\\s+)(?<!\\s-\\s)";

export function scrubUser(text: string, user: Pick<DeclaredUser, "username" | "attributes">): string {
  const attr = (k: string) => {
    const v = user.attributes[k];
    return typeof v === "string" && v.length >= 3 ? v : undefined;
  };
  const asDeclared = [...FULL_NAME_ATTRIBUTES, ...OTHER_PERSONAL_ATTRIBUTES].map(attr);
  const wholeValues = [...asDeclared, joined(user.attributes.given_name, user.attributes.family_name)];
  const patterns: { value: string; flags: string; extra: string }[] = [
    ...[user.username, ...IDENTIFYING_ATTRIBUTES.map(attr)].map((value) => ({ value, flags: "giu", extra: "" })),
    ...wholeValues.map((value) => ({ value, flags: "gu", extra: "" })),
    ...SINGLE_NAME_ATTRIBUTES.map(attr).map((value) => ({ value, flags: "gu", extra: NOT_SENTENCE_START })),
  ].filter((p): p is { value: string; flags: string; extra: string } => typeof p.value === "string" && p.value.length >= 3);
  patterns.sort((a, b) => b.value.length - a.value.length);
  let out = text;
  for (const { value, flags, extra } of patterns) {
    out = out.replace(new RegExp(`${BEFORE}${extra}${escapeRegExp(value)}${AFTER}`, flags), "<user>");
  }
  return out;
}

function joined(given: unknown, family: unknown): string | undefined {
  return typeof given === "string" && typeof family === "string" ? `${given} ${family}` : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
