/**
 * Checks one users file: YAML → schema → per-user rules, with every problem placed at file:line:col.
 *
 * Input is the file's text and its display path; output is the users that loaded, the identities the
 * cross-file checks need, and the file's diagnostics. It does no I/O and keeps no state between calls, so the
 * same function runs on the main thread, in a worker thread, or inside the Pulumi provider. Checks that need
 * other files (duplicate usernames and emails) belong to `roster-duplicates.ts`.
 */
import { isMap, isSeq, type Node, type Pair } from "yaml";
import type { AttributeValue, DeclaredUser, SourcePlace } from "./declared-user";
import { shorten, sortDiagnostics, type Diagnostic } from "./diagnostics";
import { ISO_DATE } from "./identifier-patterns";
import { csvHeaderForProfile, type PoolProfile } from "./profile";
import { compileUsersFileSchemaLazy, pointerSegments, type LazyUsersFileSchemaValidator, type SchemaViolation } from "./users-file-schema";
import {
  buildUserRuleContext,
  checkAttributeValue,
  checkMergedUser,
  checkUsername,
  surroundingWhitespace,
  type UserFinding,
  type UserRuleContext,
} from "./user-rules";
import { keyNodeAt, keyText, nodeAtPath, nodeOffset, parseYamlTree } from "./yaml-tree";
import { checkGroupList, mergedGroups, tooManyGroups, type GroupListFinding } from "./groups";

/** What the cross-file checks need to know about one user entry. */
export interface UserIdentity {
  username: string;
  usernamePlace: SourcePlace;
  email?: string;
  emailPlace?: SourcePlace;
  /** Index of this user in the file's `users`, or -1 when the entry did not load. */
  userIndex: number;
}

export interface UsersFileResult {
  file: string;
  /** Entries that loaded without error, defaults merged, in document order. */
  users: DeclaredUser[];
  /** Every entry with a usable username, loaded or not, in document order. */
  identities: UserIdentity[];
  /** Sorted by line and column. */
  diagnostics: Diagnostic[];
}

export type UsersFileChecker = (text: string, file: string) => UsersFileResult;

/** Compiles the schema and the profile's rules once; the result checks any number of files. */
export function createUsersFileChecker(profile: PoolProfile): UsersFileChecker {
  const validateSchema = compileUsersFileSchemaLazy();
  const ruleContext = buildUserRuleContext(profile, csvHeaderForProfile(profile));
  return (text, file) => checkUsersFileWith(text, file, validateSchema, ruleContext);
}

/** One file on its own (compiles the schema each call: use `createUsersFileChecker` for many files). */
export function checkUsersFileText(text: string, file: string, profile: PoolProfile): UsersFileResult {
  return createUsersFileChecker(profile)(text, file);
}

/** Diagnostics listed per file; past this many, one TOO_MANY_PROBLEMS diagnostic counts the rest. */
const MAX_DIAGNOSTICS_PER_FILE = 1000;

// Username length and character rules are reported by user-rules with specific codes; the schema carries the
// same constraints for editors only.
const USERNAME_KEYWORDS_REPORTED_BY_RULES: readonly string[] = ["minLength", "maxLength", "pattern"];
const STRUCTURE_KEYS: readonly (string | number)[] = ["users", "defaults"];

