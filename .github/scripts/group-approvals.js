/**
 * Review by effect, for actions/github-script in roster-group-approvals.yml (trusted code: main's, built):
 *
 *   const check = require("./.github/scripts/group-approvals.js");
 *   await check({ github, context, core, pullNumber, teamsToken, baseUsers, headUsers });
 *
 * Loads the stack's groups (those with `approvers`), the users declared at the pull request's base and at its merge
 * (files only, read as data by the roster's own loader), and from GitHub the pull request's reviews and the members
 * of each approvers team; core/group-approvals.ts decides. The decision is posted as the commit status
 * `roster / group approvals` on the pull request's head, which branch protection requires: it fails until a member
 * of each team has approved the current head. Team members need a token that can read the organisation's teams
 * (`teamsToken`, a secret: the workflow token cannot); the reviews are read with the workflow token.
 */
const path = require("node:path");

const CONTEXT = "roster / group approvals";
const dist = (file) => require(path.join(__dirname, "..", "..", "dist", file));

/** The stack's profile and the two trees' declared users; throws with the diagnostics when either does not load. */
function declaredChanges({ stack, baseUsers, headUsers, repoRoot }) {
  const { loadStackProfile } = dist("load/stack-profile.js");
  const { loadRoster } = dist("load/load-roster.js");
  const { declaredGroupChanges } = dist("core/group-approvals.js");
  const { profile } = loadStackProfile(repoRoot, stack);
  if (profile === undefined) throw new Error(`the stack ${stack} has no valid configuration`);
  const load = (usersDir) => loadRoster({ usersDir, repoRoot, profile }).users;
  const groups = profile.groups ?? {};
  const base = baseUsers ? load(baseUsers) : [];
  return { groups, changes: declaredGroupChanges(base, load(headUsers), groups, profile.usernameCaseSensitive) };
}

async function teamMembers(octokit, teams) {
  const members = {};
  for (const team of teams) {
    const [org, slug] = team.slice(1).split("/");
    const list = await octokit.paginate(octokit.rest.teams.listMembersInOrg, { org, team_slug: slug, per_page: 100 });
    members[team] = list.map((m) => m.login);
  }
  return members;
}

module.exports = async function checkGroupApprovals({
  github,
  context,
  core,
  pullNumber,
  teamsOctokit,
  stack,
  baseUsers,
  headUsers,
  repoRoot = process.cwd(),
}) {
  const { approvalDecision, describeDecision, teamsNeeded } = dist("core/group-approvals.js");
  const { owner, repo } = context.repo;
  const { data: pull } = await github.rest.pulls.get({ owner, repo, pull_number: pullNumber });
  const { groups, changes } = declaredChanges({ stack, baseUsers, headUsers, repoRoot });
  const teams = teamsNeeded(changes, groups);
  const reviews = await github.paginate(github.rest.pulls.listReviews, { owner, repo, pull_number: pullNumber, per_page: 100 });
  const decision = approvalDecision({
    changes,
    groups,
    headSha: pull.head.sha,
    author: pull.user.login,
    reviews,
    teamMembers: teams.length > 0 ? await teamMembers(teamsOctokit, teams) : {},
  });
  const lines = describeDecision(decision);
  await core.summary.addHeading("Group approvals", 3).addList(lines).write();
  await github.rest.repos.createCommitStatus({
    owner,
    repo,
    sha: pull.head.sha,
    context: CONTEXT,
    state: decision.ok ? "success" : "failure",
    // GitHub keeps 140 characters of a status description.
    description: (decision.ok ? "approved: " : "needs: ")
      .concat(
        decision.groups
          .filter((g) => decision.ok || !g.approvedBy)
          .map((g) => `${g.group} by ${g.team}`)
          .join(", ") || "no group with approvers changes",
      )
      .slice(0, 140),
  });
  if (!decision.ok) core.setFailed(lines.join("\n"));
};
