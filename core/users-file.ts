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
import { type Diagnostic, type DiagnosticCode, shorten, sortDiagnostics } from "./diagnostics";
import { ISO_DATE } from "./identifier-patterns";
import { csvHeaderForProfile, type PoolProfile } from "./profile";
import { compileUsersFileSchemaLazy, pointerSegments, type LazyUsersFileSchemaValidator, type SchemaViolation } from "./users-file-schema";
import { buildUserRuleContext, checkAttributeValue, type UserRuleContext } from "./user-rules";
import { checkUsername } from "./username-rules";
import { checkMergedUser } from "./merged-user-rules";
import { surroundingWhitespace } from "./csv-text-rules";
import type { UserFinding } from "./user-finding";
import { keyNodeAt, nodeAtPath, nodeOffset, parseYamlTree, writtenText, type YamlTree } from "./yaml-tree";
import { keyText } from "./yaml-plain-value";
import { checkGroupList, mergedGroups, tooManyGroups, type GroupListFinding } from "./groups";
import { commentAfterValue, isFreeTextAttribute, mayHaveInlineComments } from "./comment-after-value";

/** What the cross-file checks need to know about one user entry. */
export interface UserIdentity {
  username: string;
  usernamePlace: SourcePlace;
  email?: string;
  emailPlace?: SourcePlace;
  /** The phone number, and whether it is verified (a sign-in alias or username attribute belongs to one user). */
  phone?: string;
  phonePlace?: SourcePlace;
  phoneVerified?: boolean;
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

/** Diagnostics listed per file; past this many, one TOO_MANY_PROBLEMS diagnostic counts the rest. */
const MAX_DIAGNOSTICS_PER_FILE = 1000;

// Username length and character rules are reported by user-rules with specific codes; the schema carries the
// same constraints for editors only.
const USERNAME_KEYWORDS_REPORTED_BY_RULES: readonly string[] = ["minLength", "maxLength", "pattern"];
const STRUCTURE_KEYS: readonly (string | number)[] = ["users", "defaults"];

/** YAML, a guard on mapping width, the schema, `defaults:`, then each user entry; past the cap, nothing more is checked. */
function checkUsersFileWith(
  text: string,
  file: string,
  validateSchema: LazyUsersFileSchemaValidator,
  ctx: UserRuleContext,
): UsersFileResult {
  const check = new FileCheck(text, file, parseYamlTree(text));
  for (const problem of check.tree.problems) check.report(check.placeAt(problem.offset), problem.code, problem.message);
  if (check.tree.unusable) return check.result();
  check.fileHasError = check.tree.problems.length > 0;
  if (reportTooWideMapping(check)) return check.result();
  const schema = reportSchemaViolations(check, validateSchema);
  const root = check.tree.value;
  if (schema.structureBroken || !isRecord(root)) return check.result();
  const defaults = checkDefaults(check, schema, root.defaults, ctx);
  const entries = Array.isArray(root.users) ? root.users : [];
  const usersNode = nodeAtPath(check.tree, ["users"]);
  entries.forEach((entry, index) => {
    if (!isRecord(entry) || check.dropped > 0) return; // already reported by the schema, or past the cap
    const node = isSeq(usersNode) ? (usersNode.items[index] as Node | undefined) : undefined;
    checkEntry(new EntryCheck(check, entry, index, node, !schema.entryErrors.has(index)), schema, defaults, ctx);
  });
  return check.result();
}

/** One file being checked: its tree, the places in it, and what it has found and loaded so far. */
class FileCheck {
  readonly diagnostics: Diagnostic[] = [];
  readonly users: DeclaredUser[] = [];
  readonly identities: UserIdentity[] = [];
  /** Diagnostics past the cap: counted, not listed. */
  dropped = 0;
  private firstDropped: SourcePlace | undefined;
  /** A problem outside the user entries: then no user of the file loads. */
  fileHasError = false;
  readonly filePlace: SourcePlace;
  /** Some line has a comment after a value: free-text values are then looked at (core/comment-after-value.ts). */
  readonly inlineComments: boolean;

  constructor(
    readonly text: string,
    readonly file: string,
    readonly tree: YamlTree,
  ) {
    this.filePlace = { file, line: 1, col: 1 };
    this.inlineComments = mayHaveInlineComments(text);
  }

  /** A warning when a comment ate the end of the free-text value at `path`. */
  reportCommentAfterValue(key: string, path: readonly (string | number)[], fallback?: SourcePlace): void {
    if (!this.inlineComments || !isFreeTextAttribute(key)) return;
    const node = nodeAtPath(this.tree, path);
    const message = commentAfterValue(this.text, key, node);
    if (message !== undefined) this.report(this.placeOf(node, fallback), "COMMENT_AFTER_VALUE", message, "warning");
  }

