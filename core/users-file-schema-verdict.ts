/**
 * The schema's violations in a users file, each placed at file:line:col (core/users-file.ts), and what the schema
 * said by JSON pointer, so that the per-user rules skip what it already reported.
 */
import type { SourcePlace } from "./declared-user";
import { pointerSegments, type LazyUsersFileSchemaValidator, type SchemaViolation } from "./users-file-schema";
import { keyNodeAt, nodeAtPath, writtenText } from "./yaml-tree";
import { type FileCheck, isRecord } from "./users-file-check";
import { describeViolation } from "./users-file-schema-messages";

// Username length and character rules are reported by user-rules with specific codes; the schema carries the
// same constraints for editors only.
const USERNAME_KEYWORDS_REPORTED_BY_RULES: readonly string[] = ["minLength", "maxLength", "pattern"];

/** What the schema said, by JSON pointer: the per-user rules skip what it already reported. */
export interface SchemaVerdict {
  /** Values the schema rejected. */
  rejected: Set<string>;
  /** Keys the schema does not know. */
  unknownKeys: Set<string>;
  /** Indexes of user entries with any violation. */
  entryErrors: Set<number>;
  /** The file is not the documented shape: no per-user rules. */
  structureBroken: boolean;
}

export function isUsable(schema: SchemaVerdict, pointer: string): boolean {
  return !schema.rejected.has(pointer) && !schema.unknownKeys.has(pointer);
}

/** Every schema violation placed, except those the rules report with more specific codes. */
export function reportSchemaViolations(check: FileCheck, validateSchema: LazyUsersFileSchemaValidator): SchemaVerdict {
  const schema: SchemaVerdict = { rejected: new Set(), unknownKeys: new Set(), entryErrors: new Set(), structureBroken: false };
  for (const violation of validateSchema(check.tree.value)) {
    // Past the cap, nothing more is listed: stop asking the schema (the count of the rest is then a lower bound).
    if (check.dropped > 0) break;
    const path = pointerSegments(violation.instancePath);
    if (reportedByRules(violation, path)) continue;
    const value = valueAt(check.tree.value, path);
    // The text as written, for a hint that keeps it (`0012`, `True`): YAML's reading (12, true) is not what was meant.
    const written = typeof value === "number" || typeof value === "boolean" ? writtenText(check.tree, path) : undefined;
    const mapped = describeViolation(violation, path, value, written);
    if (mapped.structural) schema.structureBroken = true;
    const userIndex = path[0] === "users" && path.length >= 2 ? Number(path[1]) : undefined;
    if (userIndex !== undefined) schema.entryErrors.add(userIndex);
    else check.fileHasError = true;
    check.report(placeViolation(check, schema, violation, path, userIndex), mapped.code, mapped.message);
  }
  return schema;
}

function reportedByRules(violation: SchemaViolation, path: readonly string[]): boolean {
  if (path[0] === "users" && path.length === 3 && path[2] === "username" && USERNAME_KEYWORDS_REPORTED_BY_RULES.includes(violation.keyword))
    return true;
  // Cognito's 2,048-character limit is in the schema for editors; the rules report it (ATTRIBUTE_TOO_LONG).
  return violation.keyword === "maxLength" && path[path.length - 1] !== "username";
}

/** Where a violation is reported; records the unknown keys and rejected values it names. */
function placeViolation(
  check: FileCheck,
  schema: SchemaVerdict,
  violation: SchemaViolation,
  path: readonly string[],
  userIndex: number | undefined,
): SourcePlace {
  if (violation.keyword === "additionalProperties") {
    const key = String(violation.params.additionalProperty);
    schema.unknownKeys.add(`${violation.instancePath}/${key}`);
    return check.placeOf(keyNodeAt(check.tree, path, key));
  }
  if (violation.keyword === "required" || (violation.keyword === "type" && userIndex !== undefined && path.length === 2)) {
    // A missing key, or an entry that is not a mapping (even an empty `-`): point at the list item.
    return userIndex !== undefined
      ? check.entryPlaceOf(nodeAtPath(check.tree, ["users", userIndex]))
      : check.placeOf(check.tree.root ?? undefined);
  }
  schema.rejected.add(violation.instancePath);
  return check.placeOf(nodeAtPath(check.tree, path));
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const segment of path) {
    if (Array.isArray(value)) value = value[Number(segment)];
    else if (isRecord(value)) value = value[segment];
    else return undefined;
  }
  return value;
}
