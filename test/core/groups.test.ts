/**
 * The pure side of groups (issue 12): the `groups` stack setting, the `groups:` key of users files with a position
 * for every problem, the digest's two parts, the membership plan and its report, and export's factoring.
 */
import { MAX_GROUPS_PER_USER } from "../../core/cognito-quotas";
import { checkGroupList, groupNameProblem, parseManagedGroups } from "../../core/groups";
import { profileFromConfig, type PoolProfile } from "../../core/profile";
import { loadStackProfile } from "../../load/stack-profile";
import { accountPart, declaredValuesDigest, digestDeclaredUsers, membershipPart, withMembershipsPending } from "../../core/user-digest";
import { changedSinceLastApply, membershipsChangedSinceLastApply, planHasChanges, type RosterPlan } from "../../core/plan";
import { membershipDifference, officeOfFile, planMemberships } from "../../core/plan-groups";
import { renderPlan } from "../../core/plan-report";
import { exportUsers } from "../../core/export-users";
import type { DeclaredUser } from "../../core/declared-user";
import { fixtureProfile, REPO_ROOT } from "./fixture-cases";
import { checkUsersFileText } from "../support/one-call";

// The dev stack's settings frozen for tests (no phone requirement): these tests are about groups.
const dev = fixtureProfile();
const FILE = "users/kss/a.yaml";
const where = (text: string, profile: PoolProfile = dev) =>
  checkUsersFileText(text, FILE, profile).diagnostics.map((d) => `${d.line}:${d.col} ${d.severity} ${d.code}`);
const file = (...lines: string[]) => ["defaults:", "  mfa_enabled: true", "  email_verified: true", ...lines, ""].join("\n");
const user = (name: string, ...extra: string[]) => [
  `  - username: ${name}@example.com`,
  `    email: ${name}@example.com`,
  `    custom:tisId: "1"`,
  ...extra,
];

describe("the groups stack setting", () => {
  test("the dev stack manages trainees and one office's administrators", () => {
    expect(loadStackProfile(REPO_ROOT, "dev").profile?.groups).toEqual({
      trainees: { description: "Every trainee in the roster", precedence: 10 },
      "kss-admins": {
        description: "Kent, Surrey and Sussex local office administrators",
        precedence: 1,
        approvers: "@example-org/kss-admin-approvers",
      },
    });
  });

  test("approvers is a GitHub team, @org/team", () => {
    expect(parseManagedGroups({ a: { approvers: "@example-org/a-team" } }).groups).toEqual({ a: { approvers: "@example-org/a-team" } });
    for (const bad of ["example-org/a-team", "@example-org", "@alice", "@org/team\n@other/x", 7])
      expect(parseManagedGroups({ a: { approvers: bad } }).problems[0]).toMatch(
        /^group a: approvers .* is not a GitHub team \(@org\/team\)$/,
      );
  });

  test("each name, description, precedence and role is checked as Cognito would", () => {
    expect(parseManagedGroups({ a: null, b: { precedence: "2" } }).groups).toEqual({ a: {}, b: { precedence: 2 } });
    const { problems } = parseManagedGroups({
      "two words": {},
      ["x".repeat(129)]: {},
      neg: { precedence: -1 },
      role: { roleArn: "not-an-arn" },
      extra: { colour: "red" },
      long: { description: "d".repeat(2049) },
    });
    expect(problems).toHaveLength(6);
    expect(parseManagedGroups(["trainees"]).problems).toEqual([
      "must be a mapping of group name to {description, precedence, roleArn, approvers}",
    ]);
    expect(groupNameProblem("ok-name_1.é")).toBeUndefined();
  });

  test("problems are config errors; Pulumi's JSON text is read too", () => {
    const base = {
      "aws:region": "eu-west-2",
      "cognito-roster:userPoolId": "eu-west-2_abc",
      "cognito-roster:autoVerifiedAttributes": ["email"],
      "cognito-roster:mfaConfiguration": "OFF",
    };
    const bad = profileFromConfig({ ...base, "cognito-roster:groups": { "a b": {} } });
    expect(bad.profile).toBeUndefined();
    expect(bad.diagnostics[0]).toMatchObject({
      code: "CONFIG_INVALID",
      message: expect.stringMatching(/^cognito-roster:groups: group name "a b"/),
    });
    expect(profileFromConfig({ ...base, "cognito-roster:groups": '{"trainees":{"precedence":3}}' }).profile?.groups).toEqual({
      trainees: { precedence: 3 },
    });
    expect(profileFromConfig(base).profile?.groups).toBeUndefined();
  });
});

