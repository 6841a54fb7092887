/**
 * Review by effect (core/group-approvals.ts): the decision as a pure function over GitHub's reviews as its API
 * returns them (fixtures below), and the CI script (.github/scripts/group-approvals.js) end to end over two users
 * trees and a fake GitHub client answering with the same fixtures.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { DeclaredUser } from "../../core/declared-user";
import {
  approvalDecision,
  type DeclaredGroupChange,
  declaredGroupChanges,
  describeDecision,
  type PullRequestReview,
  teamsNeeded,
} from "../../core/group-approvals";
import { parseManagedGroups } from "../../core/groups";

const HEAD = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
const OLDER = "1f9a3c7e2d4b5a6c8e0f1a2b3c4d5e6f7a8b9c0d";
const GROUPS = parseManagedGroups({
  trainees: { precedence: 10 },
  "kss-admins": { precedence: 1, approvers: "@example-org/kss-approvers" },
  "london-admins": { approvers: "@example-org/london-approvers" },
}).groups;
const MEMBERS = { "@example-org/kss-approvers": ["Octocat", "hubot"], "@example-org/london-approvers": ["monalisa"] };

/** A review as GET /repos/{owner}/{repo}/pulls/{n}/reviews returns it. */
function review(login: string, state: string, commit_id: string, id: number): PullRequestReview {
  const fromApi = {
    id,
    node_id: `PRR_${id}`,
    user: { login, id: id * 10, type: "User", site_admin: false },
    body: "",
    state,
    html_url: `https://github.com/example-org/roster/pull/7#pullrequestreview-${id}`,
    author_association: "MEMBER",
    submitted_at: `2026-12-06T08:${String(id).padStart(2, "0")}:00Z`,
    commit_id,
  };
  return fromApi;
}

const user = (username: string, groups: string[]): DeclaredUser =>
  ({ username, groups, source: { file: "users/kss/a.yaml", line: 1, col: 5 } }) as unknown as DeclaredUser;

const grant: DeclaredGroupChange[] = [{ group: "kss-admins", username: "mallory@example.com", action: "add" }];
const decide = (reviews: PullRequestReview[], changes: DeclaredGroupChange[] = grant, author = "contributor") =>
  approvalDecision({ changes, groups: GROUPS, headSha: HEAD, author, reviews, teamMembers: MEMBERS });

describe("declaredGroupChanges", () => {
  it("lists grants and revocations in managed groups, from any office, for users added, changed or removed", () => {
    const base = [user("ann@example.com", ["trainees"]), user("bob@example.com", ["kss-admins"]), user("cy@example.com", ["kss-admins"])];
    const head = [
      user("ANN@example.com", ["trainees", "kss-admins"]),
      user("cy@example.com", []),
      user("new@example.com", ["london-admins", "unmanaged"]),
    ];
    expect(declaredGroupChanges(base, head, GROUPS, false)).toEqual([
      { group: "kss-admins", username: "ANN@example.com", action: "add" },
      { group: "kss-admins", username: "bob@example.com", action: "remove" },
      { group: "kss-admins", username: "cy@example.com", action: "remove" },
      { group: "london-admins", username: "new@example.com", action: "add" },
    ]);
  });
});

describe("approvalDecision", () => {
  it("needs the teams of the groups the changes touch, each once", () => {
    const changes: DeclaredGroupChange[] = [...grant, ...grant, { group: "trainees", username: "a@example.com", action: "add" }];
    expect(teamsNeeded(changes, GROUPS)).toEqual(["@example-org/kss-approvers"]);
  });

  it("a change to no group with approvers needs nothing", () => {
    const decision = decide([], [{ group: "trainees", username: "a@example.com", action: "add" }]);
    expect(decision).toEqual({ ok: true, groups: [] });
    expect(describeDecision(decision)).toEqual(["changes no membership of a group with approvers"]);
  });

  it("fails until a team member approves the current head", () => {
    expect(decide([])).toEqual({ ok: false, groups: [{ group: "kss-admins", team: "@example-org/kss-approvers", changes: 1 }] });
    expect(decide([review("octocat", "APPROVED", OLDER, 1)]).ok).toBe(false); // an earlier commit: stale
    expect(decide([review("monalisa", "APPROVED", HEAD, 2)]).ok).toBe(false); // not in the team
    expect(decide([review("octocat", "COMMENTED", HEAD, 3)]).ok).toBe(false);
    expect(decide([review("octocat", "APPROVED", HEAD, 4)])).toEqual({
      ok: true,
      groups: [{ group: "kss-admins", team: "@example-org/kss-approvers", changes: 1, approvedBy: "octocat" }],
    });
  });

  it("a reviewer's standing review counts: changes requested or dismissed after approving undo it, a comment does not", () => {
    expect(decide([review("hubot", "APPROVED", HEAD, 1), review("hubot", "CHANGES_REQUESTED", HEAD, 2)]).ok).toBe(false);
    expect(decide([review("hubot", "APPROVED", HEAD, 1), review("hubot", "DISMISSED", HEAD, 2)]).ok).toBe(false);
    expect(decide([review("hubot", "APPROVED", HEAD, 1), review("hubot", "COMMENTED", HEAD, 2)]).ok).toBe(true);
    expect(decide([review("hubot", "CHANGES_REQUESTED", HEAD, 1), review("hubot", "APPROVED", HEAD, 2)]).ok).toBe(true);
  });

  it("the author cannot approve their own change, even as a member", () => {
    expect(decide([review("octocat", "APPROVED", HEAD, 1)], grant, "OctoCat").ok).toBe(false);
  });

  it("every group's team must approve; the lines say which is missing", () => {
    const changes = [...grant, { group: "london-admins", username: "x@example.com", action: "remove" as const }];
    const decision = decide([review("octocat", "APPROVED", HEAD, 1)], changes);
    expect(decision.ok).toBe(false);
    expect(describeDecision(decision)).toEqual([
      "kss-admins: 1 change(s), approved at the head by octocat (@example-org/kss-approvers)",
      "london-admins: 1 change(s), waiting for an approval of the current head by a member of @example-org/london-approvers",
    ]);
  });
});

