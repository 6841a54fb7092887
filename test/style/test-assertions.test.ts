/**
 * Tests that cannot pass by doing nothing: every test's body asserts (calls `expect`, or a function of its own file
 * or of a test module it imports that does or that throws), and none returns early at its top level, which would let
 * it pass without its assertions. Read from the sources with the TypeScript parser, so it costs no test run.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");

/**
 * Top-level early returns that are meant (file → the test's name), with why. None today: the fault matrix's
 * comparison with RELIABILITY.md, which a `jest -t` run of some rows skips, lives in test/reliability/matrix-suite.ts.
 */
const MEANT_EARLY_RETURNS = new Map<string, string>();

function testFiles(): string[] {
  return readdirSync(path.join(ROOT, "test"), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".test.ts"))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
}

/** Names of the file's own functions (declared or assigned) whose text asserts or throws. */
function assertingHelpers(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if ((ts.isFunctionDeclaration(node) || ts.isVariableDeclaration(node)) && node.name && /\bexpect\b|\bthrow\b/.test(node.getText()))
      names.add(node.name.getText());
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** `test(...)`, `it(...)`, `test.each(...)(...)`: the test's name and body. */
function testsOf(source: ts.SourceFile): { name: string; body: ts.ConciseBody }[] {
  const found: { name: string; body: ts.ConciseBody }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = ts.isCallExpression(node.expression) ? node.expression.expression : node.expression;
      const fn = node.arguments.find((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
      if (/^(test|it)(\.each)?$/.test(callee.getText()) && fn && node.arguments[0] !== fn)
        found.push({ name: node.arguments[0].getText().slice(1, -1), body: (fn as ts.ArrowFunction).body });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * The asserting helpers a test file imports from a module of its own folder tree (`./matrix-suite`,
 * `../support/…`): each named import that the module declares and that asserts or throws there.
 */
function importedAssertingHelpers(file: string, source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    const bindings = statement.importClause?.namedBindings;
    if (!specifier.startsWith(".") || !bindings || !ts.isNamedImports(bindings)) continue;
    const module = path.join(ROOT, path.dirname(file), `${specifier}.ts`);
    if (!existsSync(module)) continue;
    const declared = assertingHelpers(ts.createSourceFile(module, readFileSync(module, "utf8"), ts.ScriptTarget.Latest, true));
    for (const element of bindings.elements) {
      if (declared.has((element.propertyName ?? element.name).getText())) names.add(element.name.getText());
    }
  }
  return names;
}

function problemsOf(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const helpers = new Set([...assertingHelpers(source), ...importedAssertingHelpers(file, source)]);
  const problems: string[] = [];
  for (const { name, body } of testsOf(source)) {
    const calls = [...body.getText().matchAll(/\b([A-Za-z_$][\w$]*)\s*[(<]/g)].map((m) => m[1]);
    if (!calls.includes("expect") && !calls.some((c) => helpers.has(c))) problems.push(`${file}: "${name}" asserts nothing`);
    const statements = ts.isBlock(body) ? body.statements : [];
    const early = statements.some((s) => ts.isIfStatement(s) && /^\s*return\b/.test(s.thenStatement.getText().replace(/^\{/, "")));
    if (early && MEANT_EARLY_RETURNS.get(file) !== name) problems.push(`${file}: "${name}" may return before asserting`);
  }
  return problems;
}

test("every test asserts, and none returns early at its top level", () => {
  const files = testFiles();
  expect(files.length).toBeGreaterThan(100);
  expect(files.flatMap((f) => problemsOf(f, readFileSync(path.join(ROOT, f), "utf8")))).toEqual([]);
});

test("the check finds a test that asserts nothing and one that returns early", () => {
  const text = [
    'test("silent", async () => { await run(); });',
    'test("early", () => { if (skip) return; expect(1).toBe(1); });',
    'test.each([1])("fine %s", (n) => { check(n); });',
    "function check(n: number) { expect(n).toBe(1); }",
  ].join("\n");
  expect(problemsOf("x.test.ts", text)).toEqual(['x.test.ts: "silent" asserts nothing', 'x.test.ts: "early" may return before asserting']);
});

test("a helper imported from a test module counts when it asserts there, not otherwise", () => {
  const text = [
    'import { expectRowPasses } from "./matrix-suite";',
    'import { range } from "../support/roster-fixture";',
    'test("row", async () => { expectRowPasses(await row()); });',
    'test("no assertion", () => { range(1, 2); });',
  ].join("\n");
  expect(problemsOf("test/reliability/x.test.ts", text)).toEqual(['test/reliability/x.test.ts: "no assertion" asserts nothing']);
});
