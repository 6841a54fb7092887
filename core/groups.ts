/**
 * Groups the roster manages: the `cognito-roster:groups` stack setting and the rules a user's `groups:` list must
 * satisfy. Pure: values in, values and findings out; no YAML positions (the caller places findings), no AWS.
 *
 * Cognito's rules, from the API reference and the developer guide's "Quotas" page: a group name is 1-128
 * characters of `[\p{L}\p{M}\p{S}\p{N}\p{P}]` (GroupNameType); a description at most 2,048 characters; a
 * precedence a non-negative integer; a role ARN an IAM ARN (ArnType, 20-2,048); at most 10,000 groups per user pool
 * and 100 groups per user. Groups the stack does not list are never the roster's business: a users file may
 * not name them, and memberships in them are never read into a plan or changed.
 */
import { MAX_GROUPS_PER_POOL, MAX_GROUPS_PER_USER } from "./cognito-quotas";
import { IAM_ROLE_ARN } from "./identifier-patterns";

/** One group the stack manages (`cognito-roster:groups: {name: {description, precedence, roleArn, approvers}}`). */
export interface ManagedGroup {
  description?: string;
  precedence?: number;
  roleArn?: string;
  /**
   * The GitHub team (`@org/team`) that must approve, at the pull request's current head, any change to this group's
   * members (core/group-approvals.ts). Not a Cognito property: never sent to the pool.
   */
  approvers?: string;
}

/** A GitHub team as CODEOWNERS names it: `@org/team-slug`. */
const GITHUB_TEAM = /^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** Cognito's limits on a group's name and description (CreateGroup's API reference). */
const MAX_GROUP_NAME_LENGTH = 128;
const MAX_GROUP_DESCRIPTION_LENGTH = 2048;
/** PrecedenceType is an integer with min 0; the wire type is a 32-bit signed integer. */
const MAX_PRECEDENCE = 2_147_483_647;

const GROUP_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const GROUP_KEYS: readonly string[] = ["description", "precedence", "roleArn", "approvers"];

/** Why Cognito would refuse this group name, or undefined when it is a valid name. @internal */
export function groupNameProblem(name: string): string | undefined {
  const length = [...name].length;
  if (length === 0) return "a group name cannot be empty";
  if (length > MAX_GROUP_NAME_LENGTH) return `group name is ${length} characters; Cognito allows at most ${MAX_GROUP_NAME_LENGTH}`;
  if (!GROUP_NAME.test(name))
    return (
      `group name ${JSON.stringify(name)} has a character Cognito refuses ` +
      "(letters, marks, symbols, numbers and punctuation only; no spaces)"
    );
  return undefined;
}

/**
 * Parses the `groups` stack setting (already JSON-decoded). Returns the groups, or the problems (one line each,
 * without the setting's name, which the caller adds).
 */
export function parseManagedGroups(value: unknown): { groups: Record<string, ManagedGroup>; problems: string[] } {
  const groups: Record<string, ManagedGroup> = {};
  const problems: string[] = [];
  if (value === undefined || value === null) return { groups, problems };
  if (typeof value !== "object" || Array.isArray(value)) {
    return { groups, problems: ["must be a mapping of group name to {description, precedence, roleArn, approvers}"] };
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_GROUPS_PER_POOL)
    problems.push(`names ${entries.length} groups; a user pool holds at most ${MAX_GROUPS_PER_POOL}`);
  for (const [name, spec] of entries) {
    const nameProblem = groupNameProblem(name);
    if (nameProblem) {
      problems.push(nameProblem);
      continue;
    }
    const parsed = parseGroup(name, spec);
    if (typeof parsed === "string") problems.push(parsed);
    else groups[name] = parsed;
  }
  return { groups, problems };
}

function parseGroup(name: string, spec: unknown): ManagedGroup | string {
  if (spec === null || spec === undefined) return {};
  if (typeof spec !== "object" || Array.isArray(spec))
    return `group ${name} must be a mapping ({} for none of description, precedence, roleArn, approvers)`;
  const s = spec as Record<string, unknown>;
  const unknown = Object.keys(s).filter((k) => !GROUP_KEYS.includes(k));
  if (unknown.length > 0) return `group ${name}: unknown key ${unknown.join(", ")} (known: ${GROUP_KEYS.join(", ")})`;
  const group: ManagedGroup = {};
  if (s.description !== undefined) {
    if (typeof s.description !== "string") return `group ${name}: description must be text`;
    if ([...s.description].length > MAX_GROUP_DESCRIPTION_LENGTH)
      return `group ${name}: description is longer than Cognito's ${MAX_GROUP_DESCRIPTION_LENGTH} characters`;
    group.description = s.description;
  }
  if (s.precedence !== undefined) {
    const n = typeof s.precedence === "string" && s.precedence.trim() !== "" ? Number(s.precedence) : s.precedence;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_PRECEDENCE)
      return `group ${name}: precedence must be a whole number from 0 to ${MAX_PRECEDENCE}`;
    group.precedence = n;
  }
  if (s.roleArn !== undefined) {
    if (typeof s.roleArn !== "string" || !IAM_ROLE_ARN.test(s.roleArn))
      return `group ${name}: roleArn ${JSON.stringify(s.roleArn)} is not an IAM role ARN`;
    group.roleArn = s.roleArn;
  }
  if (s.approvers !== undefined) {
    if (typeof s.approvers !== "string" || !GITHUB_TEAM.test(s.approvers))
      return `group ${name}: approvers ${JSON.stringify(s.approvers)} is not a GitHub team (@org/team)`;
    group.approvers = s.approvers;
  }
  return group;
}

