/**
 * Finds the pure decisions of a module: its top-level functions that take values and return values — not async,
 * no `await`, no `this`, nothing from outside the function but their parameters, what they import from core/, the
 * module's other pure functions and constants, and the standard built-ins that neither read the clock nor do I/O
 * (`Date`, `process`, `console`, timers are not among them) — and that decide something (a branch: `if`, `?:`,
 * `switch`, `&&`, `||` or `??`).
 *
 * Read with the TypeScript compiler's parser, not a regex. It is a syntactic approximation: a parameter that is a
 * callback or a client is trusted to be a value, and a call into another module of the same layer counts as
 * impure. Used by test/architecture/import-graph.test.ts to keep pure decisions from settling outside core/.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

/** Built-ins a pure function may use: values and functions of values, no clock, randomness or I/O. */
const PURE_GLOBALS = new Set([
  "Array",
  "BigInt",
  "Boolean",
  "Buffer",
  "Error",
  "Infinity",
  "JSON",
  "Map",
  "Math",
  "NaN",
  "Number",
  "Object",
  "RangeError",
  "RegExp",
  "Set",
  "String",
  "Symbol",
  "TypeError",
  "encodeURIComponent",
  "isNaN",
  "parseFloat",
  "parseInt",
  "undefined",
]);

interface TopLevel {
  node: ts.Node;
  /** A function (declared, or an arrow or function expression assigned to a const), or another declaration. */
  isFunction: boolean;
}

/** Names a node declares in its own scope: parameters, variables, nested functions and classes, catch variables. */
function declaredNames(node: ts.Node, into: Set<string>): void {
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) into.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  const visit = (n: ts.Node) => {
    if (ts.isParameter(n) || ts.isVariableDeclaration(n) || ts.isBindingElement(n)) bind(n.name);
    else if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isFunctionExpression(n)) && n.name) into.add(n.name.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
}

/** Identifiers a function reads from outside itself (property names and types aside), and whether it may be pure. */
function freeNames(fn: ts.Node): { names: Set<string>; impure: boolean; decides: boolean } {
  const local = new Set<string>();
  declaredNames(fn, local);
  const names = new Set<string>();
  let impure = false;
  let decides = false;
  const visit = (n: ts.Node) => {
    if (ts.isTypeNode(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) return;
    if (ts.isAwaitExpression(n) || n.kind === ts.SyntaxKind.ThisKeyword || ts.isYieldExpression(n)) impure = true;
    if (ts.isIfStatement(n) || ts.isConditionalExpression(n) || ts.isSwitchStatement(n)) decides = true;
    if (
      ts.isBinaryExpression(n) &&
      [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(n.operatorToken.kind)
    )
      decides = true;
    if (ts.isIdentifier(n) && !local.has(n.text) && !isPropertyName(n)) names.add(n.text);
    ts.forEachChild(n, visit);
  };
  const modifiers = ts.canHaveModifiers(fn) ? (ts.getModifiers(fn) ?? []) : [];
  if (modifiers.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) impure = true;
  ts.forEachChild(fn, visit);
  return { names, impure, decides };
}

function isPropertyName(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === id) return true;
  if (ts.isQualifiedName(parent) && parent.right === id) return true;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent)) && parent.name === id)
    return true;
  if (ts.isBindingElement(parent) && parent.propertyName === id) return true;
  return ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent);
}

/** Where an imported name comes from: a product module (relative to the root) or a package, and its exported name. */
interface ImportedName {
  module: string;
  name: string;
}

function importsOf(source: ts.SourceFile, file: string, root: string): Map<string, ImportedName> {
  const imports = new Map<string, ImportedName>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const spec = statement.moduleSpecifier.text;
    const relative = path.relative(root, path.resolve(path.dirname(path.join(root, file)), spec));
    const module = spec.startsWith(".") ? `${relative.split(path.sep).join("/")}.ts` : spec;
    const clause = statement.importClause;
    if (clause?.name) imports.set(clause.name.text, { module, name: "default" });
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) imports.set(bindings.name.text, { module, name: "*" });
    if (bindings && ts.isNamedImports(bindings))
      for (const e of bindings.elements) imports.set(e.name.text, { module, name: (e.propertyName ?? e.name).text });
  }
  return imports;
}

function topLevelOf(source: ts.SourceFile): Map<string, TopLevel> {
  const found = new Map<string, TopLevel>();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body)
      found.set(statement.name.text, { node: statement, isFunction: true });
    if (ts.isClassDeclaration(statement) && statement.name) found.set(statement.name.text, { node: statement, isFunction: false });
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.initializer === undefined) continue;
      const isFunction = ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer);
      found.set(d.name.text, { node: isFunction ? d.initializer : d, isFunction });
    }
  }
  return found;
}

interface ModuleFacts {
  imports: Map<string, ImportedName>;
  top: Map<string, TopLevel>;
  facts: Map<string, ReturnType<typeof freeNames>>;
}

function factsOf(file: string, root: string): ModuleFacts {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const top = topLevelOf(source);
  return { imports: importsOf(source, file, root), top, facts: new Map([...top].map(([name, t]) => [name, freeNames(t.node)])) };
}

/**
 * The pure top-level functions that decide something, per module of `files` (paths relative to `root`), sorted.
 * A name imported from core/ counts as pure (core/ is pure: the import-graph test checks its imports); a name
 * imported from one of `files` is pure when it is pure there; anything else imported is not.
 */
export function pureDecisions(files: readonly string[], root: string): Map<string, string[]> {
  const modules = new Map(files.map((file) => [file, factsOf(file, root)]));
  const pure = new Set<string>();
  for (const [file, m] of modules) for (const [name, t] of m.top) if (!ts.isClassDeclaration(t.node)) pure.add(`${file}#${name}`);
  const isPure = (file: string, m: ModuleFacts, n: string): boolean => {
    if (m.top.has(n)) return pure.has(`${file}#${n}`);
    const imported = m.imports.get(n);
    if (imported === undefined) return PURE_GLOBALS.has(n);
    if (imported.module.startsWith("core/")) return true;
    return modules.has(imported.module) && pure.has(`${imported.module}#${imported.name}`);
  };
  // Pure until shown otherwise; iterate to a fixed point, across modules.
  let changed = true;
  while (changed) {
    changed = false;
    for (const key of [...pure]) {
      const [file, name] = key.split("#");
      const m = modules.get(file) as ModuleFacts;
      const fact = m.facts.get(name);
      if (fact !== undefined && !fact.impure && [...fact.names].every((n) => n === name || isPure(file, m, n))) continue;
      pure.delete(key);
      changed = true;
    }
  }
  const found = new Map<string, string[]>();
  for (const [file, m] of modules) {
    const names = [...m.top.keys()].filter((n) => pure.has(`${file}#${n}`) && m.top.get(n)?.isFunction && m.facts.get(n)?.decides);
    if (names.length > 0) found.set(file, names.sort());
  }
  return found;
}