function checkUsersFileWith(
  text: string,
  file: string,
  validateSchema: LazyUsersFileSchemaValidator,
  ctx: UserRuleContext,
): UsersFileResult {
  const diagnostics: Diagnostic[] = [];
  const users: DeclaredUser[] = [];
  const identities: UserIdentity[] = [];
  let dropped = 0;
  let firstDropped: SourcePlace | undefined;
  const finish = (): UsersFileResult => {
    if (dropped > 0 && firstDropped !== undefined) {
      const more = "more problems";
      diagnostics.push({
        ...firstDropped,
        severity: "error",
        code: "TOO_MANY_PROBLEMS",
        message: `${more} in this file not shown (the first ${MAX_DIAGNOSTICS_PER_FILE} are): fix these and validate again`,
      });
    }
    return { file, users, identities, diagnostics: sortDiagnostics(diagnostics) };
  };

  const tree = parseYamlTree(text);
  const placeAt = (offset: number | undefined): SourcePlace => {
    const pos = tree.linePos(offset ?? 0);
    return { file, line: Math.max(1, pos.line), col: Math.max(1, pos.col) };
  };
  const placeOf = (node: Node | undefined, fallback: SourcePlace): SourcePlace => {
    const offset = nodeOffset(node);
    return offset === undefined ? fallback : placeAt(offset);
  };
  const report = (place: SourcePlace, code: string, message: string, severity: Diagnostic["severity"] = "error") => {
    // A flood (a generated file with the same mistake a million times) is cut short: bounded output and memory.
    if (diagnostics.length >= MAX_DIAGNOSTICS_PER_FILE) {
      dropped += 1;
      firstDropped ??= place;
      return;
    }
    diagnostics.push({ ...place, severity, code, message });
  };
  const filePlace: SourcePlace = { file, line: 1, col: 1 };

  for (const problem of tree.problems) report(placeAt(problem.offset), problem.code, problem.message);
  if (tree.unusable) return finish();
  let fileHasError = tree.problems.length > 0;

  // The place of a user entry is its list item's `- `, so reports about the whole entry point at it.
  const entryPlaceOf = (node: Node | undefined): SourcePlace => {
    const start = nodeOffset(node);
    if (start === undefined) return placeOf(nodeAtPath(tree, ["users"]), filePlace);
    let i = start - 1;
    while (i >= 0 && (text[i] === " " || text[i] === "\t")) i -= 1;
    return placeAt(i >= 0 && text[i] === "-" ? i : start);
  };
  const entryPlace = (index: number): SourcePlace => entryPlaceOf(nodeAtPath(tree, ["users", index]));

  // Schema: every violation placed; remember which values were rejected so the rules skip them.
  const rejected = new Set<string>();
  const unknownKeys = new Set<string>();
  const entryErrors = new Set<number>();
  let structureBroken = false;
  // A mapping thousands of keys wide is not a users file: one problem, before the schema lists every key.
  const tooWide = firstTooWideMapping(tree.value);
  if (tooWide !== undefined) {
    const node = nodeAtPath(tree, tooWide.path);
    report(
      placeOf(node ?? undefined, filePlace),
      "MAPPING_TOO_WIDE",
      `this mapping has ${tooWide.keys} keys; a users file has at most ${MAX_KEYS_PER_MAPPING} in one mapping (a user has a few dozen attributes at most)`,
    );
    return finish();
  }
  for (const violation of validateSchema(tree.value)) {
    // Past the cap, nothing more is listed: stop asking the schema (the count of the rest is then a lower bound).
    if (dropped > 0) break;
    const path = pointerSegments(violation.instancePath);
    if (
      path[0] === "users" &&
      path.length === 3 &&
      path[2] === "username" &&
      USERNAME_KEYWORDS_REPORTED_BY_RULES.includes(violation.keyword)
    )
      continue;
    // Cognito's 2,048-character limit is in the schema for editors; the rules report it (ATTRIBUTE_TOO_LONG).
    if (violation.keyword === "maxLength" && path[path.length - 1] !== "username") continue;
    const mapped = describeViolation(violation, path, valueAt(tree.value, path));
    if (mapped.structural) structureBroken = true;
    const userIndex = path[0] === "users" && path.length >= 2 ? Number(path[1]) : undefined;
    if (userIndex !== undefined) entryErrors.add(userIndex);
    else fileHasError = true;

    let place: SourcePlace;
    if (violation.keyword === "additionalProperties") {
      const key = String(violation.params.additionalProperty);
      unknownKeys.add(`${violation.instancePath}/${key}`);
      place = placeOf(keyNodeAt(tree, path, key), filePlace);
    } else if (violation.keyword === "required" || (violation.keyword === "type" && userIndex !== undefined && path.length === 2)) {
      // A missing key, or an entry that is not a mapping (even an empty `-`): point at the list item.
      place = userIndex !== undefined ? entryPlace(userIndex) : placeOf(tree.root ?? undefined, filePlace);
    } else {
      rejected.add(violation.instancePath);
      place = placeOf(nodeAtPath(tree, path), filePlace);
    }
    report(place, mapped.code, mapped.message);
  }
  if (structureBroken || !isRecord(tree.value)) return finish();

  const usable = (pointer: string) => !rejected.has(pointer) && !unknownKeys.has(pointer);
  const defaults = isRecord(tree.value.defaults) ? tree.value.defaults : {};
  // Only keys the schema knows reach the merged values, so `__proto__` never does: plain objects are safe here.
  const usableDefaults: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(defaults)) {
    const pointer = `/defaults/${key}`;
    if (!usable(pointer)) continue;
    usableDefaults[key] = value;
    if (key === "groups" && Array.isArray(value)) {
      // Each item placed at itself: `groups: [trainees, kss-admins]` has one position per name.
      for (const finding of checkGroupList(value, ctx.profile.groups ?? {})) {
        if (finding.severity === "error") fileHasError = true;
        report(placeOf(groupItemNode(tree, ["defaults"], finding), filePlace), finding.code, finding.message, finding.severity);
      }
      continue;
    }
    for (const finding of checkAttributeValue(key, value, ctx)) {
      if (finding.severity === "error") fileHasError = true;
      const node = finding.part === "key" ? keyNodeAt(tree, ["defaults"], key) : nodeAtPath(tree, ["defaults", key]);
      report(placeOf(node, filePlace), finding.code, finding.message, finding.severity);
    }
  }

  const entries = Array.isArray(tree.value.users) ? tree.value.users : [];
  const usersNode = nodeAtPath(tree, ["users"]);
  const entryNode = (index: number): Node | undefined => (isSeq(usersNode) ? (usersNode.items[index] as Node | undefined) : undefined);
  const defaultsBroken = rejected.has("/defaults");
  const defaultsClean = !defaultsBroken && ![...rejected, ...unknownKeys].some((p) => p.startsWith("/defaults/"));
  const alwaysUsable = () => true;

  entries.forEach((entry, index) => {
    if (!isRecord(entry) || dropped > 0) return; // already reported by the schema, or past the cap
    // Most entries have no schema violation: then no per-key lookups are needed.
    const clean = !entryErrors.has(index);
    const pointerOf = (key: string) => `/users/${index}/${key}`;
    const isOwn = (key: string) => Object.hasOwn(entry, key);
    let hasError = !clean;
    // Keys whose own value already has an error: rules across keys do not use them (one mistake, one message).
    const keysWithErrors = new Set<string>();
    let cachedPlace: SourcePlace | undefined;
    const place = (): SourcePlace => (cachedPlace ??= entryPlaceOf(entryNode(index) ?? nodeAtPath(tree, ["users", index])));
    const ownValuePlace = (key: string): SourcePlace =>
      placeOf(pairOf(entryNode(index), key)?.value ?? nodeAtPath(tree, ["users", index, key]), place());
    const placeFinding = (finding: UserFinding): void => {
      if (finding.severity === "error") hasError = true;
      if (finding.severity === "error" && finding.key !== undefined) keysWithErrors.add(finding.key);
      const key = finding.key;
      if (finding.part === "entry" || key === undefined || !isOwn(key)) {
        const suffix = key !== undefined && finding.part !== "entry" && !isOwn(key) ? " (value from defaults)" : "";
        report(place(), finding.code, finding.message + suffix, finding.severity);
        return;
      }
      if (finding.part === "key")
        report(placeOf(keyNodeAt(tree, ["users", index], key), place()), finding.code, finding.message, finding.severity);
      else report(ownValuePlace(key), finding.code, finding.message, finding.severity);
    };

    // One builtin copy rather than a property store per key: per-key stores into fresh objects of many shapes
    // were the single largest cost of this loop on large trees.
    // An entry with schema violations is copied key by key, leaving out unknown keys (`__proto__` among them,
    // which Object.assign would treat as the prototype).
    const merged: Record<string, unknown> = clean ? Object.assign({}, usableDefaults, entry) : { ...usableDefaults };
    for (const key in entry) {
      const value = entry[key];
      if (!clean) {
        if (unknownKeys.has(pointerOf(key))) continue;
        merged[key] = value;
      }
      // A rejected value still counts as declared for the cross-key rules, but is not checked again.
      if (!clean && rejected.has(pointerOf(key))) continue;
      if (key === "groups" && Array.isArray(value)) {
        const fromDefaults = new Set(
          Array.isArray(usableDefaults.groups) ? usableDefaults.groups.filter((g): g is string => typeof g === "string") : [],
        );
        for (const finding of checkGroupList(value, ctx.profile.groups ?? {}, fromDefaults)) {
          if (finding.severity === "error") hasError = true;
          report(placeOf(groupItemNode(tree, ["users", index], finding), place()), finding.code, finding.message, finding.severity);
        }
        continue;
      }
      const findings =
        key === "username" ? (typeof value === "string" ? checkUsername(value, ctx) : []) : checkAttributeValue(key, value, ctx);
      for (const finding of findings) placeFinding(finding);
    }
    // A value missing because `defaults` (or one of its values) was rejected is not missing a second time.
    const schemaUsable =
      clean && defaultsClean
        ? alwaysUsable
        : (key: string) => (isOwn(key) ? usable(pointerOf(key)) : !defaultsBroken && usable(`/defaults/${key}`));
    // An unknown key may be the misspelled attribute a rule would call missing (mfa_enabld): no second message.
    const hasUnknownKey = !clean && Object.keys(entry).some((key) => unknownKeys.has(pointerOf(key)));
    const isUsable = (key: string) => !hasUnknownKey && !keysWithErrors.has(key) && schemaUsable(key);
    for (const finding of checkMergedUser(merged, ctx, isUsable)) placeFinding(finding);
    const groups = mergedGroups(asList(usableDefaults.groups), asList(entry.groups));
    const tooMany = tooManyGroups(groups.length);
    if (tooMany) {
      hasError = true;
      report(placeOf(isOwn("groups") ? keyNodeAt(tree, ["users", index], "groups") : undefined, place()), tooMany.code, tooMany.message);
    }

    const loads = !hasError && !fileHasError;
    const username = merged.username;
    if (loads) users.push(toDeclaredUser(merged, place(), groups));
    if (typeof username === "string" && username !== "") {
      const identity: UserIdentity = { username, usernamePlace: ownValuePlace("username"), userIndex: loads ? users.length - 1 : -1 };
      if (typeof merged.email === "string" && merged.email !== "") {
        identity.email = merged.email;
        identity.emailPlace = isOwn("email") ? ownValuePlace("email") : place();
      }
      identities.push(identity);
    }
  });
  return finish();
}