  placeAt(offset: number | undefined): SourcePlace {
    const pos = this.tree.linePos(offset ?? 0);
    return { file: this.file, line: Math.max(1, pos.line), col: Math.max(1, pos.col) };
  }

  placeOf(node: Node | undefined, fallback: SourcePlace = this.filePlace): SourcePlace {
    const offset = nodeOffset(node);
    return offset === undefined ? fallback : this.placeAt(offset);
  }

  /** The place of a user entry is its list item's `- `, so reports about the whole entry point at it. */
  entryPlaceOf(node: Node | undefined): SourcePlace {
    const start = nodeOffset(node);
    if (start === undefined) return this.placeOf(nodeAtPath(this.tree, ["users"]));
    let i = start - 1;
    while (i >= 0 && (this.text[i] === " " || this.text[i] === "\t")) i -= 1;
    return this.placeAt(i >= 0 && this.text[i] === "-" ? i : start);
  }

  report(place: SourcePlace, code: DiagnosticCode, message: string, severity: Diagnostic["severity"] = "error"): void {
    // A flood (a generated file with the same mistake a million times) is cut short: bounded output and memory.
    if (this.diagnostics.length >= MAX_DIAGNOSTICS_PER_FILE) {
      this.dropped += 1;
      this.firstDropped ??= place;
      return;
    }
    this.diagnostics.push({ ...place, severity, code, message });
  }

  result(): UsersFileResult {
    if (this.dropped > 0 && this.firstDropped !== undefined) {
      this.diagnostics.push({
        ...this.firstDropped,
        severity: "error",
        code: "TOO_MANY_PROBLEMS",
        message: `more problems in this file not shown (the first ${MAX_DIAGNOSTICS_PER_FILE} are): fix these and validate again`,
      });
    }
    return { file: this.file, users: this.users, identities: this.identities, diagnostics: sortDiagnostics(this.diagnostics) };
  }
}

/** A mapping thousands of keys wide is not a users file: one problem, before the schema lists every key. */
function reportTooWideMapping(check: FileCheck): boolean {
  const tooWide = firstTooWideMapping(check.tree.value);
  if (tooWide === undefined) return false;
  check.report(
    check.placeOf(nodeAtPath(check.tree, tooWide.path)),
    "MAPPING_TOO_WIDE",
    `this mapping has ${tooWide.keys} keys; a users file has at most ${MAX_KEYS_PER_MAPPING} in one mapping (a user has a few dozen attributes at most)`,
  );
  return true;
}

/** What the schema said, by JSON pointer: the per-user rules skip what it already reported. */
interface SchemaVerdict {
  /** Values the schema rejected. */
  rejected: Set<string>;
  /** Keys the schema does not know. */
  unknownKeys: Set<string>;
  /** Indexes of user entries with any violation. */
  entryErrors: Set<number>;
  /** The file is not the documented shape: no per-user rules. */
  structureBroken: boolean;
}

function isUsable(schema: SchemaVerdict, pointer: string): boolean {
  return !schema.rejected.has(pointer) && !schema.unknownKeys.has(pointer);
}

/** Every schema violation placed, except those the rules report with more specific codes. */
function reportSchemaViolations(check: FileCheck, validateSchema: LazyUsersFileSchemaValidator): SchemaVerdict {
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

/** The values of `defaults:` every user receives, and what the rules across keys need to know about them. */
interface UsableDefaults {
  /** Only keys the schema knows reach these, so `__proto__` never does: plain objects are safe here. */
  values: Record<string, unknown>;
  /** The group names in `defaults:`, so a user repeating one is told so. */
  groups: ReadonlySet<string>;
  /** `defaults:` as a whole was rejected. */
  broken: boolean;
  /** No value in `defaults:` was rejected or unknown. */
  clean: boolean;
}

/** Checks each usable value of `defaults:` once, at the default, and returns them for merging. */
function checkDefaults(check: FileCheck, schema: SchemaVerdict, declared: unknown, ctx: UserRuleContext): UsableDefaults {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(isRecord(declared) ? declared : {})) {
    if (!isUsable(schema, `/defaults/${key}`)) continue;
    values[key] = value;
    if (key === "groups" && Array.isArray(value)) reportDefaultGroups(check, value, ctx);
    else reportDefaultValue(check, key, value, ctx);
  }
  const broken = schema.rejected.has("/defaults");
  const clean = !broken && ![...schema.rejected, ...schema.unknownKeys].some((p) => p.startsWith("/defaults/"));
  const groups = new Set(Array.isArray(values.groups) ? values.groups.filter((g): g is string => typeof g === "string") : []);
  return { values, groups, broken, clean };
}

function reportDefaultGroups(check: FileCheck, groups: readonly unknown[], ctx: UserRuleContext): void {
  // Each item placed at itself: `groups: [trainees, kss-admins]` has one position per name.
  for (const finding of checkGroupList(groups, ctx.profile.groups ?? {})) {
    if (finding.severity === "error") check.fileHasError = true;
    check.report(check.placeOf(groupItemNode(check.tree, ["defaults"], finding)), finding.code, finding.message, finding.severity);
  }
}

function reportDefaultValue(check: FileCheck, key: string, value: unknown, ctx: UserRuleContext): void {
  check.reportCommentAfterValue(key, ["defaults", key]);
  const written = typeof value === "string" ? undefined : writtenText(check.tree, ["defaults", key]);
  for (const finding of checkAttributeValue(key, value, ctx, written)) {
    if (finding.severity === "error") check.fileHasError = true;
    const node = finding.part === "key" ? keyNodeAt(check.tree, ["defaults"], key) : nodeAtPath(check.tree, ["defaults", key]);
    check.report(check.placeOf(node), finding.code, finding.message, finding.severity);
  }
}

/** One user entry being checked: its places, and whether (and at which keys) it has errors. */
class EntryCheck {
  hasError: boolean;
  /** Keys whose own value already has an error: rules across keys do not use them (one mistake, one message). */
  readonly keysWithErrors = new Set<string>();
  private cachedPlace: SourcePlace | undefined;

