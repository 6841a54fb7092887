/**
 * Posts (or updates) the one cognito-roster plan comment on a pull request, for actions/github-script:
 *
 *   const post = require("./.github/scripts/plan-comment.js");
 *   await post({ github, context, file: "roster-plan.md" });
 *
 * One comment per pull request, found by a marker and updated in place, so a pull request whose mode changes
 * (data only ↔ approved code) still has one plan. It reads the file it is given and nothing else.
 *
 * Never silently cut: GitHub refuses a comment over 65,536 characters. A longer plan keeps its title, summary and
 * every line that needs a reviewer's attention (the roster lists imports last, core/plan-report.ts), lists as many
 * imports as fit, says at the top and at the cut how many are not shown, and points to the job summary, where the
 * workflow writes the whole plan. Only if the non-import lines alone do not fit is anything else cut, and then the
 * comment says that too, in the same words of ours.
 */

const fs = require("node:fs");

const MARKER = "<!-- cognito-roster plan -->";
/** GitHub's limit is 65,536 characters; JavaScript counts UTF-16 units, never fewer than GitHub's characters. */
const MAX_BODY = 65000;
/** The roster's own heading of the imports (values never start a line of the Markdown plan). */
const IMPORT_HEADING = /^#### Import \((\d+)\)$/;

/**
 * The comment for `plan` (the Markdown the workflow wrote), at most `limit` characters.
 * @param {string} plan
 * @param {{ fullPlanUrl: string, limit?: number }} options
 */
function commentBody(plan, { fullPlanUrl, limit = MAX_BODY }) {
  const whole = `${MARKER}\n${plan}`;
  if (whole.length <= limit) return whole;
  const lines = plan.replace(/\n$/, "").split("\n");
  const at = lines.findIndex((line) => IMPORT_HEADING.test(line));
  const attention = at < 0 ? lines : lines.slice(0, at);
  const imports = at < 0 ? [] : lines.slice(at + 1).filter((line) => line.startsWith("- "));
  const where = `The whole plan is in the [job summary](${fullPlanUrl}).`;

  const notice = (shown) =>
    `> **This plan is too long for one comment:** ${shown} of ${imports.length} imports are listed below, every other change is. ${where}\n`;
  // The longest notice, so that what fits with it still fits once the real numbers are in.
  const reserve = notice(imports.length).length + where.length + 200;
  let body = [MARKER, notice(imports.length), ...attention].join("\n");
  if (body.length + reserve > limit) return cutAttention(attention, limit, where);
  let shown = 0;
  const kept = [];
  for (const line of imports) {
    if (body.length + line.length + 1 + reserve > limit) break;
    kept.push(line);
    body += `\n${line}`;
    shown++;
  }
  const more = imports.length - shown;
  const cut = more > 0 ? [`- … and ${more} more imports, not listed here. ${where}`] : [];
  const importSection = at < 0 ? [] : [lines[at], "", ...kept, ...cut];
  return [MARKER, notice(shown), ...attention, ...importSection].join("\n");
}

/** Even without imports the plan is too long: keep lines from the top, and say where the rest is. */
function cutAttention(lines, limit, where) {
  const head = `${MARKER}\n> **This plan is too long for one comment, even without its imports:** it stops where marked. ${where}\n`;
  const tail = `\n\n> **The plan is cut here.** ${where}`;
  const kept = [];
  let length = head.length + tail.length;
  for (const line of lines) {
    if (length + line.length + 1 > limit) break;
    kept.push(line);
    length += line.length + 1;
  }
  return `${head}\n${kept.join("\n")}${tail}`;
}

async function postPlanComment({ github, context, file }) {
  const { owner, repo } = context.repo;
  const fullPlanUrl = `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`;
  const body = commentBody(fs.readFileSync(file, "utf8"), { fullPlanUrl });
  const issue_number = context.payload.pull_request.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const mine = comments.find((c) => c.user?.type === "Bot" && c.body?.startsWith(MARKER));
  if (mine) await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
  else await github.rest.issues.createComment({ owner, repo, issue_number, body });
}

module.exports = postPlanComment;
module.exports.commentBody = commentBody;