describe("groups: in users files", () => {
  test("defaults' and own groups are a union, sorted, each once", () => {
    const r = checkUsersFileText(file("  groups: [trainees]", "users:", ...user("a", "    groups: [kss-admins]"), ...user("b")), FILE, dev);
    expect(r.diagnostics).toEqual([]);
    expect(r.users.map((u) => u.groups)).toEqual([["kss-admins", "trainees"], ["trainees"]]);
  });

  test("a user without groups has no groups key (and its digest is the one from before groups existed)", () => {
    const r = checkUsersFileText(file("users:", ...user("a")), FILE, dev);
    expect(r.users[0].groups).toBeUndefined();
    expect(declaredValuesDigest(r.users[0])).toMatch(/^[\w-]{16}$/);
  });

  test("an unknown group, a duplicate, a name Cognito refuses and a non-text item: each at its own position, once", () => {
    const text = file(
      "  groups: [trainees, nonsense]", // 4
      "users:",
      ...user("a", '    groups: [kss-admins, kss-admins, "two words", 7, trainees]'), // 6..9
    );
    expect(where(text)).toEqual([
      "4:22 error GROUPS_UNKNOWN",
      "9:26 error GROUPS_DUPLICATE",
      "9:38 error GROUPS_INVALID_NAME",
      "9:51 error WRONG_TYPE",
      "9:54 warning GROUPS_DUPLICATE",
    ]);
    const r = checkUsersFileText(text, FILE, dev);
    expect(r.diagnostics.find((d) => d.code === "GROUPS_UNKNOWN")?.message).toBe(
      'the stack does not manage a group "nonsense" (it manages: trainees, kss-admins; add it to cognito-roster:groups)',
    );
    expect(r.users).toEqual([]);
  });

  test("a block list places each item on its line; groups: that is not a list is a schema error", () => {
    expect(where(file("users:", ...user("a", "    groups:", "      - trainees", "      - nope")))).toEqual(["10:9 error GROUPS_UNKNOWN"]);
    expect(where(file("users:", ...user("a", "    groups: trainees")))).toEqual(["8:13 error WRONG_TYPE"]);
  });

  test("more groups than Cognito allows a user, counted after the merge", () => {
    const names = Array.from({ length: MAX_GROUPS_PER_USER + 1 }, (_, i) => `g${i}`);
    const profile: PoolProfile = { ...dev, groups: Object.fromEntries(names.map((n) => [n, {}])) };
    const text = file(
      `  groups: [${names.slice(0, 60).join(", ")}]`,
      "users:",
      ...user("a", `    groups: [${names.slice(60).join(", ")}]`),
    );
    expect(where(text, profile)).toEqual(["9:5 error GROUPS_TOO_MANY"]);
  });

  test("a stack that manages no groups refuses any group", () => {
    expect(checkGroupList(["trainees"], {})[0].message).toContain("it manages: none");
  });
});

describe("digests: the account and the memberships apart", () => {
  const base: DeclaredUser = {
    username: "a@example.com",
    mfaEnabled: true,
    enabled: true,
    attributes: { email: "a@example.com" },
    source: { file: FILE, line: 1, col: 1 },
  };
  const grouped = { ...base, groups: ["trainees"] };
  const regrouped = { ...base, groups: ["kss-admins", "trainees"] };

  test("a change of groups changes only the membership part", () => {
    expect(accountPart(declaredValuesDigest(grouped))).toBe(declaredValuesDigest(base));
    expect(membershipPart(declaredValuesDigest(base))).toBe("");
    expect(membershipPart(declaredValuesDigest(grouped))).not.toBe(membershipPart(declaredValuesDigest(regrouped)));
    expect(declaredValuesDigest({ ...regrouped, groups: ["trainees", "kss-admins"] })).toBe(declaredValuesDigest(regrouped));
  });

  test("membership-only changes are not looked up as users; their memberships are read", () => {
    const previous = { [Object.keys(digests([grouped]))[0]]: declaredValuesDigest(grouped) };
    expect(changedSinceLastApply("eu-west-2_abc", [regrouped], previous, false)).toEqual([]);
    expect(membershipsChangedSinceLastApply("eu-west-2_abc", [regrouped], previous, false)).toEqual([regrouped]);
    const pending = { [Object.keys(previous)[0]]: withMembershipsPending(declaredValuesDigest(base)) };
    expect(changedSinceLastApply("eu-west-2_abc", [grouped], pending, false)).toEqual([]);
    expect(membershipsChangedSinceLastApply("eu-west-2_abc", [base], pending, false)).toEqual([base]);
  });
});

