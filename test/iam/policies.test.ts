/**
 * docs/iam/ against the code (issue 10.8): every AWS action the product can send is granted to the role that sends
 * it, and nothing else is. The list is derived from the code, so it stays truthful as commands are added:
 *   - every AWS SDK `…Command` and `paginate…` paginator imported by product code (not emulator/, test/, bench/), as
 *     `<service>:<Operation>` (the paginator `paginateListUsers` sends ListUsers);
 *   - every @pulumi/aws resource and function the program uses, through the Terraform AWS provider's calls for it;
 *   - iam:PassRole for the logs role, because CreateUserImportJob passes it to Cognito;
 *   - the state backend's S3 actions (Pulumi's DIY backend: preview only reads, `up` also writes history/backups/locks).
 * The preview role holds only what `cognito-roster plan` sends: the commands of the port methods (aws/ports.ts) the
 * plan's readers call, through the aws/ function each method is bound to — read-only by construction (the plan takes
 * read ports only), and checked to be.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { parse } from "yaml";
import { importLogsPermissionsPolicy, importLogsTrustPolicy } from "../support/logs-role-policy";

const ROOT = path.resolve(__dirname, "../..");
const IAM = path.join(ROOT, "docs", "iam");
const PRODUCT_DIRS = ["aws", "cli", "core", "engine", "providers", "program"];
/** Sends only to the local emulator (`cognito-roster emulator` / `npm start` create the dev pool there), never to AWS. */
const EMULATOR_ONLY = new Set(["cli/emulator-pool.ts"]);
const SERVICE_PREFIX: Record<string, string> = {
  "client-cognito-identity-provider": "cognito-idp",
  "client-cloudwatch-logs": "logs",
  "client-sts": "sts",
  "client-s3": "s3",
  "client-iam": "iam",
  "client-sesv2": "ses",
  "client-sns": "sns",
};
/**
 * Account-level reads that no resource can narrow: the Service Authorization Reference lists no resource type for
 * ses:GetAccount, sns:GetSMSSandboxAccountStatus or sns:GetSMSAttributes, so a statement granting them must name
 * "*" (the plan's messaging capacity, engine/observe-messaging.ts). Only these may.
 */
const ACCOUNT_LEVEL_READS = new Set(["ses:GetAccount", "sns:GetSMSAttributes", "sns:GetSMSSandboxAccountStatus"]);
/** Needs no IAM permission (AWS: "No permissions are required to perform this operation"). */
const NO_GRANT_NEEDED = new Set(["sts:GetCallerIdentity"]);

/**
 * What the Terraform AWS provider (behind @pulumi/aws) calls for each resource the program declares, over its whole
 * life: create (tags are sent with CreateRole, which needs iam:TagRole), read (GetRole, and the inline and attached
 * policy lists it reads back), update, delete (instance profiles and policies are detached first).
 */
const PULUMI_OPERATIONS: Record<string, string[]> = {
  "iam.Role": [
    "iam:CreateRole",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:GetRole",
    "iam:ListRolePolicies",
    "iam:ListAttachedRolePolicies",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
    "iam:UpdateAssumeRolePolicy",
    "iam:ListInstanceProfilesForRole",
    "iam:DeleteRolePolicy",
    "iam:DeleteRole",
  ],
  "iam.RolePolicy": ["iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"],
  getCallerIdentity: ["sts:GetCallerIdentity"],
  // aws_cognito_user_group: create, read, update. Never DeleteGroup: the program retains groups (retainOnDelete).
  "cognito.UserGroup": ["cognito-idp:CreateGroup", "cognito-idp:GetGroup", "cognito-idp:UpdateGroup"],
};
const STATE_READ = ["s3:GetObject", "s3:ListBucket"];
const STATE_WRITE = ["s3:PutObject", "s3:DeleteObject"];

function productFiles(): string[] {
  const out = ["index.ts"];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(ROOT, dir))) {
      const rel = `${dir}/${name}`;
      if (statSync(path.join(ROOT, rel)).isDirectory()) walk(rel);
      else if (rel.endsWith(".ts") && !rel.endsWith(".d.ts") && !EMULATOR_ONLY.has(rel)) out.push(rel);
    }
  };
  PRODUCT_DIRS.forEach(walk);
  return out;
}

/**
 * `<prefix>:<Operation>` for each SDK command or paginator a source text imports as a value (type-only imports send
 * nothing). A paginator (`paginateListUsers`) sends its operation, page after page.
 */
