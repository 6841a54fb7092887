/**
 * Review by effect: a pull request that changes who is in a group the stack marks with `approvers` (a GitHub team)
 * needs an approval from a member of that team on its current head, whichever office's folder the change is in.
 * CODEOWNERS reviews by folder; this reviews by what the change does (a user added to `kss-admins` from any file).
 *
 * Pure: the declared users of the pull request's base and of its merge (as the files say: no pool), GitHub's
 * reviews and the teams' members in; the decision and one line per group out. The CI side
 * (.github/scripts/group-approvals.js) fetches the reviews and members and posts the decision as a commit status.
 */
import type { DeclaredUser } from "./declared-user";
import type { ManagedGroup } from "./groups";
import { normalizeUsername } from "./user-digest";

/** One change of a user's declared membership in a group. */
export interface DeclaredGroupChange {
  group: string;
  username: string;
  action: "add" | "remove";
}

/** The membership changes between two sets of declared users, in groups the stack manages, sorted. */
export function declaredGroupChanges(
  base: readonly DeclaredUser[],
  head: readonly DeclaredUser[],
  managed: Readonly<Record<string, ManagedGroup>>,
  caseSensitive: boolean,
): DeclaredGroupChange[] {
  const groupsOf = (users: readonly DeclaredUser[]) =>
    new Map(users.map((u) => [normalizeUsername(u.username, caseSensitive), { username: u.username, groups: new Set(u.groups ?? []) }]));
  const before = groupsOf(base);
  const after = groupsOf(head);
  const changes: DeclaredGroupChange[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(key);
    const is = after.get(key);
    const username = is?.username ?? (was?.username as string);
    for (const group of Object.keys(managed)) {
      const had = was?.groups.has(group) ?? false;
      const has = is?.groups.has(group) ?? false;
      if (had !== has) changes.push({ group, username, action: has ? "add" : "remove" });
    }
  }
  return changes.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.username < b.username ? -1 : 1));
}

/** A pull request review as GitHub's reviews API returns it (the fields the decision reads). */
export interface PullRequestReview {
  user: { login: string } | null;
  state: string;
  commit_id: string;
}

export interface ApprovalInputs {
  changes: readonly DeclaredGroupChange[];
  groups: Readonly<Record<string, ManagedGroup>>;
  /** The pull request's current head commit: approvals of earlier commits do not count. */
  headSha: string;
  /** The pull request's author, who cannot approve their own change. */
  author: string;
  /** Every review of the pull request, in the order GitHub lists them (oldest first). */
  reviews: readonly PullRequestReview[];
  /** Members (logins) of each approvers team, by team (`@org/team`). */
  teamMembers: Readonly<Record<string, readonly string[]>>;
}

interface GroupApproval {
  group: string;
  team: string;
  changes: number;
  /** The team member whose approval of the head counts; absent while none has approved. */
  approvedBy?: string;
}

export interface ApprovalDecision {
  ok: boolean;
  groups: GroupApproval[];
}

/** The teams whose approval the changes need (groups with `approvers` only). */
export function teamsNeeded(changes: readonly DeclaredGroupChange[], groups: Readonly<Record<string, ManagedGroup>>): string[] {
  return [...new Set(changes.map((c) => groups[c.group]?.approvers).filter((t): t is string => t !== undefined))].sort();
}

/**
 * Each reviewer's standing review: their last APPROVED, CHANGES_REQUESTED or DISMISSED one (a COMMENTED review
 * changes nothing, as on GitHub). Only an APPROVED standing review of the head counts.
 */
function approversOfHead(reviews: readonly PullRequestReview[], headSha: string): Set<string> {
  const standing = new Map<string, PullRequestReview>();
  for (const review of reviews) {
    if (review.user === null) continue;
    if (["APPROVED", "CHANGES_REQUESTED", "DISMISSED"].includes(review.state)) standing.set(review.user.login.toLowerCase(), review);
  }
  return new Set([...standing].filter(([, r]) => r.state === "APPROVED" && r.commit_id === headSha).map(([login]) => login));
}

export function approvalDecision(inputs: ApprovalInputs): ApprovalDecision {
  const approved = approversOfHead(inputs.reviews, inputs.headSha);
  approved.delete(inputs.author.toLowerCase());
  const groups: GroupApproval[] = [];
  for (const group of [...new Set(inputs.changes.map((c) => c.group))].sort()) {
    const team = inputs.groups[group]?.approvers;
    if (team === undefined) continue;
    const members = (inputs.teamMembers[team] ?? []).map((m) => m.toLowerCase()).sort();
    const approvedBy = members.find((m) => approved.has(m));
    const changes = inputs.changes.filter((c) => c.group === group).length;
    groups.push({ group, team, changes, ...(approvedBy !== undefined ? { approvedBy } : {}) });
  }
  return { ok: groups.every((g) => g.approvedBy !== undefined), groups };
}

/** One line per group, for the check's description and the job summary (group names are the stack's own). */
export function describeDecision(decision: ApprovalDecision): string[] {
  if (decision.groups.length === 0) return ["changes no membership of a group with approvers"];
  return decision.groups.map((g) =>
    g.approvedBy
      ? `${g.group}: ${g.changes} change(s), approved at the head by ${g.approvedBy} (${g.team})`
      : `${g.group}: ${g.changes} change(s), waiting for an approval of the current head by a member of ${g.team}`,
  );
}
