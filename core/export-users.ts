/**
 * `cognito-roster export`, the pure part: pool users (as ListUsers reports them) in, users files out — one folder per
 * local office (from an attribute or a mapping) or one folder, the schema modeline first, values every user of a
 * file shares factored into `defaults`, users and keys in a fixed order so the same pool gives the same bytes.
 *
 * It does no I/O and talks to no AWS. It never drops anything silently: every user or attribute left out is
 * counted in `notes` (by attribute name or status, never by value: the notes are printed). Notes are templates
 * with `{users}` standing for the count until the end.
 */
import * as path from "node:path";
import { Document } from "yaml";
import { isoFromImportDate } from "./compare-attributes";
import { STANDARD_ATTRIBUTES, type AttributeValue } from "./declared-user";
import type { PoolUser } from "./pool-user";
import { PERSONAL_ATTRIBUTES } from "./personal-attributes";
import type { PoolProfile } from "./profile";
import { DECIMAL_WHOLE_NUMBER, NUMBER_TEXT_TAG, NumberText } from "./number-text";
import { MAX_USERS_FILE_BYTES } from "./users-file-bytes";

/** Where each user's file goes. */
export type OfficeRule =
  | { kind: "single"; folder: string }
  /** The attribute's value names the office; `map` (optional) turns values into folder names. */
  | { kind: "attribute"; attribute: string; map?: OfficeMap }
  /** Username, email, or `@domain` of the email → folder. */
  | { kind: "map"; map: OfficeMap };

export type OfficeMap = ReadonlyMap<string, string>;

/** Users whose attribute matches are left out of the export. `status` and `username` are attributes here too. */
export interface ExportFilter {
  attribute: string;
  op: "=" | "^=" | "$=" | "*=";
  value: string;
  /** As typed, for messages. */
  text: string;
}

export interface ExportOptions {
  profile: PoolProfile;
  office: OfficeRule;
  excludes: readonly ExportFilter[];
  /** The file name in each folder, e.g. `exported.yaml`. */
  fileName: string;
  /** The schema's path relative to the users folder, with forward slashes (`../schemas/users-file.schema.json`). */
  schemaFromUsersDir: string;
  /** True for users the roster already declares: they are left out (they are managed already). */
  alreadyDeclared?: (username: string) => boolean;
  /** For MFA `OPTIONAL` pools: each user's MFA setting, which ListUsers does not return. */
  mfaOf?: (username: string) => boolean | undefined;
  /** Folder for users the office rule places nowhere. Default `unassigned`. */
  unassignedFolder?: string;
  /** Each user's memberships in the groups the stack manages (others are never exported). */
  groupsOf?: (username: string) => readonly string[] | undefined;
  /** The largest file written, in bytes (default: the 10 MiB validation reads); an office beyond it is split. */
  maxFileBytes?: number;
}

/** A users-file entry as exported: attribute values, and `groups` (a list). */
type ExportEntry = Record<string, AttributeValue | NumberText | string[]>;

interface ExportedFile {
  /** Relative to the users folder, forward slashes. */
  path: string;
  text: string;
  users: number;
}

export interface ExportResult {
  files: ExportedFile[];
  exported: number;
  /** Counts of what was left out and why: printable (no personal data). */
  notes: string[];
  /** With an office map: how many exported users an entry of the map placed (0: the map matches nobody). */
  placedByMap?: number;
}

/** Keys that describe one person: never factored into `defaults`, even when every user of a file shares them. */
const PERSONAL_KEYS: readonly string[] = ["username", ...PERSONAL_ATTRIBUTES];
const BOOLEAN_ATTRIBUTES: readonly string[] = ["email_verified", "phone_number_verified"];
/** Statuses of users an import job cannot create: federated users belong to their identity provider. */
const NOT_EXPORTABLE_STATUSES: readonly string[] = ["EXTERNAL_PROVIDER"];

