/**
 * The pull-request plan comment is never silently cut (.github/scripts/plan-comment.js): over GitHub's limit it
 * keeps the summary and every change that needs a reviewer's attention, lists the imports that fit, and says how
 * many it does not show and where the whole plan is. Checked on what a reviewer sees (rendered by markdown-it).
 */
import * as path from "node:path";
import MarkdownIt from "markdown-it";
import type { DeclaredUser } from "../../core/declared-user";
import type { RosterPlan } from "../../core/plan";
import { renderPlan } from "../../core/plan-report";

const SCRIPT = path.resolve(__dirname, "../../.github/scripts/plan-comment.js");
const { commentBody } = require(SCRIPT) as { commentBody(plan: string, options: { fullPlanUrl: string; limit?: number }): string };
const URL = "https://github.com/example-org/roster/actions/runs/1";
const markdown = new MarkdownIt({ html: true, linkify: true });

const planned = (username: string, line: number) => ({
  username,
  file: "users/london/2026-08-intake.yaml",
  line,
  user: { username } as unknown as DeclaredUser,
});

function planWith(imports: number, disables = 1): RosterPlan {
  return {
    userPoolId: "eu-west-2_Plan00000",
    import: Array.from({ length: imports }, (_, i) => planned(`trainee.${String(i).padStart(4, "0")}@example.nhs.uk`, i + 2)),
    update: [],
    disable: Array.from({ length: disables }, (_, i) => planned(`leaver.${i}@example.nhs.uk`, 90000 + i)),
    enable: [],
    remove: [],
    unchanged: 40,
    memberships: {
      checked: 1,
      changes: [
        { action: "add", group: "kss-admins", username: "new.admin@example.nhs.uk", office: "kss", file: "users/kss/a.yaml", line: 3 },
      ],
    },
  };
}

const mode = "**Mode: data only.** The roster and the Pulumi program from main ran over this pull request's `users/` files.\n\n";

test("a plan that fits is posted whole", () => {
  const plan = mode + renderPlan(planWith(5), "markdown", { awsCalls: 7 });
  expect(commentBody(plan, { fullPlanUrl: URL })).toBe(`<!-- cognito-roster plan -->\n${plan}`);
});

test("1,200 imports and one disable: the disable, the grant and the summary stay; the cut is announced", () => {
  const plan = mode + renderPlan(planWith(1200), "markdown", { awsCalls: 7 });
  expect(plan.length).toBeGreaterThan(65536);
  const body = commentBody(plan, { fullPlanUrl: URL });
  expect(body.length).toBeLessThanOrEqual(65000);
  const html = markdown.render(body);
  const items = [...html.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]);
  expect(items[0]).toBe("<code>leaver.0@example.nhs.uk</code> (<code>users/london/2026-08-intake.yaml:90000</code>)");
  expect(items[1]).toContain("adds to <code>kss-admins</code>: <code>new.admin@example.nhs.uk</code>");
  expect(html).toContain("1200 to import, 0 to update, 1 to disable");
  // Said at the top, before any change, with the count of imports listed, and again where the list stops.
  const listed = items.filter((i) => i.includes("trainee.")).length;
  expect(listed).toBeGreaterThan(500);
  expect(listed).toBeLessThan(1200);
  const top = html.slice(0, html.indexOf("<li>"));
  expect(top).toContain(`This plan is too long for one comment:</strong> ${listed} of 1200 imports are listed below`);
  expect(top).toContain(`<a href="${URL}">job summary</a>`);
  expect(items.at(-1)).toContain(`… and ${1200 - listed} more imports, not listed here.`);
  // Nothing past the imports was dropped silently: the listed imports are the first ones, in order.
  expect(items.filter((i) => i.includes("trainee.")).at(-1)).toContain(`trainee.${String(listed - 1).padStart(4, "0")}@`);
});

test("when even the changes other than imports do not fit, the comment says it is cut and where", () => {
  const plan = renderPlan(planWith(10, 2000), "markdown", { awsCalls: 7 });
  const body = commentBody(plan, { fullPlanUrl: URL, limit: 20000 });
  expect(body.length).toBeLessThanOrEqual(20000);
  expect(body).toMatch(/^<!-- cognito-roster plan -->\n> \*\*This plan is too long for one comment, even without its imports:\*\*/);
  expect(body).toContain("2000 to disable");
  expect(body).toMatch(/> \*\*The plan is cut here.\*\* The whole plan is in the \[job summary\]\(https:[^)]+\)\.$/);
});
