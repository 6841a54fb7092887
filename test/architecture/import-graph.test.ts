/**
 * The layers' import graph, as docs/architecture.md draws it: nothing runs back up, and no module depends on itself
 * through others.
 *
 *   core ← aws ← engine ← providers ← program ← index.ts        cli → core, aws, engine, emulator
 *   emulator: nothing of the product (test/emulator/independence.test.ts checks it in more detail)
 *   load (if present): the file system side of loading, shared by engine, providers, program and cli; uses core only
 *
 * Every `import … from`, `export … from`, `import("…")` and `require("…")` between the project's folders counts,
 * types included (a type import is still knowledge of the other layer). Cycles are counted over run-time imports
 * only: `import type` is erased and cannot make a module load before its dependency.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pureDecisions } from "./pure-functions";

const ROOT = path.resolve(__dirname, "../..");

/** Which folders each layer may import from (its own included). `schemas` holds data, not code. */
const ALLOWED: Record<string, readonly string[]> = {
  core: ["core", "schemas"],
  load: ["load", "core", "schemas"],
  aws: ["aws", "core"],
  engine: ["engine", "aws", "core", "load"],
  providers: ["providers", "engine", "aws", "core", "load"],
  program: ["program", "providers", "engine", "aws", "core", "load"],
  "index.ts": ["program"],
  cli: ["cli", "engine", "aws", "core", "load", "emulator"],
  emulator: ["emulator"],
};

/** Packages a layer must not use: core is pure of Pulumi and AWS. */
const FORBIDDEN_PACKAGES: Record<string, RegExp> = {
  core: /^(@pulumi\/|@aws-sdk\/|@smithy\/)/,
  aws: /^@pulumi\//,
  engine: /^@pulumi\//,
  emulator: /^@pulumi\//,
};

interface Import {
  /** The names imported (`{ a, type B }` → a, B), empty for other forms. */
  names: string[];
  from: string;
  /** The target, relative to the root, or the package name. */
  to: string;
  typeOnly: boolean;
  package: boolean;
}

function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

function resolveTarget(file: string, spec: string): string {
  const base = path.resolve(path.dirname(file), spec);
  const found = [`${base}.ts`, path.join(base, "index.ts"), base].find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  return path
    .relative(ROOT, found ?? base)
    .split(path.sep)
    .join("/");
}

function importsOf(file: string): Import[] {
  const source = fs.readFileSync(file, "utf8");
  const from = path.relative(ROOT, file).split(path.sep).join("/");
  const found: Import[] = [];
  const add = (spec: string, typeOnly: boolean, clause = "") => {
    const names = [...(/\{([^}]*)\}/.exec(clause)?.[1] ?? "").split(",")].map(
      (n) =>
        n
          .trim()
          .replace(/^type\s+/, "")
          .split(/\s+as\s+/)[0],
    );
    found.push(
      spec.startsWith(".")
        ? { names: names.filter(Boolean), from, to: resolveTarget(file, spec), typeOnly, package: false }
        : { names: names.filter(Boolean), from, to: spec, typeOnly, package: true },
    );
  };
  for (const m of source.matchAll(/^\s*(?:import|export)\s+(type\s+)?([^;]*?)\bfrom\s*["']([^"']+)["']/gm))
    add(m[3], m[1] !== undefined, m[2]);
  for (const m of source.matchAll(/^\s*import\s*["']([^"']+)["']/gm)) add(m[1], false);
  for (const m of source.matchAll(/\b(?:require|import)\s*\(\s*["']([^"']+)["']\s*\)/g)) add(m[1], false);
  return found;
}

const importedNames = (i: Import) => i.names;
const layerOf = (relative: string) => (relative.includes("/") ? relative.slice(0, relative.indexOf("/")) : relative);

const files = [
  ...Object.keys(ALLOWED)
    .filter((l) => l !== "index.ts")
    .flatMap((l) => sources(path.join(ROOT, l))),
  path.join(ROOT, "index.ts"),
];
const imports = files.flatMap(importsOf);

test("the scan sees the project", () => {
  for (const layer of ["core", "aws", "engine", "providers", "program", "cli", "emulator"]) {
    expect(files.some((f) => layerOf(path.relative(ROOT, f)) === layer)).toBe(true);
  }
  expect(imports.length).toBeGreaterThan(200);
});

test("no import runs back up the layers", () => {
  const offending = imports
    .filter((i) => !i.package && !ALLOWED[layerOf(i.from)].includes(layerOf(i.to)))
    .map((i) => `${i.from} imports ${i.to}${i.typeOnly ? " (types)" : ""}`);
  expect(offending).toEqual([]);
});

test("core uses neither Pulumi nor AWS, and only the program, providers and cli use Pulumi", () => {
  const offending = imports
    .filter((i) => i.package && FORBIDDEN_PACKAGES[layerOf(i.from)]?.test(i.to))
    .map((i) => `${i.from} imports ${i.to}`);
  expect(offending).toEqual([]);
});

