/**
 * The users file's JSON Schema (`schemas/users-file.schema.json`) compiled with ajv + ajv-formats.
 *
 * The same schema file serves editors (yaml-language-server) and this validator, so the two never disagree.
 * This module only runs the schema over a plain value and returns ajv's errors as plain data; it knows nothing
 * of YAML positions or of the pool profile. The validator is built by a function call and owned by the caller, so
 * only code that validates pays for compiling the schema.
 */
import Ajv from "ajv";
import addFormats from "ajv-formats";
import usersFileSchema from "../schemas/users-file.schema.json";

/** One schema violation, as ajv reports it (`instancePath` is a JSON Pointer into the validated value). */
export interface SchemaViolation {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

/** Violations produced lazily: the file's shape first, then user by user, so a caller can stop early. */
export type LazyUsersFileSchemaValidator = (value: unknown) => Iterable<SchemaViolation>;

/**
 * The schema compiled once and run in pieces: the file without its users' contents, then each entry of `users` on
 * its own. The violations are the ones the whole schema gives (instance paths included; test/core/users-file-schema
 * compares them), but a caller that has seen enough (a flood of the same mistake in 100,000 users) stops without
 * ajv listing the rest.
 */
export function compileUsersFileSchemaLazy(): LazyUsersFileSchemaValidator {
  // allErrors: report every problem in one run, not just the first. allowUnionTypes: custom attributes are
  // strings or numbers (the profile decides which), written as a type list in the schema.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv, ["email", "date"]);
  const schema = usersFileSchema as { properties: Record<string, unknown>; definitions: Record<string, unknown> };
  const validateShape = ajv.compile({ ...schema, properties: { ...schema.properties, users: { type: "array" } } });
  const validateUser = ajv.compile({ definitions: schema.definitions, $ref: "#/definitions/user" });
  const violations = (errors: typeof validateShape.errors, prefix: string): SchemaViolation[] =>
    (errors ?? []).map((e) => ({
      keyword: e.keyword,
      instancePath: prefix + e.instancePath,
      params: e.params as Record<string, unknown>,
      message: e.message ?? "is invalid",
    }));
  return function* (value) {
    if (!validateShape(value)) yield* violations(validateShape.errors, "");
    const users = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as { users?: unknown }).users : undefined;
    if (!Array.isArray(users)) return;
    for (let i = 0; i < users.length; i++) if (!validateUser(users[i])) yield* violations(validateUser.errors, `/users/${i}`);
  };
}

/** Splits a JSON Pointer (`/users/3/custom:tisId`) into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}
