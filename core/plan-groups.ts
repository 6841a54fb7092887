/**
 * Planning group memberships: declared groups against the memberships read from the pool → adds and removes, per
 * local office. Pure set differences: no AWS, no records.
 *
 * Only groups the stack manages are ever compared: a membership in any other group is not in a plan, whatever
 * the files say. A user to be imported has no memberships yet: their groups are added once the import is
 * confirmed. A user no longer declared keeps their memberships, unless the removal policy disables them (they
 * then leave the managed groups too; a deleted user leaves every group with the account).
 */
import type { DeclaredUser } from "./declared-user";
import { normalizeUsername } from "./user-digest";

export interface MembershipChange {
  action: "add" | "remove";
  group: string;
  username: string;
  /** The office folder of the user's file; "" for a user no longer declared. */
  office: string;
  /** Where the user is declared (absent for a user no longer declared). */
  file?: string;
  line?: number;
  /** True for the adds of a user this plan imports: they run once the import is confirmed. */
  afterImport?: boolean;
  /** The pool username to call AWS with when it is not `username` (an account renamed in place). */
  handle?: string;
}

export interface MembershipPlan {
  readonly changes: readonly MembershipChange[];
  /** Declared users whose memberships were read (the rest are unchanged since the last apply, or new). */
  readonly checked: number;
  /** How they were read: per-user (AdminListGroupsForUser), per-group (ListUsersInGroup) or none. */
  readonly readStrategy?: string;
  /** Declared users the pool turned out not to have (recorded as applied, yet gone): the next run looks them up. */
  readonly absent?: readonly string[];
}

export interface MembershipPlanInputs {
  managedGroups: readonly string[];
  declared: readonly DeclaredUser[];
  /** Current memberships (any groups) of the users that were read, by normalised username. */
  observed: ReadonlyMap<string, ReadonlySet<string>>;
  /** Users this plan imports (by username as declared). */
  importing: readonly DeclaredUser[];
  /** No-longer-declared users that leave the managed groups (removal policy `disable`), with their memberships. */
  leaving?: readonly { username: string; groups: ReadonlySet<string> }[];
  caseSensitive: boolean;
  /** The users directory relative to the repository root (`users`), to name each user's office. */
  usersDir: string;
}

export function planMemberships(inputs: MembershipPlanInputs): MembershipPlan {
  const managed = new Set(inputs.managedGroups);
  const changes: MembershipChange[] = [];
  const importing = new Set(inputs.importing.map((u) => normalizeUsername(u.username, inputs.caseSensitive)));
  let checked = 0;
  for (const user of inputs.declared) {
    const key = normalizeUsername(user.username, inputs.caseSensitive);
    const place = {
      username: user.username,
      office: officeOfFile(user.source.file, inputs.usersDir),
      file: user.source.file,
      line: user.source.line,
    };
    const declared = (user.groups ?? []).filter((g) => managed.has(g));
    if (importing.has(key)) {
      for (const group of declared) changes.push({ action: "add", group, ...place, afterImport: true });
      continue;
    }
    const current = inputs.observed.get(key);
    if (current === undefined) continue;
    checked++;
    const { add, remove } = membershipDifference(declared, current, managed);
    for (const group of add) changes.push({ action: "add", group, ...place });
    for (const group of remove) changes.push({ action: "remove", group, ...place });
  }
  for (const leaver of inputs.leaving ?? []) {
    for (const group of [...leaver.groups].filter((g) => managed.has(g)).sort())
      changes.push({ action: "remove", group, username: leaver.username, office: "" });
  }
  return { changes, checked };
}

/**
 * Declared groups missing from the pool, and managed groups the pool has that are not declared. Unmanaged groups never
 * appear. @internal
 */
export function membershipDifference(
  declared: readonly string[],
  current: ReadonlySet<string>,
  managed: ReadonlySet<string>,
): { add: string[]; remove: string[] } {
  const want = new Set(declared.filter((g) => managed.has(g)));
  const add = [...want].filter((g) => !current.has(g)).sort();
  const remove = [...current].filter((g) => managed.has(g) && !want.has(g)).sort();
  return { add, remove };
}

/** `users/kss/intake.yaml` → `kss`; a file directly in the users folder → "". */
export function officeOfFile(file: string, usersDir: string): string {
  const prefix = usersDir === "" || usersDir === "." ? "" : `${usersDir.replace(/\/+$/, "")}/`;
  const rest = prefix !== "" && file.startsWith(prefix) ? file.slice(prefix.length) : file;
  const slash = rest.indexOf("/");
  return slash < 0 ? "" : rest.slice(0, slash);
}

/** The changes by office, offices sorted (a user no longer declared is under ""). */
export function membershipsByOffice(plan: MembershipPlan): Map<string, { add: MembershipChange[]; remove: MembershipChange[] }> {
  const offices = new Map<string, { add: MembershipChange[]; remove: MembershipChange[] }>();
  for (const change of plan.changes) {
    const entry = offices.get(change.office) ?? { add: [], remove: [] };
    offices.set(change.office, entry);
    entry[change.action].push(change);
  }
  return new Map([...offices.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