/** Parses `ATTRIBUTE=VALUE`, `^=` (prefix), `$=` (suffix), `*=` (contains), or returns what is wrong. */
export function parseExportFilter(text: string): ExportFilter | string {
  const match = /^([A-Za-z_][\w:.-]*)(\^=|\$=|\*=|=)(.*)$/s.exec(text);
  if (!match)
    return `--exclude ${JSON.stringify(text)} is not ATTRIBUTE=VALUE (also ^= prefix, $= suffix, *= contains), e.g. custom:role=service`;
  return { attribute: match[1], op: match[2] as ExportFilter["op"], value: match[3], text };
}

/** Reads an office mapping file's parsed YAML (a mapping of match → folder) or says what is wrong. */
export function officeMapFrom(value: unknown): OfficeMap | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return "the office map must be a YAML mapping of username, email, @domain or attribute value to an office folder";
  }
  const map = new Map<string, string>();
  for (const [key, folder] of Object.entries(value as Record<string, unknown>)) {
    if (typeof folder !== "string" || !isFolderName(folder)) {
      return (
        `the office map gives "${key}" the folder ${JSON.stringify(folder)}: ` +
        "a folder is lower-case letters, digits and - (e.g. north-west)"
      );
    }
    map.set(key.toLowerCase(), folder);
  }
  return map;
}

export function isFolderName(name: string): boolean {
  return /^[a-z0-9][a-z0-9-]{0,62}$/.test(name);
}

/** `North West` → `north-west`: a folder name from an attribute value; empty when nothing usable is left. @internal */
export function folderNameOf(value: string): string {
  return value
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);
}

export function exportUsers(poolUsers: readonly PoolUser[], options: ExportOptions): ExportResult {
  const tally = new Map<string, number>();
  const count = (note: string) => tally.set(note, (tally.get(note) ?? 0) + 1);
  const byFile = new Map<string, ExportEntry[]>();
  let exported = 0;
  const map = options.office.kind === "single" ? undefined : options.office.map;
  let placedByMap = 0;

  for (const user of poolUsers) {
    if (NOT_EXPORTABLE_STATUSES.includes(user.status)) {
      count(`{users} with status ${user.status} left out (an import job cannot create them)`);
      continue;
    }
    const filter = options.excludes.find((f) => matches(f, user));
    if (filter) {
      count(`{users} excluded by --exclude ${filter.text}`);
      continue;
    }
    if (options.alreadyDeclared?.(user.username)) {
      count("{users} left out: already declared in the users folder");
      continue;
    }
    const entry = userEntry(user, options, count);
    if (map && options.office.kind !== "single" && mapEntryFor(user, options.office) !== undefined) placedByMap++;
    const folder = officeOf(user, options.office) ?? options.unassignedFolder ?? "unassigned";
    const file = `${folder}/${options.fileName}`;
    const list = byFile.get(file) ?? [];
    list.push(entry);
    byFile.set(file, list);
    exported++;
  }

  const files = [...byFile.keys()].sort().flatMap((file) => {
    const users = byFile.get(file) ?? [];
    users.sort((a, b) => compareText(String(a.username), String(b.username)));
    return filesWithinLimit(file, users, options);
  });
  const notes = [...tally.entries()].map(([note, n]) => note.replace("{users}", `${n} ${n === 1 ? "user" : "users"}`)).sort(compareText);
  return { files, exported, notes, ...(map ? { placedByMap } : {}) };
}

/**
 * One office's users as one file, or — when that would pass the largest users file validation reads — as several
 * (`exported.yaml`, `exported-2.yaml`, …), each under the limit, users in the same order.
 */
function filesWithinLimit(file: string, users: readonly ExportEntry[], options: ExportOptions): ExportedFile[] {
  const maxBytes = options.maxFileBytes ?? MAX_USERS_FILE_BYTES;
  const render = (part: string, chunk: readonly ExportEntry[]) => ({
    path: part,
    text: usersFileText([...chunk], schemaModeline(part, options.schemaFromUsersDir)),
    users: chunk.length,
  });
  const whole = render(file, users);
  const bytes = Buffer.byteLength(whole.text, "utf8");
  if (bytes <= maxBytes) return [whole];
  for (let parts = Math.ceil(bytes / maxBytes); parts <= users.length; parts++) {
    const size = Math.ceil(users.length / parts);
    const rendered: ExportedFile[] = [];
    for (let i = 0; i * size < users.length; i++) rendered.push(render(partPath(file, i), users.slice(i * size, (i + 1) * size)));
    if (rendered.every((f) => Buffer.byteLength(f.text, "utf8") <= maxBytes)) return rendered;
  }
  throw new Error(`${file}: one user's entry is larger than a users file may be (${maxBytes} bytes)`);
}