function sdkActions(text: string): string[] {
  const actions: string[] = [];
  for (const m of text.matchAll(/import\s*(type\s+)?\{([^}]*)\}\s*from\s*["']@aws-sdk\/([^"']+)["']/g)) {
    const [, typeOnly, names, client] = m;
    if (typeOnly) continue;
    const prefix = SERVICE_PREFIX[client];
    for (const raw of names
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean)) {
      if (raw.startsWith("type ")) continue;
      const name = raw.split(/\s+as\s+/)[0];
      const operation = /^([A-Z]\w*)Command$/.exec(name)?.[1] ?? /^paginate([A-Z]\w*)$/.exec(name)?.[1];
      if (operation === undefined) continue;
      if (prefix === undefined) throw new Error(`no IAM prefix for @aws-sdk/${client}: add it to SERVICE_PREFIX`);
      actions.push(`${prefix}:${operation}`);
    }
  }
  return actions;
}

/** @pulumi/aws resources (`new aws.iam.Role(`) and functions (`aws.getCallerIdentityOutput(`) a source text uses. */
function pulumiUses(text: string): string[] {
  const resources = [...text.matchAll(/new\s+aws\.(\w+\.\w+)\s*\(/g)].map((m) => m[1]);
  const functions = [...text.matchAll(/aws\.(get\w+?)(?:Output)?\s*\(/g)].map((m) => m[1]);
  return [...resources, ...functions];
}

const read = (rel: string) => readFileSync(path.join(ROOT, rel), "utf8");
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
const policy = (file: string) => JSON.parse(readFileSync(path.join(IAM, file), "utf8"));

type Statement = { Effect: string; Action: string | string[]; Resource: string; Condition?: Record<string, Record<string, unknown>> };
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** What a policy allows: its Allow statements only (a Deny grants nothing). */
function granted(document: { Statement: Statement[] }): string[] {
  return sorted(document.Statement.filter((s) => s.Effect === "Allow").flatMap(actionsOf));
}

const files = productFiles();
const sdkSent = sorted(files.flatMap((f) => sdkActions(read(f))));
const pulumiSent = sorted(
  files.flatMap((f) =>
    pulumiUses(read(f)).flatMap((use) => {
      const ops = PULUMI_OPERATIONS[use];
      if (!ops) throw new Error(`${f} uses @pulumi/aws ${use}: add the AWS calls it makes to PULUMI_OPERATIONS`);
      return ops;
    }),
  ),
);

/** The plan's readers: planWith (engine/plan-roster.ts) and every module it reads the pool through. */
const PLAN_READERS = [
  // the pool's description, users, removed users, group memberships, the import-job budget, messaging capacity,
  // reminders due (renames are core/plan-renames.ts: no read)
  "engine/plan-roster.ts",
  "engine/observe-pool.ts",
  "engine/observe-groups.ts",
  "engine/observe-messaging.ts",
  "engine/find-removed-users.ts",
  "engine/import-job-budget.ts",
  "engine/plan-reminders.ts",
  // `pulumi preview` diffs the reminder marks: the same waiting trainees and pool read (sends nothing).
  "providers/sign-in-reminders-entry.ts",
];

/** The source of an aws/ function (its body up to the closing brace at the line's start), or undefined. */
function functionBody(source: string, fn: string): string | undefined {
  return new RegExp(`\\n(?:export )?(?:async )?function ${fn}\\b[\\s\\S]*?\\n}\\n`).exec(source)?.[0];
}

/** The actions an aws/ module's function sends: its commands and paginators, and those of the module's functions it calls. */
function adapterActions(module: string, fn: string, seen = new Set<string>()): string[] {
  if (seen.has(`${module}:${fn}`)) return [];
  seen.add(`${module}:${fn}`);
  const source = read(`aws/${module}.ts`);
  const body = functionBody(source, fn);
  if (!body) throw new Error(`aws/${module}.ts has no function ${fn}`);
  // Each operation's service, from the SDK package the adapter imports it from.
  const prefixOf = new Map(sdkActions(source).map((a) => [a.slice(a.indexOf(":") + 1), a.slice(0, a.indexOf(":"))]));
  const actions = [...body.matchAll(/new (\w+)Command\(|\bpaginate(\w+)\(/g)].map((c) => {
    const operation = c[1] ?? c[2];
    return `${prefixOf.get(operation) ?? "cognito-idp"}:${operation}`;
  });
  for (const call of body.matchAll(/(?<![.\w])(\w+)\(/g))
    if (call[1] !== fn && functionBody(source, call[1])) actions.push(...adapterActions(module, call[1], seen));
  return actions;
}

/**
 * Each port method of aws/ports.ts and the aws/ functions it is bound to (`name: (…) => adapter(…)` in poolPorts).
 * Method names are unique in the file, so a call `.name(` in the engine means this method.
 */
function portMethods(): Map<string, { module: string; fn: string }[]> {
  const text = read("aws/ports.ts");
  const file = ts.createSourceFile("ports.ts", text, ts.ScriptTarget.Latest, true);
  const moduleOf = new Map<string, string>();
  const methods = new Map<string, { module: string; fn: string }[]>();
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text.startsWith("./")) {
      const named = node.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) for (const e of named.elements) moduleOf.set(e.name.text, node.moduleSpecifier.text.slice(2));
    }
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && ts.isArrowFunction(node.initializer)) {
      const name = node.name.text;
      if (methods.has(name)) throw new Error(`aws/ports.ts binds ${name} twice: a method name must say which adapter it is`);
      const adapters: { module: string; fn: string }[] = [];
      const calls = (n: ts.Node) => {
        if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && moduleOf.has(n.expression.text))
          adapters.push({ module: moduleOf.get(n.expression.text) as string, fn: n.expression.text });
        ts.forEachChild(n, calls);
      };
      calls(node.initializer);
      methods.set(name, adapters);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return methods;
}

/** Everything `cognito-roster plan` sends: the actions of the port methods (and any aws/ functions) the plan's readers call. */
function planActions(): string[] {
  const methods = portMethods();
  const actions: string[] = [];
  for (const reader of PLAN_READERS) {
    const source = read(reader);
    for (const call of source.matchAll(/\.(\w+)\(/g))
      for (const { module, fn } of methods.get(call[1]) ?? []) actions.push(...adapterActions(module, fn));
    // An aws/ function imported directly (a plain helper such as errorName sends nothing).
    for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']\.\.\/aws\/([\w-]+)["']/g)) {
      if (m[2] === "ports") continue;
      const functions = m[1]
        .split(",")
        .map((n) => n.trim())
        .filter((n) => n && !n.startsWith("type ") && functionBody(read(`aws/${m[2]}.ts`), n));
      for (const fn of functions) actions.push(...adapterActions(m[2], fn));
    }
  }
  return sorted(actions);
}

