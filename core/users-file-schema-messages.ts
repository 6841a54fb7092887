/**
 * A schema violation in a users file's own terms (core/users-file-schema-verdict.ts places it): its diagnostic code,
 * a message that says how to fix it, and whether the file is too far from the documented shape for the per-user
 * rules to run.
 */
import { type DiagnosticCode, shorten } from "./diagnostics";
import { ISO_DATE } from "./identifier-patterns";
import type { SchemaViolation } from "./users-file-schema";
import { surroundingWhitespace } from "./csv-text-rules";

const STRUCTURE_KEYS: readonly (string | number)[] = ["users", "defaults"];

interface MappedViolation {
  code: DiagnosticCode;
  message: string;
  /** The file is not the documented shape: stop before the per-user rules. */
  structural: boolean;
}

/** Where a violation is, for the describers: the path, its last key, and the value found there. */
interface ViolationSite {
  path: string[];
  key: string;
  value: unknown;
  /** The plain scalar's text when YAML read it as a number or boolean. */
  written?: string;
}

export function describeViolation(v: SchemaViolation, path: string[], value: unknown, written?: string): MappedViolation {
  const site: ViolationSite = { path, key: path[path.length - 1], value, written };
  return describeByKeyword(v, site) ?? { code: "SCHEMA_VIOLATION", message: `${site.key ?? "file"} ${v.message}`, structural: false };
}

/** A message in the users file's own terms, or undefined for the schema's generic one. */
function describeByKeyword(v: SchemaViolation, site: ViolationSite): MappedViolation | undefined {
  switch (v.keyword) {
    case "additionalProperties":
      return describeUnknownKey(shorten(String(v.params.additionalProperty)), site.path);
    case "required":
      return describeMissingKey(site.path);
    case "type":
      return describeWrongType(v, site);
    case "format":
      return describeSurroundingWhitespace(site) ?? describeWrongFormat(v, site);
    case "pattern":
      return describeSurroundingWhitespace(site) ?? describeWrongPattern(site);
    default:
      return undefined;
  }
}

function unknownKey(message: string): MappedViolation {
  return { code: "UNKNOWN_KEY", message, structural: false };
}

function describeUnknownKey(extra: string, path: readonly string[]): MappedViolation {
  if (extra === "<<")
    return unknownKey("merge keys (<<) are not part of YAML 1.2 and not used in users files: put shared values under defaults:");
  if (path.length === 0) return unknownKey(`unknown top-level key "${extra}" (a users file has users and, optionally, defaults)`);
  if (path[0] === "defaults" && extra === "username") return unknownKey("username cannot be a default: every user declares its own");
  if (extra.startsWith("custom:"))
    return unknownKey(`"${extra}" is not a valid custom attribute name (custom: then 1-20 letters, digits, _ or -)`);
  return unknownKey(
    `unknown key "${extra}" (keys are Cognito attribute names: username, mfa_enabled, enabled, standard attributes, custom:<name>)`,
  );
}

function describeMissingKey(path: readonly string[]): MappedViolation {
  if (path.length === 0)
    return {
      code: "TOP_LEVEL_SHAPE",
      message: "a users file is a mapping with a `users:` list (and optional `defaults:`); `users:` is missing",
      structural: true,
    };
  return { code: "MISSING_USERNAME", message: "this user has no username", structural: false };
}

function describeWrongType(v: SchemaViolation, { path, key, written }: ViolationSite): MappedViolation {
  if (path.length === 0)
    return {
      code: "TOP_LEVEL_SHAPE",
      message: "a users file is a mapping with a `users:` list (and optional `defaults:`)",
      structural: true,
    };
  if (path.length === 1 && STRUCTURE_KEYS.includes(path[0]))
    return {
      code: "TOP_LEVEL_SHAPE",
      message:
        path[0] === "users"
          ? "`users:` must be a list of users (write `users: []` for none)"
          : "`defaults:` must be a mapping of attribute values",
      structural: path[0] === "users",
    };
  if (path[0] === "users" && path.length === 2)
    return { code: "WRONG_TYPE", message: "each item of `users:` must be a mapping (username: …, email: …)", structural: false };
  const expected = Array.isArray(v.params.type) ? (v.params.type as string[]).join(" or ") : String(v.params.type);
  const noun = expected === "object" ? "mapping" : expected === "array" ? "list (e.g. [trainees])" : expected;
  return { code: "WRONG_TYPE", message: `${key} must be a ${noun}${typeHint(key, expected, written)}`, structural: false };
}

/** " a@example.com" is one mistake, whitespace, not an invalid address. */
function describeSurroundingWhitespace({ key, value }: ViolationSite): MappedViolation | undefined {
  const edges = typeof value === "string" ? surroundingWhitespace(key, value) : undefined;
  return edges === undefined ? undefined : { code: edges.code, message: edges.message, structural: false };
}

function describeWrongFormat(v: SchemaViolation, { key, value }: ViolationSite): MappedViolation | undefined {
  if (v.params.format === "email") return { code: "INVALID_EMAIL", message: `${key} is not a valid email address`, structural: false };
  if (v.params.format !== "date") return undefined;
  // Only yyyy-mm-dd is accepted: 01/02/1985 could be January or February, and guessing would be silent.
  if (typeof value === "string" && ISO_DATE.test(value))
    return { code: "INVALID_DATE", message: `${key} ${shorten(value)} is not a date that exists`, structural: false };
  return {
    code: "NON_ISO_DATE",
    message: `${key} must be an ISO date yyyy-mm-dd (e.g. 1985-02-01); other forms such as dd/mm/yyyy are ambiguous`,
    structural: false,
  };
}

function describeWrongPattern({ key }: ViolationSite): MappedViolation | undefined {
  if (key !== "phone_number") return undefined;
  return {
    code: "INVALID_PHONE",
    message: 'phone_number must be E.164: + then country code and digits only, e.g. "+447700900123"',
    structural: false,
  };
}

/** The fix for a value of the wrong type; applied as written, it gives the value meant (test/core/fix-hints.test.ts). */
function typeHint(key: string, expected: string, written: string | undefined): string {
  if (expected === "boolean") return " (write true or false, unquoted)";
  // The exact text, quoted: never the number YAML read (`0012` is 12, `+447700900123` loses its +).
  if (expected.includes("string") && written !== undefined && written.length <= 80)
    return ` (quote the text as written: ${JSON.stringify(written)})`;
  if (key === "phone_number") return " (quote it: an unquoted +447700900123 is a YAML number)";
  if (expected === "string") return " (quote it if YAML read it as a number, boolean or date)";
  return "";
}
