/**
 * Writes intake entries into users files: appended as new lines after a file's existing text, which is kept byte for
 * byte, split across files so that none passes the size validation reads, with the places (lines, columns) each
 * entry landed at so that findings can be traced back to the spreadsheet; and the defaults a new users file starts
 * with. Pure: text in, text out.
 */
import { Document, isMap, isScalar, isSeq, type Node, type Pair } from "yaml";
import type { AttributeValue } from "./declared-user";
import type { IntakeValue } from "./intake-cell-values";
import { NUMBER_TEXT_TAG } from "./number-text";
import type { PoolProfile } from "./profile";
import { MAX_USERS_FILE_BYTES } from "./users-file-bytes";
import { parseYamlTree } from "./yaml-tree";

/** What one file an intake writes holds: its text and where each appended entry is. @internal exported for its tests */
export interface AppendResult {
  text: string;
  /** Per appended entry, in order: the line of its `- ` and the line of each key. */
  places: { line: number; col: number; keyLines: Record<string, number> }[];
  /** Set when the existing file cannot take entries (not a users file); nothing else is then meaningful. */
  problem?: string;
}

/** One file an intake writes: the target (existing text first) or a new file after it, with the entries it holds. */
export interface AppendPart extends AppendResult {
  entries: number;
}

/**
 * Appends entries to a users file's `users:` list as new lines after the existing text, which is kept byte for byte:
 * not one existing line is rewritten (a reformatting YAML round trip would change quotes, spacing or `True`).
 * That needs `users:` to be the file's last top-level key, a block list (or empty); otherwise nothing is written
 * and the problem says so, with the fixes the command accepts. Creates the file (modeline first) when there is none.
 * Split so that no file passes `maxBytes` (the largest users file validation reads): the target takes
 * the entries that fit, in order, and each further new file (modeline and defaults first) the next ones. Nothing of
 * the existing text is rewritten. `problem` when the target cannot be appended to, or one entry alone is too big.
 * @internal exported for its tests
 */
export function appendUsersWithinLimit(
  existing: string | undefined,
  entries: readonly Record<string, IntakeValue>[],
  modeline: string,
  newFileDefaults: Record<string, AttributeValue> = {},
  maxBytes = MAX_USERS_FILE_BYTES,
): { parts: AppendPart[]; problem?: string } {
  const appender = createUsersAppender(existing, modeline, newFileDefaults, maxBytes);
  if ("problem" in appender) return { parts: [], problem: appender.problem };
  const parts: AppendPart[] = [];
  for (const entry of entries) {
    const added = appender.add(entry);
    if ("problem" in added) return { parts: [], problem: added.problem };
    if (added.closed !== undefined) parts.push(added.closed);
  }
  parts.push(appender.finish());
  return { parts };
}

/**
 * `appendUsersWithinLimit` one entry at a time, holding only the part being filled: `add` hands back the part an
 * entry closed (when it did not fit), `finish` the last one. Each entry is rendered once, its places counted from
 * the rendering, so the work is linear in the entries.
 */
export interface UsersAppender {
  add(entry: Record<string, IntakeValue>): { closed?: AppendPart } | { problem: string };
  finish(): AppendPart;
}

export function createUsersAppender(
  existing: string | undefined,
  modeline: string,
  newFileDefaults: Record<string, AttributeValue> = {},
  maxBytes = MAX_USERS_FILE_BYTES,
): UsersAppender | { problem: string } {
  const target = appendTarget(existing ?? newUsersFileText(modeline, newFileDefaults));
  if ("problem" in target) return target;
  const fresh = newUsersFileText(modeline, newFileDefaults);
  const open = (base: string, indent: number): OpenPart => {
    const text = base === "" || base.endsWith("\n") ? base : `${base}\n`;
    return { base: text, indent, items: [], places: [], bytes: Buffer.byteLength(text, "utf8"), nextLine: countLines(text) + 1 };
  };
  let part = open(target.text, target.indent);
  const close = (p: OpenPart): AppendPart => ({ text: p.base + p.items.join(""), places: p.places, entries: p.items.length });
  return {
    add(entry) {
      let item = renderItems([entry], part.indent);
      let closed: AppendPart | undefined;
      if (part.bytes + Buffer.byteLength(item, "utf8") > maxBytes) {
        closed = close(part);
        part = open(fresh, 2);
        item = renderItems([entry], part.indent);
        if (part.bytes + Buffer.byteLength(item, "utf8") > maxBytes)
          return { problem: `one entry is larger than a users file may be (${maxBytes} bytes)` };
      }
      part.places.push(itemPlace(item, part.indent, part.nextLine));
      part.nextLine += countLines(item);
      part.items.push(item);
      part.bytes += Buffer.byteLength(item, "utf8");
      return { closed };
    },
    finish: () => close(part),
  };
}

interface OpenPart {
  base: string;
  indent: number;
  items: string[];
  places: AppendResult["places"];
  bytes: number;
  /** The line the next item starts on. */
  nextLine: number;
}

/**
 * Where a rendered item lands when it starts on `line`: the line of its `- `, the column of its first key, and the
 * line of each of its keys. Counted from the rendering, not by parsing the result: a 10 MiB file parsed by the yaml
 * package would take over a gigabyte (core/yaml-tree.ts).
 */