/**
 * core/ takes text and returns values and diagnostics: no file system, no threads or processes, no network, no
 * environment. `path` is allowed for its string functions (export-users.ts joins relative paths with path.posix);
 * `path.resolve`, which reads the working directory, is not. Reading files and starting workers is load/'s job.
 */
const IO_MODULES =
  /^(node:)?(fs|fs\/promises|worker_threads|child_process|os|net|http|https|http2|dgram|cluster|readline|tty|v8|vm|inspector)$/;

test("core does no I/O: it imports no file-system, thread, process or network module, and reads no environment", () => {
  const coreFiles = sources(path.join(ROOT, "core"));
  const offending = imports
    .filter((i) => layerOf(i.from) === "core" && i.package && IO_MODULES.test(i.to))
    .map((i) => `${i.from} imports ${i.to}`);
  for (const file of coreFiles) {
    const source = fs.readFileSync(file, "utf8");
    for (const m of source.matchAll(/\b(process\.(?:env|cwd|argv|stdout|stderr|stdin|exit)|path\.resolve\(|require\(|__dirname)/g)) {
      offending.push(`${path.relative(ROOT, file)} uses ${m[1]}`);
    }
  }
  expect(offending).toEqual([]);
});

test("the provider Pulumi serialises imports nothing of the project at run time (types only), and no package", () => {
  const shim = imports.filter((i) => i.from === "providers/user-pool-roster-provider.ts" && !i.typeOnly);
  expect(shim.filter((i) => !i.package || !["fs", "path", "node:fs", "node:path"].includes(i.to))).toEqual([]);
});

test("no module depends on itself at run time", () => {
  const edges = new Map<string, string[]>();
  for (const i of imports) if (!i.package && !i.typeOnly) edges.set(i.from, [...(edges.get(i.from) ?? []), i.to]);
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next].join(" → "));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  expect(cycles).toEqual([]);
});

/**
 * Pure decisions live in core/ (issue 22, item 1): a function outside core/ that takes values, returns values and
 * decides something (test/architecture/pure-functions.ts says exactly what that means) is a decision that cannot be
 * table-tested where the others are. The ones that are still outside are listed here, found by measuring; the list
 * may only shrink. A new one fails the test (put it in core/, or make the case in review for listing it), and so
 * does a listed one that has moved or gone (remove it, so that the list stays true).
 *
 * Issue 22 item 1 names are in core/ now: import-row verdicts and numbering (core/import-row-verdicts.ts), which job
 * goes first when several runs contend and the label of a contending job (core/import-job-contention.ts),
 * membership-read cost (core/membership-read-strategy.ts), the drift rule of the provider's `read`
 * (core/refresh-drift.ts), the values to send (core/attribute-update.ts) and the plan's description
 * (core/plan-summary.ts). An entry kept on purpose says why beside it or here. The aws/ entries read the shapes of
 * the SDK and of the errors it throws, which core/ must not know: `unreachableCode` (Node's socket error codes),
 * `noteAwsCall`/`describeAwsCall` (`$metadata.requestId`), `errorName`, `answeredRefusal`/`unansweredErrorName`
 * (`$metadata.httpStatusCode`), `toImportJob` (UserImportJobType), `poolSettingsOf`/`whole`/`attributeMap`
 * (UserPoolType, AttributeType); what they feed is decided in core/ (pool-region, retry-rules, sign-in-name,
 * import-log-lines, pool-settings). `errnoOf` (load/find-user-files.ts) only reads the `code` of Node's file-system
 * errors, which core/ never sees.
 *
 * cli/ keeps two kinds: `paint` is terminal rendering (ANSI colour, beside the check of the stream it writes to);
 * cli/emulator-pool.ts builds the emulator's CreateUserPool and SetUserPoolMfaConfig requests (AWS SDK types, which
 * core/ may not import) and knows the emulator's "already exists" answer.
 */
const PURE_DECISIONS_OUTSIDE_CORE: Record<string, readonly string[]> = {
  "load/find-user-files.ts": ["errnoOf"],
  "aws/aws-failure.ts": ["describeAwsCall", "noteAwsCall"],
  "aws/clients.ts": ["unreachableCode"],
  "aws/error-name.ts": ["errorName"],
  "aws/import-jobs.ts": ["toImportJob"],
  "aws/no-repeat.ts": ["answeredRefusal", "unansweredErrorName"],
  "aws/pool-users.ts": ["attributeMap", "poolSettingsOf", "whole"],
  // A one-line precondition (the import needs a logs role) that throws: not a decision worth a module of its own.
  "engine/apply-imports.ts": ["requireRole"],
  // Pulumi serialises this provider whole, so it imports nothing of the product (see the file): it cannot use core/.
  "providers/roster-failures.ts": ["failIfAny", "preformatted"],
  "cli/command-line.ts": ["paint"],
  "cli/emulator-pool.ts": ["isAlreadyThere", "mfaConfigInput", "str"],
};

/** The SDK clients' classes: engine/, providers/ and program/ never name them (aws/ports.ts is what they get). */
const SDK_CLIENTS = /\b(CognitoIdentityProviderClient|CloudWatchLogsClient|SESv2Client|SNSClient)\b/;
const PORT_USERS = ["engine", "providers", "program"];