/** One problem with a `groups:` list: `index` is the item's position in the list, absent for the list as a whole. */
export interface GroupListFinding {
  code: "GROUPS_INVALID_NAME" | "GROUPS_UNKNOWN" | "GROUPS_DUPLICATE" | "GROUPS_TOO_MANY";
  severity: "error" | "warning";
  message: string;
  index?: number;
}

/**
 * Checks one `groups:` list as written (a user's own, or a file's defaults): every item a group name Cognito
 * accepts, managed by the stack, and listed once. `alreadyGiven` are groups the file's defaults already give (a
 * user repeating one is told so, as a warning: it changes nothing).
 */
export function checkGroupList(
  names: readonly unknown[],
  managed: Readonly<Record<string, ManagedGroup>>,
  alreadyGiven: ReadonlySet<string> = new Set(),
): GroupListFinding[] {
  const findings: GroupListFinding[] = [];
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    // An item that is not text is the schema's to report (WRONG_TYPE): one mistake, one message.
    if (typeof name !== "string") return;
    const problem = groupNameProblem(name);
    if (problem) {
      findings.push({ code: "GROUPS_INVALID_NAME", severity: "error", message: problem, index });
      return;
    }
    if (!Object.hasOwn(managed, name)) {
      const known = Object.keys(managed);
      findings.push({
        code: "GROUPS_UNKNOWN",
        severity: "error",
        message:
          `the stack does not manage a group ${JSON.stringify(name)} ` +
          `(it manages: ${known.length > 0 ? known.join(", ") : "none"}; add it to cognito-roster:groups)`,
        index,
      });
      return;
    }
    const first = seen.get(name);
    if (first !== undefined) {
      findings.push({
        code: "GROUPS_DUPLICATE",
        severity: "error",
        message: `group ${name} is listed twice (first as item ${first + 1})`,
        index,
      });
      return;
    }
    seen.set(name, index);
    if (alreadyGiven.has(name))
      findings.push({
        code: "GROUPS_DUPLICATE",
        severity: "warning",
        message: `group ${name} is already given by this file's defaults`,
        index,
      });
  });
  return findings;
}

/** A user's groups: the file's defaults' and the user's own together (a union, unlike other keys), sorted. */
export function mergedGroups(fromDefaults: readonly unknown[] | undefined, own: readonly unknown[] | undefined): string[] {
  const all = new Set<string>();
  for (const list of [fromDefaults ?? [], own ?? []]) for (const name of list) if (typeof name === "string") all.add(name);
  return [...all].sort();
}

/** The finding for a user whose merged groups exceed Cognito's per-user quota, or undefined. */
export function tooManyGroups(count: number): GroupListFinding | undefined {
  if (count <= MAX_GROUPS_PER_USER) return undefined;
  return {
    code: "GROUPS_TOO_MANY",
    severity: "error",
    message: `this user would be in ${count} groups; Cognito allows a user in at most ${MAX_GROUPS_PER_USER}`,
  };
}