test("port methods are bound to the aws/ functions that send, and a plan's reads are found through them", () => {
  const methods = portMethods();
  // The derivation reads the bindings: each read method of the plan has its adapter, with the adapter's calls.
  expect(methods.get("getUser")).toEqual([{ module: "pool-users", fn: "getPoolUser" }]);
  expect(sorted(adapterActions("pool-users", "scanPoolUsers"))).toEqual(["cognito-idp:ListUsers"]);
  expect(sorted(adapterActions("import-log", "readJobLog"))).toEqual(["logs:GetLogEvents"]);
  expect(sorted((methods.get("setEnabled") ?? []).flatMap((a) => adapterActions(a.module, a.fn)))).toEqual([
    "cognito-idp:AdminDisableUser",
    "cognito-idp:AdminEnableUser",
  ]);
  for (const [name, adapters] of methods) expect([name, adapters.length]).toEqual([name, 1]);
});

test("the code sends the commands this test knows about (a new one needs a policy decision)", () => {
  // The two policy tests below enforce the derived set; this one checks the derivation found the adapters at all.
  expect(sdkSent.length).toBeGreaterThan(0);
  expect(sdkSent.filter((a) => !/^[a-z-]+:[A-Z]\w+$/.test(a))).toEqual([]);
  expect(sdkSent).toEqual(expect.arrayContaining(["cognito-idp:ListUsers", "cognito-idp:CreateUserImportJob", "logs:GetLogEvents"]));
  expect(pulumiSent).toEqual(expect.arrayContaining(["cognito-idp:CreateGroup"]));
});

