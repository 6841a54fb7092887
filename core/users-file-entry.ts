/**
 * One user entry of a users file (core/users-file.ts): its own values checked, merged over `defaults:`, the rules
 * across keys run on the merged user, and the user loaded when nothing in it or in the file is an error.
 */
import { isMap, type Node, type Pair } from "yaml";
import { type SourcePlace, toDeclaredUser } from "./declared-user";
import { checkAttributeValue, type UserRuleContext } from "./user-rules";
import { checkUsername } from "./username-rules";
import { checkMergedUser } from "./merged-user-rules";
import type { UserFinding } from "./user-finding";
import { identityOf } from "./user-identity";
import { keyNodeAt, nodeAtPath, writtenText } from "./yaml-tree";
import { keyText } from "./yaml-plain-value";
import { checkGroupList, mergedGroups, tooManyGroups, type GroupListFinding } from "./groups";
import { type FileCheck, groupItemNode } from "./users-file-check";
import { isUsable, type SchemaVerdict } from "./users-file-schema-verdict";
import type { UsableDefaults } from "./users-file-defaults";

/** One user entry being checked: its places, and whether (and at which keys) it has errors. */
export class EntryCheck {
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

export function checkEntry(entry: EntryCheck, schema: SchemaVerdict, defaults: UsableDefaults, ctx: UserRuleContext): void {
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
  const identity = identityOf(merged, entry, loads ? file.users.length - 1 : -1);
  if (identity !== undefined) file.identities.push(identity);
}

/** A Number attribute's value as the exact decimal text written (core/number-text.ts), from the entry or `defaults`. */
function numberTextOf(entry: EntryCheck, key: string): string | undefined {
  return writtenText(entry.file.tree, entry.isOwn(key) ? ["users", entry.index, key] : ["defaults", key]);
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