  constructor(
    readonly file: FileCheck,
    readonly entry: Record<string, unknown>,
    readonly index: number,
    private readonly node: Node | undefined,
    /** No schema violation in this entry: most entries, which then need no per-key lookups. */
    readonly clean: boolean,
  ) {
    this.hasError = !clean;
  }

  pointerOf(key: string): string {
    return `/users/${this.index}/${key}`;
  }

  isOwn(key: string): boolean {
    return Object.hasOwn(this.entry, key);
  }

  place(): SourcePlace {
    this.cachedPlace ??= this.file.entryPlaceOf(this.node ?? nodeAtPath(this.file.tree, ["users", this.index]));
    return this.cachedPlace;
  }

  ownValuePlace(key: string): SourcePlace {
    return this.file.placeOf(pairOf(this.node, key)?.value ?? nodeAtPath(this.file.tree, ["users", this.index, key]), this.place());
  }

  ownKeyPlace(key: string): SourcePlace {
    return this.file.placeOf(keyNodeAt(this.file.tree, ["users", this.index], key), this.place());
  }

  /** A finding about a value from `defaults` is placed at the entry, and says where the value came from. */
  reportFinding(finding: UserFinding): void {
    if (finding.severity === "error") this.hasError = true;
    if (finding.severity === "error" && finding.key !== undefined) this.keysWithErrors.add(finding.key);
    const key = finding.key;
    if (finding.part === "entry" || key === undefined || !this.isOwn(key)) {
      const suffix = key !== undefined && finding.part !== "entry" && !this.isOwn(key) ? " (value from defaults)" : "";
      this.file.report(this.place(), finding.code, finding.message + suffix, finding.severity);
      return;
    }
    const place = finding.part === "key" ? this.ownKeyPlace(key) : this.ownValuePlace(key);
    this.file.report(place, finding.code, finding.message, finding.severity);
  }