test("the preview role grants exactly what `cognito-roster plan` and `pulumi preview` send, all of it read-only", () => {
  const plan = planActions();
  expect(plan.length).toBeGreaterThan(0);
  expect(plan.filter((a) => !/:(Describe|Get|List|AdminGet|AdminList)\w*$/.test(a))).toEqual([]);
  const expected = sorted([...plan, ...STATE_READ].filter((a) => !NO_GRANT_NEEDED.has(a)));
  expect(granted(policy("preview-role-policy.json"))).toEqual(expected);
});

test("the apply role grants exactly what `pulumi up` and `pulumi refresh` send", () => {
  const passRole = sdkSent.includes("cognito-idp:CreateUserImportJob") ? ["iam:PassRole"] : [];
  const expected = sorted([...sdkSent, ...pulumiSent, ...passRole, ...STATE_READ, ...STATE_WRITE].filter((a) => !NO_GRANT_NEEDED.has(a)));
  expect(granted(policy("apply-role-policy.json"))).toEqual(expected);
});

test("the operator role (a person: bootstrap, export, pulumi import, break-glass apply) grants exactly what the apply role does", () => {
  // Everything a person runs by hand is a command of the product or of Pulumi on the same one pool and state:
  // `cognito-roster init`/`export`/`plan`/`apply`, `pulumi stack init`/`import`/`up`. Nothing more, so no wider grant.
  expect(granted(policy("operator-role-policy.json"))).toEqual(granted(policy("apply-role-policy.json")));
});

test("the operator role is assumed only by the named IAM Identity Center permission set or IAM principal, never by GitHub", () => {
  const trust = policy("operator-role-trust-policy.json");
  expect(trust.Statement).toHaveLength(1);
  const [statement] = trust.Statement;
  expect(statement).toMatchObject({ Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: "arn:aws:iam::<ACCOUNT_ID>:root" } });
  // The account principal alone would let any IAM identity of the account with sts:AssumeRole in: the condition narrows it.
  expect(Object.keys(statement.Condition)).toEqual(["ArnLike"]);
  expect(statement.Condition.ArnLike["aws:PrincipalArn"]).toEqual([
    "arn:aws:iam::<ACCOUNT_ID>:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_<PERMISSION_SET_NAME>_*",
    "<OPERATOR_PRINCIPAL_ARN>",
  ]);
  expect(JSON.stringify(trust)).not.toMatch(/token\.actions\.githubusercontent\.com|"\*"/);
});

test("no wildcards: every action is named, every resource is the pool, its log group, the logs role or the state", () => {
  for (const file of ["preview-role-policy.json", "apply-role-policy.json", "operator-role-policy.json"]) {
    for (const s of (policy(file).Statement as Statement[]).filter((x) => x.Effect === "Allow")) {
      const actions = granted({ Statement: [s] });
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.filter((a) => a.includes("*"))).toEqual([]);
      if (s.Resource === "*") {
        expect(granted({ Statement: [s] }).filter((a) => !ACCOUNT_LEVEL_READS.has(a))).toEqual([]);
        continue;
      }
      expect(s.Resource).toMatch(
        /^arn:aws:(cognito-idp:<REGION>:<ACCOUNT_ID>:userpool\/<USER_POOL_ID>|logs:<REGION>:<ACCOUNT_ID>:log-group:\/aws\/cognito\/userpools\/<USER_POOL_ID>\/\*|iam::<ACCOUNT_ID>:role\/roster-import-logs|s3:::<STATE_BUCKET>(\/<STATE_PREFIX>\/\.pulumi\/\*)?)$/,
      );
    }
  }
});

test("the logs role documents are test/support/logs-role-policy.ts's; its trust is bound to this account's pool", () => {
  expect(policy("logs-role-trust-policy.json")).toEqual(importLogsTrustPolicy("<REGION>", "<ACCOUNT_ID>", "<USER_POOL_ID>"));
  expect(policy("logs-role-trust-policy.json").Statement[0].Condition).toEqual({
    StringEquals: { "aws:SourceAccount": "<ACCOUNT_ID>" },
    ArnLike: { "aws:SourceArn": "arn:aws:cognito-idp:<REGION>:<ACCOUNT_ID>:userpool/<USER_POOL_ID>" },
  });
  expect(policy("logs-role-permissions-policy.json")).toEqual(importLogsPermissionsPolicy("<REGION>", "<ACCOUNT_ID>", "<USER_POOL_ID>"));
});

