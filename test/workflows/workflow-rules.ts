/**
 * The trust rules for GitHub Actions workflows, as pure functions over a parsed workflow (and its text, for the
 * version comments YAML parsing drops). test/workflows/workflow-trust.test.ts applies them to .github/workflows/ and
 * to deliberately bad workflows, so each rule is shown to fire.
 *
 * The rules (issue 13): a job that receives AWS credentials, `id-token: write` or a secret other than GITHUB_TOKEN
 * never runs a pull request's code without an approval gate; `pull_request_target` never checks out or runs head
 * code; every third-party action is pinned to a full commit SHA with its version in a comment; top-level
 * `permissions` are read-only (issue 17:) `pull_request_target` only for pull requests into main, checking out main's
 * current commit (no `ref`); no dependency install scripts (`npm ci --ignore-scripts`); secrets only on the steps
 * that run Pulumi; `persist-credentials: false` on every checkout; the apply's concurrency group is its own, and a
 * schedule catches anything merged but not applied (repositoryProblems). It does not judge repository settings (reviewers on an environment): the
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
  // Read-only reports on a schedule (cognito-roster activation), with the preview role: deployment branch main only.
  "roster-report": { approval: false, triggers: ["schedule", "workflow_dispatch"] },
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

/** Every actions/checkout leaves no token in .git/config. */
function persistedCredentials(job: Job): string[] {
  return steps(job)
    .filter((s) => usesAction(s, "actions/checkout") && String(s.with?.["persist-credentials"]) !== "false")
    .map(() => "actions/checkout without persist-credentials: false");
}

/** A package install that would run dependencies' install scripts (preinstall, install, postinstall, prepare). */
function installScripts(job: Job): string[] {
  const found: string[] = [];
  for (const step of steps(job)) {
    if (typeof step.run !== "string") continue;
    for (const m of step.run.matchAll(/\b(?:npm\s+(?:ci|install|i)|yarn(?:\s+install)?|pnpm\s+(?:install|i))\b[^\n;&|]*/g)) {
      if (!/--ignore-scripts\b/.test(m[0])) found.push(`runs \`${m[0].trim()}\` without --ignore-scripts`);
    }
  }
  return found;
}

/** A step that runs Pulumi: the only kind that may see the state passphrase. */
function runsPulumi(step: Step): boolean {
  return usesAction(step, "pulumi/actions") || (typeof step.run === "string" && /(^|\s)pulumi\s/m.test(step.run));
}

/** The steps each secret is for; any other step that gets it is a problem. */
const SECRET_USES: Record<string, (step: Step) => boolean> = {
  PULUMI_CONFIG_PASSPHRASE: runsPulumi,
  // Reads the approvers teams' members for the group approvals check (.github/scripts/group-approvals.js).
  ROSTER_TEAMS_TOKEN: (step) => usesAction(step, "actions/github-script") && String(step.with?.script).includes("group-approvals.js"),
};

function secretNames(value: unknown): string[] {
  const text = JSON.stringify(value ?? {});
  return [...text.matchAll(/secrets\s*\.\s*([A-Za-z0-9_]+)|secrets\s*\[\s*'([^']+)'\s*\]/g)]
    .map((m) => m[1] ?? m[2])
    .filter((n) => n !== "GITHUB_TOKEN");
}

/** Secrets (other than GITHUB_TOKEN) only in the env or inputs of a step that runs Pulumi; never workflow- or job-wide. */
function secretScope(workflow: Workflow, id: string, job: Job): string[] {
  const found: string[] = [];
  for (const name of secretNames(workflow.env)) found.push(`workflow env holds secret ${name} (give it to the steps that use it)`);
  for (const name of secretNames(job.env)) found.push(`job ${id}: job env holds secret ${name} (give it to the steps that use it)`);
  for (const [i, step] of steps(job).entries()) {
    for (const name of secretNames(step))
      if (!SECRET_USES[name]?.(step)) found.push(`job ${id}: step ${step.name ?? i + 1} gets secret ${name}, which it does not use`);
  }
  return found;
}

/** pull_request_target only for pull requests into main, and its checkouts are main's current commit (no ref). */
function pullRequestTargetScope(workflow: Workflow, events: string[]): string[] {
  if (!events.includes("pull_request_target")) return [];
  const found: string[] = [];
  const on = workflow.on ?? {};
  const branches = typeof on === "object" && !Array.isArray(on) ? on.pull_request_target?.branches : undefined;
  if (JSON.stringify(branches) !== JSON.stringify(["main"]))
    found.push("pull_request_target without `branches: [main]`: a pull request into another branch would run that branch's code");
  for (const [id, job] of Object.entries<Job>(workflow.jobs ?? {})) {
    for (const step of steps(job).filter((s) => usesAction(s, "actions/checkout") && s.with?.ref !== undefined))
      found.push(`job ${id}: pull_request_target checks out ref ${step.with.ref}, not main's current commit`);
  }
  return found;
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
    for (const how of [...persistedCredentials(job), ...installScripts(job)]) problems.push(`job ${id}: ${how}`);
    problems.push(...secretScope(workflow, id, job));
  }
  problems.push(...pullRequestTargetScope(workflow, events));
  return [...new Set(problems)];
}

const APPLY_GROUP = /^roster-apply-/;

function concurrencyGroups(workflow: Workflow): string[] {
  const of = (c: unknown) => (typeof c === "string" ? c : typeof c === "object" && c !== null ? String((c as Job).group ?? "") : "");
  return [of(workflow.concurrency), ...Object.values<Job>(workflow.jobs ?? {}).map((j) => of(j.concurrency))].filter(Boolean);
}

/**
 * Rules across the repository's workflows: the apply (the workflow whose jobs use the `roster` environment) has a
 * workflow-level concurrency group of its own that never cancels, which no other workflow names, so no other run can
 * cancel or replace a pending apply; and it runs on a schedule with an unconditional `pulumi up`, so anything merged
 * but not applied is applied later.
 */
export function repositoryProblems(workflows: Record<string, Workflow>): string[] {
  const problems: string[] = [];
  const applies = Object.entries(workflows).filter(([, w]) =>
    Object.values<Job>(w.jobs ?? {}).some((j) => environmentName(j) === "roster"),
  );
  if (applies.length !== 1) problems.push(`expected one apply workflow (jobs in the roster environment), found ${applies.length}`);
  for (const [file, workflow] of applies) {
    const c = workflow.concurrency;
    if (typeof c !== "object" || c === null || !APPLY_GROUP.test(String(c.group)) || c["cancel-in-progress"] !== false)
      problems.push(`${file}: the apply needs a workflow-level concurrency group roster-apply-… with cancel-in-progress: false`);
    if (!triggers(workflow).includes("schedule"))
      problems.push(`${file}: no schedule: a run that failed or was cancelled is never caught up`);
    const ups = Object.values<Job>(workflow.jobs ?? {}).flatMap((j) =>
      steps(j).filter((s) => usesAction(s, "pulumi/actions") && s.with?.command === "up"),
    );
    if (ups.length === 0 || ups.some((s) => s.if !== undefined)) problems.push(`${file}: \`pulumi up\` must run on every trigger (no if:)`);
  }
  for (const [file, workflow] of Object.entries(workflows)) {
    if (applies.some(([f]) => f === file)) continue;
    for (const group of concurrencyGroups(workflow))
      if (/roster-apply/.test(group)) problems.push(`${file}: concurrency group ${group} could cancel or replace a pending apply`);
  }
  return problems;
}