  reportGroupFinding(finding: GroupListFinding): void {
    if (finding.severity === "error") this.hasError = true;
    const node = groupItemNode(this.file.tree, ["users", this.index], finding);
    this.file.report(this.file.placeOf(node, this.place()), finding.code, finding.message, finding.severity);
  }
}

function checkEntry(entry: EntryCheck, schema: SchemaVerdict, defaults: UsableDefaults, ctx: UserRuleContext): void {
  const merged = mergeCheckingOwnValues(entry, schema, defaults, ctx);
  for (const finding of checkMergedUser(merged, ctx, crossKeyUsable(entry, schema, defaults))) entry.reportFinding(finding);
  const groups = mergedGroups(asList(defaults.values.groups), asList(entry.entry.groups));
  const tooMany = tooManyGroups(groups.length);
  if (tooMany) {
    entry.hasError = true;
    const place = entry.isOwn("groups") ? entry.ownKeyPlace("groups") : entry.place();
    entry.file.report(place, tooMany.code, tooMany.message);
  }
  recordEntry(entry, merged, groups);
}

/** The entry over its defaults, checking each of its own values on the way. */
function mergeCheckingOwnValues(
  entry: EntryCheck,
  schema: SchemaVerdict,
  defaults: UsableDefaults,
  ctx: UserRuleContext,
): Record<string, unknown> {
  // One builtin copy rather than a property store per key: per-key stores into fresh objects of many shapes
  // were the single largest cost of this loop on large trees.
  // An entry with schema violations is copied key by key, leaving out unknown keys (`__proto__` among them,
  // which Object.assign would treat as the prototype).
  const { clean } = entry;
  const merged: Record<string, unknown> = clean ? Object.assign({}, defaults.values, entry.entry) : { ...defaults.values };
  for (const key in entry.entry) {
    const value = entry.entry[key];
    if (!clean) {
      if (schema.unknownKeys.has(entry.pointerOf(key))) continue;
      merged[key] = value;
      // A rejected value still counts as declared for the cross-key rules, but is not checked again.
      if (schema.rejected.has(entry.pointerOf(key))) continue;
    }
    checkOwnValue(entry, key, value, defaults, ctx);
  }
  return merged;
}

function checkOwnValue(entry: EntryCheck, key: string, value: unknown, defaults: UsableDefaults, ctx: UserRuleContext): void {
  if (key === "groups" && Array.isArray(value)) {
    for (const finding of checkGroupList(value, ctx.profile.groups ?? {}, defaults.groups)) entry.reportGroupFinding(finding);
    return;
  }
  entry.file.reportCommentAfterValue(key, ["users", entry.index, key], entry.place());
  const written = typeof value === "string" ? undefined : writtenText(entry.file.tree, ["users", entry.index, key]);
  const findings =
    key === "username" ? (typeof value === "string" ? checkUsername(value, ctx) : []) : checkAttributeValue(key, value, ctx, written);
  for (const finding of findings) entry.reportFinding(finding);
}

const ALWAYS_USABLE = (): boolean => true;

/** Which merged values the rules across keys may use: none already reported, by the schema or by a rule. */
function crossKeyUsable(entry: EntryCheck, schema: SchemaVerdict, defaults: UsableDefaults): (key: string) => boolean {
  // A value missing because `defaults` (or one of its values) was rejected is not missing a second time.
  const schemaUsable =
    entry.clean && defaults.clean
      ? ALWAYS_USABLE
      : (key: string) =>
          entry.isOwn(key) ? isUsable(schema, entry.pointerOf(key)) : !defaults.broken && isUsable(schema, `/defaults/${key}`);
  // An unknown key may be the misspelled attribute a rule would call missing (mfa_enabld): no second message.
  const hasUnknownKey = !entry.clean && Object.keys(entry.entry).some((key) => schema.unknownKeys.has(entry.pointerOf(key)));
  return (key: string) => !hasUnknownKey && !entry.keysWithErrors.has(key) && schemaUsable(key);
}

/** Loads the user when neither it nor the file has an error; keeps its identity for the cross-file checks either way. */
function recordEntry(entry: EntryCheck, merged: Record<string, unknown>, groups: readonly string[]): void {
  const { file } = entry;
  const loads = !entry.hasError && !file.fileHasError;
  if (loads) file.users.push(toDeclaredUser(merged, entry.place(), groups, (key) => numberTextOf(entry, key)));
  const username = merged.username;
  if (typeof username !== "string" || username === "") return;
  const identity: UserIdentity = {
    username,
    usernamePlace: entry.ownValuePlace("username"),
    userIndex: loads ? file.users.length - 1 : -1,
  };
  if (typeof merged.email === "string" && merged.email !== "") {
    identity.email = merged.email;
    identity.emailPlace = entry.isOwn("email") ? entry.ownValuePlace("email") : entry.place();
  }
  if (typeof merged.phone_number === "string" && merged.phone_number !== "") {
    identity.phone = merged.phone_number;
    identity.phonePlace = entry.isOwn("phone_number") ? entry.ownValuePlace("phone_number") : entry.place();
    if (merged.phone_number_verified === true) identity.phoneVerified = true;
  }
  file.identities.push(identity);
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

function describeViolation(v: SchemaViolation, path: string[], value: unknown, written?: string): MappedViolation {
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

/** A Number attribute's value as the exact decimal text written (core/number-text.ts), from the entry or `defaults`. */
function numberTextOf(entry: EntryCheck, key: string): string | undefined {
  return writtenText(entry.file.tree, entry.isOwn(key) ? ["users", entry.index, key] : ["defaults", key]);
}

/**
 * The loaded user. An empty string means absent, everywhere (docs/users-files.md): the attribute is left out, so the
 * CSV column is blank and plan, full plan and apply never compare or change it. Numbers (only Number custom
 * attributes reach here) become the exact text written, never a float's rendering.
 */
function toDeclaredUser(
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

/** The node of the `groups` item a finding is about (the `groups` key for the list as a whole). */
function groupItemNode(tree: YamlTree, base: readonly (string | number)[], finding: GroupListFinding): Node | undefined {
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
