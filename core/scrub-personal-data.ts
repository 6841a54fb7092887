/**
 * Removes one user's personal data from a text that is about to be logged or stored: AWS error messages can echo
 * the username (e.g. "User account already exists for user@example.com"), and those lines reach CI logs and the
 * Pulumi state. Every declared value of the user that could identify them (username, email, phone number, names)
 * is replaced by a placeholder; matching ignores case, as Cognito may fold a username.
 *
 * Pure, and deliberately narrow: it scrubs the values it is given, it does not guess at personal data it was not.
 */
import type { DeclaredUser } from "./declared-user";

const IDENTIFYING = ["email", "phone_number", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username"];

export function scrubUser(text: string, user: Pick<DeclaredUser, "username" | "attributes">): string {
  const values = [user.username, ...IDENTIFYING.map((k) => user.attributes[k])]
    .filter((v): v is string => typeof v === "string" && v.length >= 3)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const value of values) out = out.replace(new RegExp(escapeRegExp(value), "giu"), "<user>");
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