describe(".github/scripts/group-approvals.js over two users trees and GitHub's API", () => {
  const ROOT = path.resolve(__dirname, "../..");
  const SCRIPT = path.join(ROOT, ".github", "scripts", "group-approvals.js");
  let dir: string;

  const usersFile = (admins: boolean) =>
    [
      "defaults:",
      "  mfa_enabled: true",
      "  email_verified: true",
      "users:",
      "  - username: finn.notreal@example.nhs.uk",
      "    email: finn.notreal@example.nhs.uk",
      '    custom:tisId: "900201"',
      `    groups: [trainees${admins ? ", kss-admins" : ""}]`,
      "",
    ].join("\n");

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "roster-approvals-"));
    const stack = readFileSync(path.join(ROOT, "test", "fixtures", "Pulumi.fixtures.yaml"), "utf8").replace(
      "      description: Kent, Surrey and Sussex local office administrators\n",
      '      description: Kent, Surrey and Sussex local office administrators\n      approvers: "@example-org/kss-approvers"\n',
    );
    writeFileSync(path.join(dir, "Pulumi.test.yaml"), stack);
    for (const [tree, admins] of [
      ["base", false],
      ["head", true],
    ] as const) {
      mkdirSync(path.join(dir, tree, "users", "london"), { recursive: true });
      writeFileSync(path.join(dir, tree, "users", "london", "a.yaml"), usersFile(admins));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(reviews: PullRequestReview[]) {
    const statuses: Record<string, unknown>[] = [];
    const failures: string[] = [];
    const pages: Record<string, unknown[]> = {
      listReviews: reviews,
      listMembersInOrg: MEMBERS["@example-org/kss-approvers"].map((login) => ({ login })),
    };
    const octokit = {
      paginate: async (method: { name: string }) => pages[method.name],
      rest: {
        pulls: {
          get: async () => ({ data: { head: { sha: HEAD }, user: { login: "contributor" } } }),
          listReviews: { name: "listReviews" },
        },
        teams: { listMembersInOrg: { name: "listMembersInOrg" } },
        repos: { createCommitStatus: async (s: Record<string, unknown>) => statuses.push(s) },
      },
    };
    const summary = { addHeading: () => summary, addList: () => summary, write: async () => undefined };
    const check = require(SCRIPT) as (args: Record<string, unknown>) => Promise<void>;
    await check({
      github: octokit,
      context: { repo: { owner: "example-org", repo: "roster" } },
      core: { summary, setFailed: (m: string) => failures.push(m) },
      pullNumber: 7,
      teamsOctokit: octokit,
      stack: "test",
      baseUsers: path.join(dir, "base", "users"),
      headUsers: path.join(dir, "head", "users"),
      repoRoot: dir,
    });
    return { statuses, failures };
  }

  it("a grant of kss-admins in london's folder fails the status until a kss approver approves the head", async () => {
    const waiting = await run([review("monalisa", "APPROVED", HEAD, 1), review("octocat", "APPROVED", OLDER, 2)]);
    expect(waiting.statuses).toEqual([
      expect.objectContaining({
        sha: HEAD,
        context: "roster / group approvals",
        state: "failure",
        description: "needs: kss-admins by @example-org/kss-approvers",
      }),
    ]);
    expect(waiting.failures[0]).toContain("waiting for an approval of the current head by a member of @example-org/kss-approvers");
    const approved = await run([review("octocat", "APPROVED", HEAD, 3)]);
    expect(approved.statuses).toEqual([expect.objectContaining({ sha: HEAD, state: "success" })]);
    expect(approved.failures).toEqual([]);
  });
});
