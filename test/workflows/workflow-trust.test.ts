/**
 * The workflows read the way an attacker with write access to one office's folder would: no credentials for code a
 * pull request wrote without a maintainer's approval, no head checkout under pull_request_target, actions pinned,
 * read-only top-level permissions (rules in workflow-rules.ts). Each rule is also shown to fire on a bad workflow.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { fileNameProblem, folderNameProblem } from "../../core/portable-names";
import { credentials, repositoryProblems, workflowProblems, type Workflow } from "./workflow-rules";

const ROOT = path.resolve(__dirname, "../..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

function load(file: string): { workflow: Workflow; text: string } {
  const text = readFileSync(path.join(WORKFLOWS, file), "utf8");
  return { workflow: parse(text) as Workflow, text };
}

describe("the repository's workflows", () => {
  test.each(files)("%s breaks no trust rule", (file) => {
    const { workflow, text } = load(file);
    expect(workflowProblems(workflow, text)).toEqual([]);
  });

  test("a credentialed job exists for each kind of pull request, and each is gated", () => {
    const gated: string[] = [];
    for (const file of files) {
      const { workflow } = load(file);
      for (const [id, job] of Object.entries<any>(workflow.jobs)) {
        if (credentials(workflow, job).length > 0) gated.push(`${file}:${id}:${job.environment}`);
      }
    }
    expect(gated.sort()).toEqual([
      "roster-activation.yml:activation:roster-report",
      "roster-apply.yml:up:roster",
      "roster-group-approvals.yml:decide:undefined",
      "roster-pull-request-data.yml:plan-and-preview-data:roster-preview",
      "roster-pull-request.yml:plan-and-preview-code:roster-preview-approved",
    ]);
  });

  test("the data-only workflow runs main's current code: the merge's base must be main now, then users/ only", () => {
    const { workflow } = load("roster-pull-request-data.yml");
    const job = workflow.jobs["plan-and-preview-data"];
    const checkout = job.steps.find((s: any) => String(s.uses).startsWith("actions/checkout@"));
    expect(checkout.with).toEqual({ "persist-credentials": false });
    const decide = workflow.jobs.mode.steps.find((s: any) => s.id === "mode").run as string;
    expect(decide).toContain('if [ "$base" != "$GITHUB_SHA" ]; then');
    expect(decide).toMatch(/case "\$mode" in data \| code\) ;; \*\) .*exit 1 ;; esac/);
    expect(job.steps.find((s: any) => s.name === "take users/ from the pull request").run).toContain(
      'if [ "$(git rev-parse HEAD)" != "$BASE_SHA" ]; then',
    );
    const takeUsers = job.steps.find((s: any) => s.name === "take users/ from the pull request").run as string;
    expect(takeUsers).toMatch(/git checkout "\$MERGE_SHA" -- users\/$/m);
    expect(takeUsers).toMatch(/find users ! -type f ! -type d/);
  });
});

/** The `paths` filter of one trigger of a workflow. */
function triggerPaths(workflow: Workflow, event: string): string[] {
  return workflow.on?.[event]?.paths ?? [];
}

/** A minimal workflow with one job, for showing that each rule fires. */
function workflowWith(
  on: unknown,
  job: Record<string, unknown>,
  permissions: unknown = { contents: "read" },
): { workflow: Workflow; text: string } {
  const workflow = { name: "t", on, permissions, jobs: { j: { "runs-on": "ubuntu-latest", ...job } } };
  return { workflow, text: "" };
}
const PIN = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1";
const AWS = { uses: "aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c", with: { "role-to-assume": "x" } };