function digests(users: DeclaredUser[]): Record<string, string> {
  return digestDeclaredUsers("eu-west-2_abc", users, false);
}

describe("the membership plan", () => {
  const managed = new Set(["trainees", "kss-admins"]);
  const u = (name: string, file: string, groups?: string[]): DeclaredUser => ({
    username: name,
    mfaEnabled: true,
    enabled: true,
    attributes: {},
    ...(groups ? { groups } : {}),
    source: { file, line: 3, col: 3 },
  });

  test("set differences over managed groups only: an unmanaged membership is never removed, an unmanaged name never added", () => {
    expect(membershipDifference(["trainees", "pilot"], new Set(["pilot-2", "kss-admins"]), managed)).toEqual({
      add: ["trainees"],
      remove: ["kss-admins"],
    });
  });

  test("per office; imports get their groups after the import; users not read are left alone", () => {
    const plan = planMemberships({
      managedGroups: [...managed],
      declared: [
        u("a", "users/kss/x.yaml", ["trainees"]),
        u("b", "users/london/y.yaml", ["trainees"]),
        u("c", "users/london/y.yaml", ["kss-admins"]),
        u("d", "users/top.yaml"),
      ],
      observed: new Map([
        ["b", new Set(["trainees", "pilot"])],
        ["c", new Set(["trainees"])],
      ]),
      importing: [u("a", "users/kss/x.yaml", ["trainees"])],
      leaving: [{ username: "gone", groups: new Set(["kss-admins", "pilot"]) }],
      caseSensitive: false,
      usersDir: "users",
    });
    expect(plan.checked).toBe(2);
    expect(plan.changes.map((c) => `${c.office}:${c.action}:${c.group}:${c.username}${c.afterImport ? ":after-import" : ""}`)).toEqual([
      "kss:add:trainees:a:after-import",
      "london:add:kss-admins:c",
      "london:remove:trainees:c",
      ":remove:kss-admins:gone",
    ]);
    expect(officeOfFile("users/top.yaml", "users")).toBe("");
    expect(officeOfFile("people/north-west/m.yaml", "people")).toBe("north-west");

    const roster: RosterPlan = {
      userPoolId: "eu-west-2_abc",
      import: [],
      update: [],
      disable: [],
      enable: [],
      remove: [],
      unchanged: 4,
      memberships: plan,
    };
    expect(planHasChanges(roster)).toBe(true);
    const json = JSON.parse(renderPlan(roster, "json", { awsCalls: 3 })) as { memberships: Record<string, unknown> };
    expect(Object.keys(json.memberships)).toEqual(["", "kss", "london"]);
    expect(json.memberships.london).toEqual({
      add: [{ username: "c", group: "kss-admins", file: "users/london/y.yaml", line: 3 }],
      remove: [{ username: "c", group: "trainees", file: "users/london/y.yaml", line: 3 }],
    });
    const text = renderPlan(roster, "text", { awsCalls: 3 });
    expect(text).toContain("Group memberships, office london (1 to add, 1 to remove):");
    expect(text).toContain("2 group memberships to add, 2 to remove,");
  });
});

describe("export", () => {
  test("writes each user's managed groups; the groups every user of a file shares go to defaults", () => {
    const pool = ["a", "b", "c"].map((n) => ({
      username: `${n}@example.com`,
      attributes: { email: `${n}@example.com`, email_verified: "true" },
      enabled: true,
      status: "CONFIRMED",
    }));
    const groups: Record<string, string[]> = {
      "a@example.com": ["trainees", "kss-admins", "pilot"],
      "b@example.com": ["trainees"],
      "c@example.com": ["trainees"],
    };
    const result = exportUsers(pool, {
      profile: dev,
      office: { kind: "single", folder: "kss" },
      excludes: [],
      fileName: "exported.yaml",
      schemaFromUsersDir: "../schemas/users-file.schema.json",
      groupsOf: (username) => groups[username],
    });
    const text = result.files[0].text;
    expect(text).toContain("defaults:\n  email_verified: true\n  mfa_enabled: true\n  groups:\n    - trainees\n");
    expect(text).toContain("  - username: a@example.com\n    email: a@example.com\n    groups:\n      - kss-admins\n");
    expect(text).not.toContain("pilot");
    const checked = checkUsersFileText(text, "users/kss/exported.yaml", {
      ...dev,
      usernameMustEqualEmail: false,
      customAttributes: {},
      requiredAttributes: [],
    });
    expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(checked.users.map((u) => u.groups)).toEqual([["kss-admins", "trainees"], ["trainees"], ["trainees"]]);
  });
});
