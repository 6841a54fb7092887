/**
 * Checks one users file: YAML → schema → per-user rules, with every problem placed at file:line:col.
 *
 * Input is the file's text and its display path; output is the users that loaded, the identities the
 * cross-file checks need, and the file's diagnostics. It does no I/O and keeps no state between calls, so the
 * same function runs on the main thread, in a worker thread, or inside the Pulumi provider. Checks that need
 * other files (duplicate usernames and emails) belong to `roster-duplicates.ts`.
 *
 * Each step has a file of its own: the file being checked and its cap on diagnostics (`users-file-check.ts`), the
 * schema's verdict and its messages (`users-file-schema-verdict.ts`, `users-file-schema-messages.ts`), `defaults:`
 * (`users-file-defaults.ts`), each entry (`users-file-entry.ts`) and the identity it leaves (`user-identity.ts`).
 */
import { isSeq, type Node } from "yaml";
import type { DeclaredUser } from "./declared-user";
import type { Diagnostic } from "./diagnostics";
import { csvHeaderForProfile, type PoolProfile } from "./profile";
import { compileUsersFileSchemaLazy, type LazyUsersFileSchemaValidator } from "./users-file-schema";
import { buildUserRuleContext, type UserRuleContext } from "./user-rules";
import type { UserIdentity } from "./user-identity";
import { nodeAtPath, parseYamlTree } from "./yaml-tree";
import { FileCheck, isRecord } from "./users-file-check";
import { reportSchemaViolations } from "./users-file-schema-verdict";
import { checkDefaults } from "./users-file-defaults";
import { checkEntry, EntryCheck } from "./users-file-entry";

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

/** A mapping thousands of keys wide is not a users file: one problem, before the schema lists every key. */
function reportTooWideMapping(check: FileCheck): boolean {
  const tooWide = firstTooWideMapping(check.tree.value);
  if (tooWide === undefined) return false;
  check.report(
    check.placeOf(nodeAtPath(check.tree, tooWide.path)),
    "MAPPING_TOO_WIDE",
    `this mapping has ${tooWide.keys} keys; a users file has at most ${MAX_KEYS_PER_MAPPING} in one mapping ` +
      "(a user has a few dozen attributes at most)",
  );
  return true;
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