test("each role trusts exactly the GitHub environments whose jobs assume it", () => {
  const subjects = (file: string) =>
    [policy(file).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]].flat().sort();
  const environmentsAssuming = (roleVar: string) => {
    const envs: string[] = [];
    const dir = path.join(ROOT, ".github", "workflows");
    for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
      const workflow = parse(readFileSync(path.join(dir, f), "utf8"));
      for (const job of Object.values<any>(workflow.jobs ?? {})) {
        if (JSON.stringify(job.steps ?? []).includes(`vars.${roleVar}`))
          envs.push(`repo:<GITHUB_ORG>/<GITHUB_REPO>:environment:${job.environment}`);
      }
    }
    return sorted(envs);
  };
  expect(subjects("preview-role-trust-policy.json")).toEqual(environmentsAssuming("AWS_PREVIEW_ROLE_ARN"));
  expect(subjects("apply-role-trust-policy.json")).toEqual(environmentsAssuming("AWS_APPLY_ROLE_ARN"));
  for (const file of ["preview-role-trust-policy.json", "apply-role-trust-policy.json"]) {
    expect(policy(file).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"]).toBe("sts.amazonaws.com");
  }
});

/**
 * Actions that create an identity or widen what one may do or who may assume it (the usual IAM privilege-escalation
 * paths). None may be allowed to a role CI assumes: code running as it (merged code, a dependency's install script, a
 * tampered state file on refresh) could otherwise mint a role an outside account trusts, with any policy.
 */
const CREATES_OR_WIDENS = [
  "iam:AddUserToGroup",
  "iam:AttachGroupPolicy",
  "iam:AttachRolePolicy",
  "iam:AttachUserPolicy",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:CreatePolicy",
  "iam:CreatePolicyVersion",
  "iam:CreateRole",
  "iam:CreateServiceLinkedRole",
  "iam:CreateUser",
  "iam:DeleteRolePermissionsBoundary",
  "iam:DeleteUserPermissionsBoundary",
  "iam:PutGroupPolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:PutUserPermissionsBoundary",
  "iam:PutUserPolicy",
  "iam:SetDefaultPolicyVersion",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateLoginProfile",
  "iam:UpdateRole",
];

/** Whether an IAM action pattern (`iam:Put*`, `iam:*`, `*`) matches an action, case-insensitively as IAM does. */
function matches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
  return re.test(action);
}

describe("IAM that cannot widen", () => {
  const ciRoles = ["preview-role-policy.json", "apply-role-policy.json", "operator-role-policy.json"];

  test.each(ciRoles)("%s allows no action that creates or widens an identity, by name or by wildcard", (file) => {
    const allowed = granted(policy(file));
    expect(allowed.flatMap((a) => CREATES_OR_WIDENS.filter((x) => matches(a, x)))).toEqual([]);
    // The only IAM action at all is passing the one logs role, to Cognito only.
    expect(allowed.filter((a) => matches(a, "iam:x") || a.toLowerCase().startsWith("iam:") || a === "*")).toEqual(
      file === "preview-role-policy.json" ? [] : ["iam:PassRole"],
    );
  });

  test("the apply role passes only the one logs role, only to Cognito, and denies every widening action outright", () => {
    const statements = policy("apply-role-policy.json").Statement as Statement[];
    const pass = statements.filter((s) => s.Effect === "Allow" && actionsOf(s).includes("iam:PassRole"));
    expect(pass).toEqual([
      expect.objectContaining({
        Resource: "arn:aws:iam::<ACCOUNT_ID>:role/roster-import-logs",
        Condition: { StringEquals: { "iam:PassedToService": "cognito-idp.amazonaws.com" } },
      }),
    ]);
    const denied = statements.filter((s) => s.Effect === "Deny" && s.Resource === "*").flatMap(actionsOf);
    expect(sorted(denied)).toEqual(sorted(CREATES_OR_WIDENS));
  });

  test("the bootstrap policy a person uses once creates the one logs role and nothing else", () => {
    const bootstrap = policy("logs-role-bootstrap-policy.json").Statement as Statement[];
    expect(granted({ Statement: bootstrap })).toEqual(["iam:CreateRole", "iam:GetRole", "iam:PutRolePolicy", "iam:TagRole"]);
    for (const s of bootstrap) expect(s.Resource).toBe("arn:aws:iam::<ACCOUNT_ID>:role/roster-import-logs");
  });

  test("the program declares no IAM resource: the logs role comes from the stack's logsRoleArn", () => {
    expect(pulumiSent.filter((a) => a.startsWith("iam:"))).toEqual([]);
  });
});
