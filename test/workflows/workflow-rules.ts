/**
 * The trust rules for GitHub Actions workflows, as pure functions over a parsed workflow (and its text, for the
 * version comments YAML parsing drops). test/workflows/workflow-trust.test.ts applies them to .github/workflows/ and
 * to deliberately bad workflows, so each rule is shown to fire.
 *
 * The rules (issue 13): a job that receives AWS credentials, `id-token: write` or a secret other than GITHUB_TOKEN
 * never runs a pull request's code without an approval gate; `pull_request_target` never checks out or runs head
 * code; every third-party action is pinned to a full commit SHA with its version in a comment; top-level
 * `permissions` are read-only. It does not judge repository settings (reviewers on an environment): the
 * environments table below is what docs/running-for-real.md tells maintainers to configure.
 */

export type Workflow = Record<string, any>;
type Job = Record<string, any>;
type Step = Record<string, any>;

/** Environments and what they are for; their protection rules live in the repository settings (see the docs). */
const ENVIRONMENTS: Record<string, { approval: boolean; triggers: readonly string[] }> = {
  // Apply and refresh: deployment branch main only.
  roster: { approval: false, triggers: ["push", "schedule", "workflow_dispatch"] },
  // Data-only previews, reviewed code only: deployment branch main only, so only pull_request_target reaches it.
  "roster-preview": { approval: false, triggers: ["pull_request_target"] },
  // A pull request's own code with the preview role: required reviewers.
  "roster-preview-approved": { approval: true, triggers: ["pull_request"] },
};

/** Events whose workflow file and code come from the pull request itself. */
const PR_CODE_EVENTS = ["pull_request", "pull_request_review", "pull_request_review_comment", "merge_group"];
/** Events that run the default branch's workflow with the base repository's secrets, for a pull request. */
const PR_TRUSTED_CONTEXT_EVENTS = ["pull_request_target", "workflow_run", "issue_comment"];

function triggers(workflow: Workflow): string[] {
  const on = workflow.on ?? workflow[true as unknown as string];
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  return Object.keys(on ?? {});
}

function jobPermissions(workflow: Workflow, job: Job): unknown {
  return job.permissions !== undefined ? job.permissions : workflow.permissions;
}

function grantsIdToken(permissions: unknown): boolean {
  if (permissions === "write-all") return true;
  return typeof permissions === "object" && permissions !== null && (permissions as Record<string, string>)["id-token"] === "write";
}