/** `london/exported.yaml`, then `london/exported-2.yaml`, … */
function partPath(file: string, index: number): string {
  if (index === 0) return file;
  const ext = path.posix.extname(file);
  return `${file.slice(0, file.length - ext.length)}-${index + 1}${ext}`;
}

/** The modeline editors read: the schema's path relative to the file. */
export function schemaModeline(fileFromUsersDir: string, schemaFromUsersDir: string): string {
  const depth = fileFromUsersDir.split("/").length - 1;
  const relative = path.posix.join(...Array<string>(depth).fill(".."), schemaFromUsersDir);
  return `yaml-language-server: $schema=${relative}`;
}

function matches(filter: ExportFilter, user: PoolUser): boolean {
  const value =
    filter.attribute === "status"
      ? user.status
      : filter.attribute === "username"
        ? user.username
        : filter.attribute === "enabled"
          ? String(user.enabled)
          : user.attributes[filter.attribute];
  if (value === undefined) return false;
  switch (filter.op) {
    case "=":
      return value === filter.value;
    case "^=":
      return value.startsWith(filter.value);
    case "$=":
      return value.endsWith(filter.value);
    case "*=":
      return value.includes(filter.value);
  }
}

function officeOf(user: PoolUser, rule: OfficeRule): string | undefined {
  if (rule.kind === "single") return rule.folder;
  const mapped = mapEntryFor(user, rule);
  if (mapped !== undefined || rule.kind === "map") return mapped;
  const value = user.attributes[rule.attribute];
  if (value === undefined || value === "") return undefined;
  const folder = folderNameOf(value);
  return folder === "" ? undefined : folder;
}

/** The folder an office map gives the user: by attribute value, or by username, then email, then @domain. */
function mapEntryFor(user: PoolUser, rule: Exclude<OfficeRule, { kind: "single" }>): string | undefined {
  if (rule.kind === "attribute") {
    const value = user.attributes[rule.attribute];
    return value === undefined || value === "" ? undefined : rule.map?.get(value.toLowerCase());
  }
  const email = user.attributes.email?.toLowerCase();
  const domain = email?.includes("@") ? email.slice(email.lastIndexOf("@")) : undefined;
  for (const key of [user.username.toLowerCase(), email, domain]) {
    const folder = key === undefined ? undefined : rule.map.get(key);
    if (folder) return folder;
  }
  return undefined;
}

/** One user as a users-file entry, keys in a fixed order: username, standard attributes, custom, mfa, enabled. */
function userEntry(user: PoolUser, options: ExportOptions, count: (note: string) => void): ExportEntry {
  const { profile } = options;
  const entry: ExportEntry = { username: user.username };
  for (const name of STANDARD_ATTRIBUTES) {
    const value = user.attributes[name];
    // An empty value is an absent one (docs/users-files.md): nothing to declare.
    if (value !== undefined && value !== "") entry[name] = declaredValue(name, value, profile);
  }
  for (const name of Object.keys(user.attributes).sort(compareText)) {
    if (!name.startsWith("custom:")) continue;
    if (profile.customAttributes[name.slice("custom:".length)] === undefined) {
      count(`${name} left out for {users} (not in the stack's customAttributes)`);
      continue;
    }
    if (user.attributes[name] !== "") entry[name] = declaredValue(name, user.attributes[name], profile);
  }
  for (const name of Object.keys(user.attributes)) {
    if (name.startsWith("custom:") || (STANDARD_ATTRIBUTES as readonly string[]).includes(name) || name === "sub" || name === "updated_at")
      continue;
    count(`${name} left out for {users} (not an attribute a users file declares)`);
  }
  entry.mfa_enabled = mfaOf(user, options);
  if (!user.enabled) entry.enabled = false;
  const groups = [...(options.groupsOf?.(user.username) ?? [])].filter((g) => Object.hasOwn(profile.groups ?? {}, g)).sort(compareText);
  if (groups.length > 0) entry.groups = groups;
  return entry;
}