function itemPlace(item: string, indent: number, line: number): AppendResult["places"][number] {
  const keyAt = new RegExp(`^ {${indent + 2}}([^\\s#-]\\S*?):(?: |$)`);
  const lines = item.split("\n");
  lines.pop(); // the text after the item's last line break
  const keyLines: Record<string, number> = {};
  lines.forEach((text, i) => {
    const key = i === 0 ? /^ *- (\S+?):(?: |$)/.exec(text) : keyAt.exec(text);
    if (key !== null) keyLines[key[1]] = line + i;
  });
  return { line, col: indent + 3, keyLines };
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * The text new items follow and the column they start at (that of the existing items, else 2), or why entries cannot
 * be appended to this file without changing one of its lines. The one change made: an empty `users: []` (the
 * documented way to write "no users yet") loses its `[]`, so items can follow it.
 */
function appendTarget(text: string): { text: string; indent: number } | { problem: string } {
  const indent = appendIndent(text);
  if (typeof indent === "number") return { text, indent };
  if (!("emptyFlow" in indent)) return indent;
  const [start, end] = indent.emptyFlow;
  let before = start;
  while (before > 0 && text[before - 1] === " ") before--;
  return { text: text.slice(0, before) + text.slice(end), indent: 2 };
}

function appendIndent(text: string): number | { problem: string } | { emptyFlow: [number, number] } {
  // The project's bounded parse (a plain 10 MiB file in its fast path), not the yaml package's on the whole text.
  const tree = parseYamlTree(text);
  if (tree.unusable) return { problem: `the file is not valid YAML (${tree.problems[0]?.message ?? "unreadable"}): fix it first` };
  const elsewhere = "or take the spreadsheet into a new file with --file NAME";
  if (tree.root === null) return { problem: `the file has no users: list: add a line users: at its end, ${elsewhere}` };
  if (!isMap(tree.root)) return { problem: "the file is not a users file (a mapping with users:)" };
  const pairs = tree.root.items as Pair<Node, Node | null>[];
  const last = pairs[pairs.length - 1];
  const lastKey = last === undefined ? undefined : String((last.key as unknown as { value: unknown }).value);
  if (lastKey !== "users") {
    const has = pairs.some((p) => String((p.key as unknown as { value: unknown }).value) === "users");
    return {
      problem: has
        ? "users: is not the last key of the file, so new entries cannot go at its end without rewriting it: " +
          `move users: to the end, ${elsewhere}`
        : `the file has no users: list: add a line users: at its end, ${elsewhere}`,
    };
  }
  const users = last.value;
  if (users === null || (isScalar(users) && users.value === null)) return 2;
  if (!isSeq(users)) return { problem: "users: in the file is not a list" };
  if (users.flow && users.items.length === 0 && users.range) return { emptyFlow: [users.range[0], users.range[1]] };
  if (users.flow)
    return {
      problem:
        "users: is written as a flow list ([…]), which new entries cannot follow without rewriting it: " +
        `write it as a block list (users: on its own line, "- " items below), ${elsewhere}`,
    };
  const first = users.items[0] as Node | undefined;
  const offset = first?.range?.[0];
  if (offset === undefined) return 2;
  // The item's own column is after its "- ": the dash is two columns to the left.
  return Math.max(0, tree.linePos(offset).col - 3);
}

/** The entries as block-list items at `indent`, each line of the yaml package's rendering shifted right. */
function renderItems(entries: readonly Record<string, IntakeValue>[], indent: number): string {
  const rendered = new Document(entries, { customTags: [NUMBER_TEXT_TAG] }).toString({ lineWidth: 0 });
  const pad = " ".repeat(indent);
  return rendered
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => `${pad}${line}\n`)
    .join("");
}

function newUsersFileText(modeline: string, defaults: Record<string, AttributeValue>): string {
  const lines = [`# ${modeline}`];
  if (Object.keys(defaults).length > 0) {
    lines.push("# Defaults chosen by `cognito-roster intake` from the stack profile; change them if they do not fit.");
    lines.push(new Document({ defaults }).toString().trimEnd());
  }
  lines.push("users:", "");
  return lines.join("\n");
}

/**
 * Defaults for a new users file, from the stack profile: the MFA setting an ON or OFF pool requires, and
 * `email_verified: true` when the pool auto-verifies email (an import row needs a verified auto-verified attribute;
 * the office vouches for the addresses it sends). OPTIONAL MFA and phone verification are left to the spreadsheet.
 */
export function newFileDefaults(profile: PoolProfile, columnsPresent: readonly string[]): Record<string, AttributeValue> {
  const defaults: Record<string, AttributeValue> = {};
  if (profile.autoVerifiedAttributes.includes("email") && columnsPresent.includes("email") && !columnsPresent.includes("email_verified"))
    defaults.email_verified = true;
  if (profile.mfaConfiguration !== "OPTIONAL" && !columnsPresent.includes("mfa_enabled"))
    defaults.mfa_enabled = profile.mfaConfiguration === "ON";
  return defaults;
}