/** Keys allowed in one mapping (Cognito has 23 standard and up to 50 custom attributes). */
const MAX_KEYS_PER_MAPPING = 200;

/** The root, `defaults` or a user entry with more than MAX_KEYS_PER_MAPPING keys. */
function firstTooWideMapping(value: unknown): { path: (string | number)[]; keys: number } | undefined {
  if (!isRecord(value)) return undefined;
  const width = (v: unknown) => (isRecord(v) ? Object.keys(v).length : 0);
  if (width(value) > MAX_KEYS_PER_MAPPING) return { path: [], keys: width(value) };
  if (width(value.defaults) > MAX_KEYS_PER_MAPPING) return { path: ["defaults"], keys: width(value.defaults) };
  if (Array.isArray(value.users)) {
    for (let i = 0; i < value.users.length; i++)
      if (width(value.users[i]) > MAX_KEYS_PER_MAPPING) return { path: ["users", i], keys: width(value.users[i]) };
  }
  return undefined;
}

interface MappedViolation {
  code: string;
  message: string;
  /** The file is not the documented shape: stop before the per-user rules. */
  structural: boolean;
}

function describeViolation(v: SchemaViolation, path: string[], value: unknown): MappedViolation {
  const key = path[path.length - 1];
  const atRoot = path.length === 0;
  const atStructure = path.length === 1 && STRUCTURE_KEYS.includes(path[0]);
  const inDefaults = path[0] === "defaults";
  switch (v.keyword) {
    case "additionalProperties": {
      const extra = shorten(String(v.params.additionalProperty));
      if (extra === "<<")
        return {
          code: "UNKNOWN_KEY",
          message: "merge keys (<<) are not part of YAML 1.2 and not used in users files: put shared values under defaults:",
          structural: false,
        };
      if (atRoot)
        return {
          code: "UNKNOWN_KEY",
          message: `unknown top-level key "${extra}" (a users file has users and, optionally, defaults)`,
          structural: false,
        };
      if (inDefaults && extra === "username")
        return { code: "UNKNOWN_KEY", message: "username cannot be a default: every user declares its own", structural: false };
      if (extra.startsWith("custom:"))
        return {
          code: "UNKNOWN_KEY",
          message: `"${extra}" is not a valid custom attribute name (custom: then 1-20 letters, digits, _ or -)`,
          structural: false,
        };
      return {
        code: "UNKNOWN_KEY",
        message: `unknown key "${extra}" (keys are Cognito attribute names: username, mfa_enabled, enabled, standard attributes, custom:<name>)`,
        structural: false,
      };
    }
    case "required":
      if (atRoot)
        return {
          code: "TOP_LEVEL_SHAPE",
          message: "a users file is a mapping with a `users:` list (and optional `defaults:`); `users:` is missing",
          structural: true,
        };
      return { code: "MISSING_USERNAME", message: "this user has no username", structural: false };
    case "type": {
      const expected = Array.isArray(v.params.type) ? (v.params.type as string[]).join(" or ") : String(v.params.type);
      if (atRoot)
        return {
          code: "TOP_LEVEL_SHAPE",
          message: "a users file is a mapping with a `users:` list (and optional `defaults:`)",
          structural: true,
        };
      if (atStructure)
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
      return {
        code: "WRONG_TYPE",
        message: `${key} must be a ${expected === "object" ? "mapping" : expected === "array" ? "list (e.g. [trainees])" : expected}${typeHint(key, expected)}`,
        structural: false,
      };
    }
    case "format":
    case "pattern": {
      // " a@example.com" is one mistake, whitespace, not an invalid address.
      const edges = typeof value === "string" ? surroundingWhitespace(key, value) : undefined;
      if (edges !== undefined) return { code: edges.code, message: edges.message, structural: false };
      break;
    }
  }
  switch (v.keyword) {
    case "format":
      if (v.params.format === "email") return { code: "INVALID_EMAIL", message: `${key} is not a valid email address`, structural: false };
      if (v.params.format === "date") {
        // Only yyyy-mm-dd is accepted: 01/02/1985 could be January or February, and guessing would be silent.
        if (typeof value === "string" && ISO_DATE.test(value)) {
          return { code: "INVALID_DATE", message: `${key} ${shorten(value)} is not a date that exists`, structural: false };
        }
        return {
          code: "NON_ISO_DATE",
          message: `${key} must be an ISO date yyyy-mm-dd (e.g. 1985-02-01); other forms such as dd/mm/yyyy are ambiguous`,
          structural: false,
        };
      }
      break;
    case "pattern":
      if (key === "phone_number")
        return {
          code: "INVALID_PHONE",
          message: 'phone_number must be E.164: + then country code and digits only, e.g. "+447700900123"',
          structural: false,
        };
      break;
  }
  return { code: "SCHEMA_VIOLATION", message: `${key ?? "file"} ${v.message}`, structural: false };
}