function mfaOf(user: PoolUser, options: ExportOptions): boolean {
  if (options.profile.mfaConfiguration === "ON") return true;
  if (options.profile.mfaConfiguration === "OFF") return false;
  return options.mfaOf?.(user.username) ?? false;
}

/**
 * The value as a users file declares it: booleans for the verified flags, ISO birthdates, Number custom attributes
 * as their exact digits (never through a float: `007` stays `007`). Any other text is a string, which the writer
 * quotes when YAML would read it otherwise; a Number attribute the pool holds in another form is written quoted, so
 * validation names it rather than a silent conversion.
 */
function declaredValue(name: string, value: string, profile: PoolProfile): AttributeValue | NumberText {
  if (BOOLEAN_ATTRIBUTES.includes(name) && (value === "true" || value === "false")) return value === "true";
  if (name === "birthdate") return isoFromImportDate(value) ?? value;
  if (
    name.startsWith("custom:") &&
    profile.customAttributes[name.slice("custom:".length)]?.type === "Number" &&
    DECIMAL_WHOLE_NUMBER.test(value)
  )
    return new NumberText(value);
  return value;
}

/** The file: modeline, then `defaults` (values every user shares, when there are two or more), then `users`. */
function usersFileText(users: ExportEntry[], modeline: string): string {
  const defaults: ExportEntry = sharedValues(users);
  // Groups are a union of the defaults' and the user's own: the groups every user is in go to defaults, each user
  // keeps the rest.
  const sharedGroups = sharedGroupsOf(users);
  if (sharedGroups.length > 0) defaults.groups = sharedGroups;
  const list = users.map((u) => {
    const own: ExportEntry = {};
    for (const [key, value] of Object.entries(u)) {
      if (key === "groups" && Array.isArray(value)) {
        const rest = value.filter((g) => !sharedGroups.includes(g));
        if (rest.length > 0) own.groups = rest;
      } else if (!(key in defaults)) own[key] = value;
    }
    return own;
  });
  const doc = new Document(Object.keys(defaults).length > 0 ? { defaults, users: list } : { users: list }, {
    customTags: [NUMBER_TEXT_TAG],
  });
  doc.commentBefore = ` ${modeline}\n Written by \`cognito-roster export\`: these users stay unmanaged until this file is merged.`;
  return doc.toString({ lineWidth: 0 });
}

function sharedValues(users: readonly ExportEntry[]): ExportEntry {
  const shared: ExportEntry = {};
  if (users.length < 2) return shared;
  const keys = new Set<string>();
  for (const u of users) for (const k of Object.keys(u)) keys.add(k);
  for (const key of [...keys].sort(compareKeys)) {
    if (PERSONAL_KEYS.includes(key) || key === "groups") continue;
    const first = users[0][key];
    if (first !== undefined && users.every((u) => u[key] === first)) shared[key] = first;
  }
  return shared;
}

/** The groups every user of a file (two or more) is in, sorted. */
function sharedGroupsOf(users: readonly ExportEntry[]): string[] {
  if (users.length < 2) return [];
  const lists = users.map((u) => (Array.isArray(u.groups) ? u.groups : []));
  return lists[0].filter((g) => lists.every((l) => l.includes(g)));
}

/** Defaults in the order users list them: standard attributes, custom, then mfa_enabled and enabled. */
function compareKeys(a: string, b: string): number {
  return rank(a) - rank(b) || compareText(a, b);
}

function rank(key: string): number {
  const standard = (STANDARD_ATTRIBUTES as readonly string[]).indexOf(key);
  if (standard >= 0) return standard;
  if (key.startsWith("custom:")) return 100;
  return key === "mfa_enabled" ? 200 : 300;
}

/** Code-unit order: the same on every machine and locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
