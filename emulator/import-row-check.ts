/**
 * Judges one CSV row as Cognito does before creating the user: username pattern, booleans, verified flags
 * with their values, the auto-verified rule (documented message verbatim), required attributes,
 * `cognito:mfa_enabled` against the pool's MFA setting, schema types and constraints, E.164 phones.
 *
 * Failure reasons never contain user data (only column names and rules). Values come back as the pool
 * stores them: strings, booleans `"true"`/`"false"`, `birthdate` converted to `yyyy-mm-dd`.
 */
import { schemaAttribute, type PoolConfig, type SchemaAttribute } from "./pool-model";

const AUTO_VERIFIED_MESSAGE =
  "The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).";

export type RowVerdict = { ok: true; username: string; attributes: Record<string, string> } | { ok: false; reason: string };

const USERNAME_RE = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const E164_RE = /^\+[1-9][0-9]{1,14}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+$/u;
const BIRTHDATE_RE = /^(\d{2})\/(\d{2})\/(\d{4})$/;
const BOOLEAN_COLUMNS = new Set(["email_verified", "phone_number_verified", "cognito:mfa_enabled"]);

/** Reads a CSV boolean: blank → undefined, TRUE/true/FALSE/false, else "invalid". */
function readBoolean(v: string): boolean | undefined | "invalid" {
  if (v === "") return undefined;
  const l = v.toLowerCase();
  if (l === "true") return true;
  if (l === "false") return false;
  return "invalid";
}

/** Only the username, for the early "already exists" check. */
export function usernameOf(fields: readonly string[], usernameIndex: number): string | undefined {
  const u = fields[usernameIndex];
  if (u === undefined || u === "" || codePointLength(u) > 128 || !USERNAME_RE.test(u)) return undefined;
  return u;
}

/** Builds the checker for one job once (schema lookups per column), then judges each row with it. */
export function makeRowChecker(pool: PoolConfig, header: readonly string[]): (fields: readonly string[]) => RowVerdict {
  const schemas = header.map((h) => schemaAttribute(pool, h));
  const index = new Map(header.map((h, i) => [h, i]));
  return (fields) => checkRow(pool, header, fields, schemas, index);
}

function checkRow(
  pool: PoolConfig,
  header: readonly string[],
  fields: readonly string[],
  schemas: readonly (SchemaAttribute | undefined)[],
  index: ReadonlyMap<string, number>,
): RowVerdict {
  if (fields.length !== header.length)
    return { ok: false, reason: `The row has ${fields.length} values but the header has ${header.length} columns.` };
  const value = (col: string): string => {
    const i = index.get(col);
    return i === undefined ? "" : fields[i];
  };

  const username = value("cognito:username");
  if (username === "") return { ok: false, reason: "The cognito:username value is missing." };
  if (codePointLength(username) > 128 || !USERNAME_RE.test(username)) {
    return { ok: false, reason: "The cognito:username value does not satisfy the username pattern (1-128 characters, no whitespace)." };
  }

  const booleans: Record<string, boolean | undefined> = {};
  for (const col of BOOLEAN_COLUMNS) {
    const b = readBoolean(value(col));
    if (b === "invalid") return { ok: false, reason: `Invalid value for attribute ${col}: expected true or false.` };
    booleans[col] = b;
  }
  if (booleans.email_verified === true && value("email") === "")
    return { ok: false, reason: "email_verified is true but the email attribute is blank." };
  if (booleans.phone_number_verified === true && value("phone_number") === "") {
    return { ok: false, reason: "phone_number_verified is true but the phone_number attribute is blank." };
  }
  const verified = pool.autoVerifiedAttributes.some((a) => booleans[`${a}_verified`] === true);
  if (!verified) return { ok: false, reason: AUTO_VERIFIED_MESSAGE };

  const mfa = mfaProblem(pool.mfaConfiguration, booleans["cognito:mfa_enabled"]);
  if (mfa !== undefined) return { ok: false, reason: mfa };

  const attributes = rowAttributes(header, fields, schemas, booleans);
  return "problem" in attributes ? { ok: false, reason: attributes.problem } : { ok: true, username, attributes: attributes.values };
}

