/**
 * Posts (or updates) the one roster plan comment on a pull request, for actions/github-script:
 *
 *   const post = require("./.github/scripts/plan-comment.js");
 *   await post({ github, context, file: "roster-plan.md" });
 *
 * One comment per pull request, found by a marker and updated in place, so a pull request whose mode changes
 * (data only ↔ approved code) still has one plan. It reads the file it is given and nothing else; GitHub's limit on
 * a comment is 65,536 characters.
 */

const fs = require("node:fs");

const MARKER = "<!-- cognito-roster plan -->";
const MAX_BODY = 65000;

module.exports = async function postPlanComment({ github, context, file }) {
  const body = `${MARKER}\n${fs.readFileSync(file, "utf8")}`.slice(0, MAX_BODY);
  const { owner, repo } = context.repo;
  const issue_number = context.payload.pull_request.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const mine = comments.find((c) => c.user?.type === "Bot" && c.body?.startsWith(MARKER));
  if (mine) await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
  else await github.rest.issues.createComment({ owner, repo, issue_number, body });
};