describe("each rule fires on a bad workflow", () => {
  test("pull_request code with id-token, AWS credentials or a secret, and no approval gate", () => {
    const cases = [
      { permissions: { "id-token": "write" }, steps: [{ run: "npm ci" }] },
      { steps: [{ uses: PIN }, AWS] },
      { env: { P: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}" }, steps: [{ run: "npm test" }] },
    ];
    for (const job of cases) {
      const { workflow, text } = workflowWith({ pull_request: {} }, job);
      expect(workflowProblems(workflow, text).join("\n")).toMatch(/runs the pull request's own code .* no approval gate/);
    }
    // GITHUB_TOKEN alone is not a credential this rule is about.
    const { workflow } = workflowWith("pull_request", { steps: [{ run: "echo ${{ secrets.GITHUB_TOKEN }}" }] });
    expect(workflowProblems(workflow, "")).toEqual([]);
  });

  test("the approval environment is the gate; the apply environment is never reachable from a pull request", () => {
    const gated = workflowWith("pull_request", { environment: "roster-preview-approved", permissions: { "id-token": "write" }, steps: [] });
    expect(workflowProblems(gated.workflow, "")).toEqual([]);
    const apply = workflowWith("pull_request", { environment: "roster", permissions: { "id-token": "write" }, steps: [] });
    expect(workflowProblems(apply.workflow, "").join("\n")).toMatch(/environment roster is not for pull_request runs/);
  });

  test("pull_request_target checking out or running head code", () => {
    const heads = [
      { uses: PIN, with: { ref: "${{ github.event.pull_request.head.sha }}" } },
      { uses: PIN, with: { ref: "refs/pull/${{ github.event.number }}/merge" } },
      { uses: PIN, with: { "allow-unsafe-pr-checkout": true } },
      { run: 'git fetch origin "$HEAD" && git checkout "$HEAD"' },
      { run: "gh pr checkout 12" },
      { run: 'git checkout "$MERGE" -- .' },
      { uses: "./.github/actions/local" },
    ];
    for (const step of heads) {
      const { workflow } = workflowWith({ pull_request_target: {} }, { steps: [step] });
      expect(workflowProblems(workflow, "").join("\n")).toMatch(/pull_request_target checks out or runs head code/);
    }
    const usersOnly = workflowWith(
      { pull_request_target: { branches: ["main"] } },
      { steps: [{ run: 'git merge-base --is-ancestor a b\ngit checkout "$MERGE_SHA" -- users/' }] },
    );
    expect(workflowProblems(usersOnly.workflow, "")).toEqual([]);
  });

  test("an action not pinned to a commit SHA, or pinned without its version", () => {
    const text = ["steps:", "  - uses: actions/checkout@v4.2.2", `  - uses: ${PIN}`, `  - uses: ${PIN} # v7.0.1`, "  - uses: ./local"].join(
      "\n",
    );
    const { workflow } = workflowWith("push", {});
    expect(workflowProblems(workflow, text)).toEqual([
      "line 2: actions/checkout@v4.2.2 is not pinned to a full commit SHA",
      `line 3: ${PIN} has no "# vX.Y.Z" version comment`,
    ]);
  });

  test("top-level permissions that are not read-only, or missing", () => {
    expect(workflowProblems(workflowWith("push", {}, { contents: "read", "id-token": "write" }).workflow, "")).toEqual([
      "top-level permission id-token: write (widen it in the job that needs it)",
    ]);
    expect(workflowProblems(workflowWith("push", {}, "write-all").workflow, "")).toEqual([
      'top-level permissions "write-all" are not read-only',
    ]);
    const { permissions: _none, ...noPermissions } = workflowWith("push", {}).workflow;
    expect(workflowProblems(noPermissions, "")[0]).toMatch(/no top-level permissions/);
  });

  test("a dependency cache in a credentialed job", () => {
    const { workflow } = workflowWith("push", {
      environment: "roster",
      permissions: { "id-token": "write" },
      steps: [{ uses: "actions/setup-node@x", with: { cache: "npm" } }],
    });
    expect(workflowProblems(workflow, "").join("\n")).toMatch(/restores a cache/);
  });
});

describe("issue 17's rules fire on a bad workflow", () => {
  const CHECKOUT = { uses: PIN, with: { "persist-credentials": false } };
  const problems = (on: unknown, job: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const { workflow } = workflowWith(on, job);
    return workflowProblems({ ...workflow, ...extra }, "").join("\n");
  };

  test("pull_request_target for any branch, or checking out anything but main's current commit", () => {
    expect(problems({ pull_request_target: {} }, { steps: [CHECKOUT] })).toMatch(/without `branches: \[main\]`/);
    expect(problems({ pull_request_target: { branches: ["release"] } }, { steps: [CHECKOUT] })).toMatch(/without `branches: \[main\]`/);
    const base = { uses: PIN, with: { ref: "${{ needs.mode.outputs.base }}", "persist-credentials": false } };
    expect(problems({ pull_request_target: { branches: ["main"] } }, { steps: [base] })).toMatch(
      /checks out ref .* not main's current commit/,
    );
    expect(problems({ pull_request_target: { branches: ["main"] } }, { steps: [CHECKOUT] })).toBe("");
  });

  test("dependency install scripts: npm ci / npm install / yarn / pnpm without --ignore-scripts", () => {
    for (const run of ["npm ci", "npm ci --no-audit", "npm install", "npm i left-pad", "yarn install", "pnpm install"])
      expect(problems("push", { steps: [{ run }] })).toMatch(/without --ignore-scripts/);
    expect(problems("push", { steps: [{ run: "npm ci --ignore-scripts --no-audit\nnpm run build" }] })).toBe("");
  });

  test("a secret in the workflow's or the job's env, or given to a step that runs no Pulumi", () => {
    const secret = "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}";
    expect(problems("push", { steps: [] }, { env: { P: secret } })).toMatch(/workflow env holds secret PULUMI_CONFIG_PASSPHRASE/);
    expect(problems("push", { env: { P: secret }, steps: [] })).toMatch(/job env holds secret PULUMI_CONFIG_PASSPHRASE/);
    expect(problems("push", { steps: [{ name: "cognito-roster plan", run: "npx cognito-roster plan", env: { P: secret } }] })).toMatch(
      /step cognito-roster plan gets secret PULUMI_CONFIG_PASSPHRASE, which it does not use/,
    );
    const pulumiSteps = [
      { run: 'pulumi stack export --stack "$STACK"', env: { P: secret } },
      { uses: "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d", env: { P: secret } },
    ];
    expect(problems("push", { steps: pulumiSteps })).toBe("");
  });

  test("a checkout that leaves its token in .git/config", () => {
    expect(problems("push", { steps: [{ uses: PIN }] })).toMatch(/without persist-credentials: false/);
    expect(problems("push", { steps: [{ uses: PIN, with: { "persist-credentials": true } }] })).toMatch(
      /without persist-credentials: false/,
    );
  });

  const apply = (extra: Record<string, unknown> = {}, up: Record<string, unknown> = {}) => ({
    name: "apply",
    on: { push: {}, schedule: [{ cron: "0 * * * *" }] },
    permissions: { contents: "read" },
    concurrency: { group: "roster-apply-dev", "cancel-in-progress": false },
    jobs: { up: { environment: "roster", steps: [{ uses: "pulumi/actions@x", with: { command: "up" }, ...up }] } },
    ...extra,
  });

  test("the apply's concurrency group: its own, never cancelling; no other workflow may name it", () => {
    expect(repositoryProblems({ "a.yml": apply() })).toEqual([]);
    expect(repositoryProblems({ "a.yml": apply({ concurrency: { group: "roster-stack-dev", "cancel-in-progress": false } }) })[0]).toMatch(
      /needs a workflow-level concurrency group roster-apply-/,
    );
    expect(repositoryProblems({ "a.yml": apply({ concurrency: { group: "roster-apply-dev", "cancel-in-progress": true } }) })[0]).toMatch(
      /cancel-in-progress: false/,
    );
    const other = { on: "pull_request", concurrency: { group: "roster-apply-dev", "cancel-in-progress": true }, jobs: {} };
    expect(repositoryProblems({ "a.yml": apply(), "pr.yml": other })).toEqual([
      "pr.yml: concurrency group roster-apply-dev could cancel or replace a pending apply",
    ]);
    const jobLevel = { on: "schedule", jobs: { x: { concurrency: "roster-apply-${{ vars.PULUMI_STACK }}" } } };
    expect(repositoryProblems({ "a.yml": apply(), "r.yml": jobLevel })[0]).toMatch(/r.yml: concurrency group roster-apply-/);
  });

  test("the apply catches up on a schedule, with an unconditional pulumi up", () => {
    expect(repositoryProblems({ "a.yml": apply({ on: { push: {} } }) })).toEqual([
      "a.yml: no schedule: a run that failed or was cancelled is never caught up",
    ]);
    expect(repositoryProblems({ "a.yml": apply({}, { if: "github.event_name == 'push'" }) })[0]).toMatch(/must run on every trigger/);
  });
});

describe("the repository's workflows, together", () => {
  const all = Object.fromEntries(files.map((f) => [f, load(f).workflow]));

  test("one apply, with its own concurrency group and a schedule", () => {
    expect(repositoryProblems(all)).toEqual([]);
  });

  test("a GitHub job runs the workflow and IAM tests on every pull request that touches them, without credentials", () => {
    const { workflow } = load("roster-rules.yml");
    expect(triggerPaths(workflow, "pull_request")).toEqual(
      expect.arrayContaining([".github/**", "docs/iam/**", "test/workflows/**", "test/iam/**", "aws/**", "package-lock.json"]),
    );
    const job = workflow.jobs.rules;
    expect(job.steps.map((s: any) => s.run).filter(Boolean)).toContain("npx jest test/workflows test/iam");
    expect(credentials(workflow, job)).toEqual([]);
  });
});

describe(".github/scripts/pull-request-mode.sh", () => {
  const SCRIPT = path.join(ROOT, ".github", "scripts", "pull-request-mode.sh");
  let repo: string;
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: repo,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@example.com",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@example.com",
      },
    }).trim();
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), text);
  };
  const commit = () => {
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "-m", "c");
    return git("rev-parse", "HEAD");
  };
  const mode = (base: string, head: string) =>
    execFileSync("bash", [SCRIPT, base, head], { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

  beforeEach(() => {
    repo = mkdtempSync(path.join(tmpdir(), "roster-mode-"));
    git("init", "-q");
    write("users/kss/a.yaml", "users: []\n");
    write("cli/plan-command.ts", "// code\n");
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  test("users files added, changed or removed: data", () => {
    const base = commit();
    write("users/kss/b.yaml", "users: []\n");
    rmSync(path.join(repo, "users/kss/a.yaml"));
    expect(mode(base, commit())).toBe("data");
  });

  test("anything outside users/: code", () => {
    const base = commit();
    write("users/kss/b.yaml", "users: []\n");
    write("cli/plan-command.ts", "// changed\n");
    expect(mode(base, commit())).toBe("code");
  });

  test("a symlink under users/: code", () => {
    const base = commit();
    symlinkSync("../../Pulumi.dev.yaml", path.join(repo, "users/kss/link.yaml"));
    expect(mode(base, commit())).toBe("code");
  });

  test("only portable users files are data: any other file under users/ is code", () => {
    for (const file of ["users/kss/x.js", "users/.npmrc", "users/kss/.gitattributes", "users/package.json", "users/kss/A.yaml"]) {
      const base = commit();
      write(file, "# x\n");
      expect([file, mode(base, commit())]).toEqual([file, "code"]);
      rmSync(path.join(repo, file));
      commit();
    }
  });

  test("a path with a line break or a workflow command is code, and is printed on one line that is not a command", () => {
    const base = commit();
    write("users/kss/a\n::add-mask::x.yaml", "users: []\n");
    const result = spawnSync("bash", [SCRIPT, base, commit()], { cwd: repo, encoding: "utf8" });
    expect(result.stdout.trim()).toBe("code");
    for (const line of result.stderr.split("\n")) expect(line).not.toMatch(/^\s*::/);
    expect(result.stderr).toContain("$'users/kss/a\\n::add-mask::x.yaml'");
  });

  test("fails closed: a commit it cannot read gives no mode and a non-zero exit", () => {
    const base = commit();
    const result = spawnSync("bash", [SCRIPT, base, "0123456789abcdef0123456789abcdef01234567"], { cwd: repo, encoding: "utf8" });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe("");
  });

  test("agrees with validate's rule (core/portable-names.ts) on every name", () => {
    const names = [
      "kss/a.yaml",
      "north-west/2026-08_intake.v2.yml",
      "Kss/a.yaml",
      "kss--x/a.yaml",
      "-kss/a.yaml",
      "kss/.a.yaml",
      "kss/a.YAML",
      "kss/a b.yaml",
      "kss/a\u202e.yaml",
      "kss/deep/a.yaml",
      "kss/a..yaml",
      `kss/${"a".repeat(96)}.yaml`,
      `kss/${"a".repeat(97)}.yaml`,
      `${"k".repeat(63)}/a.yaml`,
      `${"k".repeat(64)}/a.yaml`,
      "a.yml",
    ];
    for (const name of names) {
      const base = commit();
      write(`users/${name}`, "users: []\n");
      const parts = name.split("/");
      const validates =
        parts.slice(0, -1).every((f) => folderNameProblem(f) === undefined) && fileNameProblem(parts.at(-1) as string) === undefined;
      expect([name, mode(base, commit())]).toEqual([name, validates ? "data" : "code"]);
      rmSync(path.join(repo, "users", parts[0]), { recursive: true });
      write("users/kss/a.yaml", "users: []\n");
      commit();
    }
  });
});