/** `cognito:mfa_enabled` against the pool's MFA configuration: why it does not fit, or undefined. */
function mfaProblem(configuration: PoolConfig["mfaConfiguration"], mfa: boolean | undefined): string | undefined {
  if (configuration === "ON" && mfa !== true) return "cognito:mfa_enabled must be true: the user pool's MFA configuration is ON.";
  if (configuration === "OFF" && mfa !== false) return "cognito:mfa_enabled must be false: the user pool's MFA configuration is OFF.";
  if (configuration === "OPTIONAL" && mfa === undefined)
    return "cognito:mfa_enabled must be true or false: the user pool's MFA configuration is OPTIONAL.";
  return undefined;
}

/** The row's attribute values as the pool stores them (the `cognito:` columns left out), or the first problem. */
function rowAttributes(
  header: readonly string[],
  fields: readonly string[],
  schemas: readonly (SchemaAttribute | undefined)[],
  booleans: Record<string, boolean | undefined>,
): { values: Record<string, string> } | { problem: string } {
  const attributes: Record<string, string> = {};
  for (let i = 0; i < header.length; i++) {
    const col = header[i];
    if (col.startsWith("cognito:")) continue;
    const v = fields[i];
    const schema = schemas[i];
    if (v === "") {
      if (schema?.Required) return { problem: `The required attribute ${col} is missing.` };
      continue;
    }
    if (!schema) return { problem: `The attribute ${col} is not in the user pool schema.` };
    if (BOOLEAN_COLUMNS.has(col)) {
      attributes[col] = booleans[col] ? "true" : "false";
      continue;
    }
    const converted = convertValue(col, v, schema.AttributeDataType, schema.StringAttributeConstraints, schema.NumberAttributeConstraints);
    if (typeof converted !== "string") return { problem: converted.reason };
    attributes[col] = converted;
  }
  return { values: attributes };
}

function convertValue(
  col: string,
  value: string,
  type: string,
  strings: { MinLength?: string; MaxLength?: string } | undefined,
  numbers: { MinValue?: string; MaxValue?: string } | undefined,
): string | { reason: string } {
  const invalid = (why: string) => ({ reason: `Invalid value for attribute ${col}: ${why}.` });
  if (col === "phone_number" && !E164_RE.test(value))
    return invalid("phone numbers must be in E.164 format (+ then country code and digits)");
  if (col === "email" && !EMAIL_RE.test(value)) return invalid("not a valid email address format");
  if (col === "birthdate") {
    const m = BIRTHDATE_RE.exec(value);
    if (!m) return invalid("birthdate must be mm/dd/yyyy");
    const [mm, dd, yyyy] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const d = new Date(Date.UTC(yyyy, mm - 1, dd));
    if (d.getUTCFullYear() !== yyyy || d.getUTCMonth() !== mm - 1 || d.getUTCDate() !== dd)
      return invalid("birthdate is not a calendar date");
    return `${m[3]}-${m[1]}-${m[2]}`;
  }
  if (type === "Number") {
    if (!/^-?\d+$/.test(value)) return invalid("must be a whole number");
    // Compared exactly (BigInt): a 20-digit value is not rounded to a float's neighbour first. The value is kept as sent.
    const n = BigInt(value);
    if (numbers?.MinValue !== undefined && n < BigInt(numbers.MinValue)) return invalid(`must be at least ${numbers.MinValue}`);
    if (numbers?.MaxValue !== undefined && n > BigInt(numbers.MaxValue)) return invalid(`must be at most ${numbers.MaxValue}`);
    return value;
  }
  const len = codePointLength(value);
  if (strings?.MinLength !== undefined && len < Number(strings.MinLength))
    return invalid(`must be at least ${strings.MinLength} characters`);
  const max = strings?.MaxLength !== undefined ? Number(strings.MaxLength) : 2048;
  if (len > max) return invalid(`must be at most ${max} characters`);
  return value;
}

/** Length in code points, as the service counts it; cheap when the string has no surrogate pairs. */
function codePointLength(s: string): number {
  if (!/[\uD800-\uDFFF]/.test(s)) return s.length;
  return [...s].length;
}
