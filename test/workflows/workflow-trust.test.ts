/**
 * The workflows read the way an attacker with write access to one office's folder would: no credentials for code a
 * pull request wrote without a maintainer's approval, no head checkout under pull_request_target, actions pinned,
 * read-only top-level permissions (rules in workflow-rules.ts). Each rule is also shown to fire on a bad workflow.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { credentials, workflowProblems, type Workflow } from "./workflow-rules";

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
      "roster-activation.yml:activation:roster",
      "roster-apply.yml:up:roster",
      "roster-pull-request-data.yml:plan-and-preview-data:roster-preview",
      "roster-pull-request.yml:plan-and-preview-code:roster-preview-approved",
      "roster-refresh.yml:refresh:roster",
    ]);
  });

  test("the data-only workflow runs main's code: its credentialed job checks out the base commit, then users/ only", () => {
    const { workflow } = load("roster-pull-request-data.yml");
    const job = workflow.jobs["plan-and-preview-data"];
    const checkout = job.steps.find((s: any) => String(s.uses).startsWith("actions/checkout@"));
    expect(checkout.with.ref).toBe("${{ needs.mode.outputs.base }}");
    const takeUsers = job.steps.find((s: any) => s.name === "take users/ from the pull request").run as string;
    expect(takeUsers).toMatch(/git checkout "\$MERGE_SHA" -- users\/$/m);
    expect(takeUsers).toMatch(/find users ! -type f ! -type d/);
  });
});

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
      { pull_request_target: {} },
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
});