/** Secrets a job can read, other than GITHUB_TOKEN (workflow-level env counts for every job). */
function secretsUsed(workflow: Workflow, job: Job): string[] {
  const text = JSON.stringify([workflow.env ?? {}, job]);
  const names = [...text.matchAll(/secrets\s*\.\s*([A-Za-z0-9_]+)|secrets\s*\[\s*'([^']+)'\s*\]/g)].map((m) => m[1] ?? m[2]);
  if (job.secrets === "inherit") names.push("(inherit)");
  return [...new Set(names.filter((n) => n !== "GITHUB_TOKEN"))];
}

function steps(job: Job): Step[] {
  return Array.isArray(job.steps) ? job.steps : [];
}

function usesAction(step: Step, action: string): boolean {
  return typeof step.uses === "string" && step.uses.toLowerCase().startsWith(`${action}@`);
}

/** Why a job holds credentials, or an empty list. */
export function credentials(workflow: Workflow, job: Job): string[] {
  const why: string[] = [];
  if (grantsIdToken(jobPermissions(workflow, job))) why.push("id-token: write");
  if (steps(job).some((s) => usesAction(s, "aws-actions/configure-aws-credentials"))) why.push("AWS credentials");
  for (const name of secretsUsed(workflow, job)) why.push(`secret ${name}`);
  return why;
}

function environmentName(job: Job): string | undefined {
  if (typeof job.environment === "string") return job.environment;
  if (job.environment && typeof job.environment.name === "string") return job.environment.name;
  return undefined;
}

const HEAD_REF = /github\.event\.pull_request\.head|github\.head_ref|refs\/pull\/|\.merge_commit_sha|github\.event\.workflow_run\.head/;
/** git commands that put another commit's files in the work tree, other than a copy limited to users/. */
const GIT_SWITCHES =
  /\bgit\s+(?:-C\s+\S+\s+)?(checkout|switch|reset|restore|worktree|pull|merge|rebase|cherry-pick|am|apply|read-tree)(?![-\w])([^\n;&|]*)/g;

/** In a job of a trusted-context event: ways the job could check out or run the pull request's code. */
function headCodeIn(job: Job): string[] {
  const found: string[] = [];
  for (const step of steps(job)) {
    if (usesAction(step, "actions/checkout")) {
      const withs = step.with ?? {};
      for (const key of ["ref", "repository"]) {
        if (typeof withs[key] === "string" && HEAD_REF.test(withs[key])) found.push(`actions/checkout ${key}: ${withs[key]}`);
      }
      if (String(withs["allow-unsafe-pr-checkout"]) === "true") found.push("actions/checkout allow-unsafe-pr-checkout");
    }
    if (typeof step.run === "string") {
      for (const m of step.run.matchAll(GIT_SWITCHES)) {
        const [command, verb, rest] = m;
        const usersOnly = verb === "checkout" && /\s--\s+users\/?\s*$/.test(rest);
        if (!usersOnly) found.push(`runs \`${command.trim()}\``);
      }
      if (/\bgh\s+pr\s+checkout\b/.test(step.run)) found.push("runs `gh pr checkout`");
    }
    if (typeof step.uses === "string" && step.uses.startsWith("./")) found.push(`uses a local action ${step.uses}`);
  }
  return found;
}

/** A dependency cache restored into a job with credentials could carry what an unreviewed job wrote. */
function cacheIn(job: Job): string[] {
  const found: string[] = [];
  for (const step of steps(job)) {
    if (usesAction(step, "actions/cache") || usesAction(step, "actions/cache/restore")) found.push(step.uses);
    if (usesAction(step, "actions/setup-node")) {
      const withs = step.with ?? {};
      if (withs.cache !== undefined || String(withs["package-manager-cache"]) !== "false") found.push("actions/setup-node with a cache");
    }
  }
  return found;
}

function topLevelPermissionProblems(workflow: Workflow): string[] {
  const p = workflow.permissions;
  if (p === undefined) return ["no top-level permissions (the repository default may be read/write)"];
  if (p === "read-all" || (typeof p === "object" && p !== null && Object.keys(p).length === 0)) return [];
  if (typeof p !== "object" || p === null) return [`top-level permissions ${JSON.stringify(p)} are not read-only`];
  return Object.entries(p)
    .filter(([, level]) => level !== "read" && level !== "none")
    .map(([scope, level]) => `top-level permission ${scope}: ${level} (widen it in the job that needs it)`);
}

const PINNED = /^[^@\s]+@[0-9a-f]{40}$/;

/** Every `uses:` of a third-party action is a full commit SHA followed by a `# v…` comment on the same line. */
function pinningProblems(text: string): string[] {
  const problems: string[] = [];
  text.split("\n").forEach((line, index) => {
    const m = /^\s*(?:-\s+)?uses:\s*["']?([^"'\s#]+)["']?\s*(#.*)?$/.exec(line);
    if (!m) return;
    const [, ref, comment] = m;
    if (ref.startsWith("./") || ref.startsWith("docker://")) return;
    if (!PINNED.test(ref)) problems.push(`line ${index + 1}: ${ref} is not pinned to a full commit SHA`);
    else if (!comment || !/#\s*v\d/.test(comment)) problems.push(`line ${index + 1}: ${ref} has no "# vX.Y.Z" version comment`);
  });
  return problems;
}

/** Every problem in one workflow, each naming the job where there is one. */
export function workflowProblems(workflow: Workflow, text: string): string[] {
  const problems = [...topLevelPermissionProblems(workflow), ...pinningProblems(text)];
  const events = triggers(workflow);
  const prCode = events.filter((e) => PR_CODE_EVENTS.includes(e));
  const trustedContext = events.filter((e) => PR_TRUSTED_CONTEXT_EVENTS.includes(e));

  for (const [id, job] of Object.entries<Job>(workflow.jobs ?? {})) {
    const creds = credentials(workflow, job);
    const env = environmentName(job);
    const envRule = env === undefined ? undefined : ENVIRONMENTS[env];

    if (env !== undefined) {
      if (envRule === undefined) problems.push(`job ${id}: environment ${env} is not one the docs describe`);
      else
        for (const e of events.filter((x) => !envRule.triggers.includes(x)))
          problems.push(`job ${id}: environment ${env} is not for ${e} runs`);
    }
    if (creds.length > 0 && prCode.length > 0 && !envRule?.approval) {
      problems.push(`job ${id}: runs the pull request's own code (${prCode.join(", ")}) with ${creds.join(", ")} and no approval gate`);
    }
    if (trustedContext.length > 0) {
      for (const how of headCodeIn(job)) problems.push(`job ${id}: ${trustedContext.join(", ")} checks out or runs head code: ${how}`);
    }
    if (creds.length > 0)
      for (const cache of cacheIn(job)) problems.push(`job ${id}: has ${creds.join(", ")} and restores a cache (${cache})`);
  }
  return problems;
}
