/** A users file's `defaults:` (core/users-file.ts): each usable value checked once, at the default, and kept for merging. */
import { checkAttributeValue, type UserRuleContext } from "./user-rules";
import { keyNodeAt, nodeAtPath, writtenText } from "./yaml-tree";
import { checkGroupList } from "./groups";
import { type FileCheck, groupItemNode, isRecord } from "./users-file-check";
import { isUsable, type SchemaVerdict } from "./users-file-schema-verdict";

/** The values of `defaults:` every user receives, and what the rules across keys need to know about them. */
export interface UsableDefaults {
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
export function checkDefaults(check: FileCheck, schema: SchemaVerdict, declared: unknown, ctx: UserRuleContext): UsableDefaults {
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