/** The functions of an aws/ module that take an SDK client as their first parameter: what only a port may call. */
function clientTakingFunctions(module: string): string[] {
  const source = fs.readFileSync(path.join(ROOT, module), "utf8");
  const taking = new RegExp(`export (?:async )?function (\\w+)(?:<[^>]*>)?\\(\\s*\\w+: ${SDK_CLIENTS.source}`, "g");
  return [...source.matchAll(taking)].map((m) => m[1]);
}

/**
 * aws/ exports ports (issue 22, item 4): engine/, providers/ and program/ reach AWS through the pool-bound ports of
 * aws/ports.ts, made once from a set of clients at the edge (poolPorts). They import no SDK package, name no SDK
 * client class, reach no `.cognito`/`.logs` client of the AwsClients bundle, and call no aws/ function that takes a
 * client (only its port does). The SES and SNS clients are reached only through the messaging port as well.
 */
test("engine, providers and program reach AWS only through the ports of aws/ports.ts", () => {
  expect(clientTakingFunctions("aws/pool-users.ts")).toEqual(expect.arrayContaining(["getPoolUser", "scanPoolUsers"]));
  const offending: string[] = [];
  for (const i of imports.filter((x) => PORT_USERS.includes(layerOf(x.from)))) {
    if (i.package && /^@(aws-sdk|smithy)\//.test(i.to)) offending.push(`${i.from} imports ${i.to}`);
    if (i.package || layerOf(i.to) !== "aws") continue;
    const names = importedNames(i);
    const taking = clientTakingFunctions(i.to).filter((fn) => names.includes(fn));
    for (const fn of taking) offending.push(`${i.from} calls ${i.to} ${fn}, which takes an SDK client: use its port`);
  }
  for (const file of files.filter((f) => PORT_USERS.includes(layerOf(path.relative(ROOT, f))))) {
    const rel = path.relative(ROOT, file).split(path.sep).join("/");
    const source = fs.readFileSync(file, "utf8");
    const client = SDK_CLIENTS.exec(source);
    if (client) offending.push(`${rel} names ${client[1]}`);
    // `aws.cognito.UserGroup` is @pulumi/aws's namespace (program/), not a client: a capital follows it.
    for (const m of source.matchAll(/\.(cognito|logs)\b(?!\.[A-Z])|\.(ses|sns)\(/g))
      offending.push(`${rel} reaches the ${m[1] ?? m[2]} client`);
  }
  expect(offending).toEqual([]);
});

/** Layers outside core/ whose pure decisions are measured; the emulator is a separate implementation, not product logic. */
const DECISION_LAYERS = ["aws", "engine", "providers", "program", "load", "cli"];

test("the pure-decision finder tells a pure decision from I/O, the clock, async work and a call into the AWS layer", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pure-decisions-"));
  try {
    fs.mkdirSync(path.join(root, "engine"));
    const sample = [
      'import { readFileSync } from "node:fs";',
      'import { shorten } from "../core/diagnostics";',
      'import { send } from "../aws/clients";',
      "export function pick(a: number, b: number): number { return a > b ? a : b; }",
      "export function label(s: string): string { return s === '' ? '-' : shorten(s); }",
      "const late = (d: string) => (d < new Date().toISOString() ? 'late' : 'on time');",
      "export async function later(x: number) { return x > 1 ? x : 0; }",
      "export function read(f: string) { return f ? readFileSync(f, 'utf8') : ''; }",
      "export function viaAws(x: number) { return x > 1 ? send(x) : 0; }",
      "export function viaPick(x: number) { return x > 0 ? pick(x, 1) : 0; }",
      "export function plain(x: number) { return x + 1; }",
      "export { late };",
    ].join("\n");
    fs.writeFileSync(path.join(root, "engine/sample.ts"), sample);
    expect(pureDecisions(["engine/sample.ts"], root)).toEqual(new Map([["engine/sample.ts", ["label", "pick", "viaPick"]]]));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("no new pure decision outside core/, and every listed one is still where the list says (the list only shrinks)", () => {
  const measured = files.map((f) => path.relative(ROOT, f).split(path.sep).join("/")).filter((f) => DECISION_LAYERS.includes(layerOf(f)));
  const found = pureDecisions(measured, ROOT);
  const problems: string[] = [];
  for (const [file, names] of found)
    for (const name of names)
      if (!PURE_DECISIONS_OUTSIDE_CORE[file]?.includes(name))
        problems.push(`${file}: ${name} is a pure decision outside core/: move it to core/ (with a table test)`);
  for (const [file, names] of Object.entries(PURE_DECISIONS_OUTSIDE_CORE))
    for (const name of names)
      if (!found.get(file)?.includes(name)) problems.push(`${file}: ${name} is listed but no longer found there: remove it from the list`);
  if (problems.length > 0) {
    const now = Object.fromEntries(found);
    throw new Error(`${problems.join("\n")}\n\nPURE_DECISIONS_OUTSIDE_CORE as measured now:\n${JSON.stringify(now, null, 2)}`);
  }
  expect(problems).toEqual([]);
});