function typeHint(key: string, expected: string): string {
  if (expected === "boolean") return " (write true or false, unquoted)";
  if (key === "phone_number") return " (quote it: an unquoted +447700900123 is a YAML number)";
  if (expected === "string") return " (quote it if YAML read it as a number, boolean or date)";
  return "";
}

function toDeclaredUser(merged: Record<string, unknown>, source: SourcePlace, groups: readonly string[]): DeclaredUser {
  const attributes: Record<string, AttributeValue> = {};
  for (const key in merged) {
    if (key === "username" || key === "mfa_enabled" || key === "enabled") continue;
    const value = merged[key];
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") attributes[key] = value;
  }
  return {
    username: merged.username as string,
    mfaEnabled: merged.mfa_enabled === true,
    enabled: merged.enabled !== false,
    attributes,
    ...(groups.length > 0 ? { groups } : {}),
    source,
  };
}

/** The node of the `groups` item a finding is about (the `groups` key for the list as a whole). */
function groupItemNode(
  tree: ReturnType<typeof parseYamlTree>,
  base: readonly (string | number)[],
  finding: GroupListFinding,
): Node | undefined {
  return finding.index !== undefined ? nodeAtPath(tree, [...base, "groups", finding.index]) : keyNodeAt(tree, base, "groups");
}

function asList(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** The pair of `key` in a mapping node (first one, as duplicates are reported elsewhere). */
function pairOf(node: Node | undefined, key: string): { key: Node; value: Node | undefined } | undefined {
  if (!isMap(node)) return undefined;
  const pair = (node.items as Pair<unknown, unknown>[]).find((p) => keyText(p.key) === key);
  return pair ? { key: pair.key as Node, value: (pair.value as Node | null) ?? (pair.key as Node) } : undefined;
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
