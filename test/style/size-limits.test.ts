/**
 * Size limits on the product's code (issue 22): every function at most 60 lines, every file at most 400 lines,
 * every line at most 140 characters — template literals and comments included, which Biome's formatter cannot
 * break. Product code is what the layers of docs/architecture.md hold (core, load, aws, engine, providers, program,
 * cli, emulator, index.ts); tests, benchmarks and scripts are not measured.
 *
 * Functions are found with the TypeScript compiler's own parser (declarations, methods, constructors, accessors,
 * function expressions and arrow functions), from the line the function starts on (its doc comment not counted) to
 * the line it ends on; a nested function counts in its own right and inside the one around it.
 *
 * Code over a limit today is listed in OVER_LIMITS with how far it is over: that list may only shrink. The test
 * fails for anything over a limit that is not listed, for a listed file or function that grew past its recorded
 * size, and for a listed entry now within its limit (remove it, so that the list stays true). On failure it prints
 * the list as measured now.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
const PRODUCT = ["core", "load", "aws", "engine", "providers", "program", "cli", "emulator", "index.ts"];

const MAX_FUNCTION_LINES = 60;
const MAX_FILE_LINES = 400;
const MAX_LINE_CHARACTERS = 140;

/** How far one file is over the limits: its line count, how many lines are too long, each long function's lines. */
interface Over {
  fileLines?: number;
  longLines?: number;
  functions?: Record<string, number>;
}

/**
 * Files still over a limit, each number a ceiling. Empty since issue 22 split the last ones: every product file is
 * within the limits, and one that is not fails the test. Never add an entry; split the file or the function.
 */
const OVER_LIMITS: Record<string, Over> = {};

function productFiles(): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return walk(full);
      return e.name.endsWith(".ts") ? [full] : [];
    });
  return PRODUCT.flatMap((entry) => {
    const full = path.join(ROOT, entry);
    if (!fs.existsSync(full)) return [];
    return fs.statSync(full).isDirectory() ? walk(full) : [full];
  })
    .map((f) => path.relative(ROOT, f).split(path.sep).join("/"))
    .sort();
}

/** Lines as an editor counts them: a final line break ends the last line, it does not start another. */
function linesOf(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

function isMeasuredFunction(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    (ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node)) &&
    node.body !== undefined
  );
}

/** A function's own name: declared, or that of the variable or property it is assigned to; undefined for a callback. */
function ownName(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string | undefined {
  if (ts.isConstructorDeclaration(node)) return "constructor";
  if (node.name !== undefined) return node.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return parent.name.getText(source);
  return undefined;
}

/**
 * Every function of a file longer than the limit, by a name that survives edits elsewhere in the file: the names of
 * the classes and functions around it and its own (`Screen.content`, `writeIntake.finishPart`); a callback is
 * `(callback)` after the function it is in, numbered from the second one on.
 */
function longFunctions(file: string, text: string): Record<string, number> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line;
  const found: Record<string, number> = {};
  const used = new Map<string, number>();
  const visit = (node: ts.Node, scope: string[]) => {
    let inner = scope;
    if (ts.isClassLike(node)) inner = [...scope, node.name?.getText(source) ?? "(class)"];
    if (isMeasuredFunction(node)) {
      const own = ownName(node, source) ?? "(callback)";
      const base = [...scope, own].join(".");
      const seen = (used.get(base) ?? 0) + 1;
      used.set(base, seen);
      inner = [...scope, seen === 1 ? own : `${own} ${seen}`];
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1;
      if (lines > MAX_FUNCTION_LINES) found[inner.join(".")] = lines;
    }
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(source, []);
  return found;
}

function measure(file: string): Over {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  const lines = linesOf(text);
  const over: Over = {};
  if (lines.length > MAX_FILE_LINES) over.fileLines = lines.length;
  // Characters, not UTF-16 units: "…" and "→" count one each.
  const longLines = lines.filter((line) => [...line].length > MAX_LINE_CHARACTERS).length;
  if (longLines > 0) over.longLines = longLines;
  const functions = longFunctions(file, text);
  if (Object.keys(functions).length > 0) over.functions = functions;
  return over;
}

/** What is wrong with one file's entry: over a limit unlisted, grown past its ceiling, or listed but within. */
function problemsOf(file: string, measured: Over, allowed: Over): string[] {
  const problems: string[] = [];
  const check = (what: string, now: number | undefined, ceiling: number | undefined, limit: number) => {
    if (now !== undefined && ceiling === undefined) problems.push(`${file}: ${what} is ${now}, over the limit of ${limit}`);
    else if (now !== undefined && ceiling !== undefined && now > ceiling)
      problems.push(`${file}: ${what} grew to ${now}, past the ${ceiling} it is allowed while it waits to be split`);
    else if (now === undefined && ceiling !== undefined)
      problems.push(`${file}: ${what} is now within the limit of ${limit}: remove it from OVER_LIMITS`);
  };
  check("the file's length in lines", measured.fileLines, allowed.fileLines, MAX_FILE_LINES);
  check(`the number of lines longer than ${MAX_LINE_CHARACTERS} characters`, measured.longLines, allowed.longLines, 0);
  const names = new Set([...Object.keys(measured.functions ?? {}), ...Object.keys(allowed.functions ?? {})]);
  for (const name of [...names].sort())
    check(`function ${name}'s length in lines`, measured.functions?.[name], allowed.functions?.[name], MAX_FUNCTION_LINES);
  return problems;
}

const files = productFiles();
const measured = new Map(files.map((file) => [file, measure(file)]));

test("the scan sees the product, and the parser finds its functions", () => {
  expect(files).toEqual(expect.arrayContaining(["core/yaml-tree.ts", "engine/reconcile.ts", "cli/main.ts", "index.ts"]));
  expect(files.some((f) => f.startsWith("test/") || f.startsWith("bench/"))).toBe(false);
  const sample = "class A {\n  m() {\n    return [1].map((x) => {\n      return x;\n    });\n  }\n}\nconst f = function () {};\n";
  const lines = (name: string) => longFunctions("sample.ts", sample.replace("return x;", `${"x;\n".repeat(70)}return x;`))[name];
  expect(lines("A.m")).toBe(75);
  expect(lines("A.m.(callback)")).toBe(73);
  expect(Object.keys(longFunctions("sample.ts", sample))).toEqual([]);
});

test("the list is a ratchet: a new offender, a listed one that grew, and one now within its limit all fail", () => {
  expect(problemsOf("a.ts", { fileLines: 401 }, {})).toEqual(["a.ts: the file's length in lines is 401, over the limit of 400"]);
  expect(problemsOf("a.ts", { functions: { f: 70 } }, { functions: { f: 65 } })).toEqual([
    "a.ts: function f's length in lines grew to 70, past the 65 it is allowed while it waits to be split",
  ]);
  expect(problemsOf("a.ts", {}, { longLines: 2 })).toEqual([
    "a.ts: the number of lines longer than 140 characters is now within the limit of 0: remove it from OVER_LIMITS",
  ]);
  expect(problemsOf("a.ts", { fileLines: 450, functions: { f: 61 } }, { fileLines: 500, functions: { f: 61 } })).toEqual([]);
});

test("every function ≤ 60 lines, every file ≤ 400 lines, every line ≤ 140 characters, or listed and shrinking", () => {
  const problems = files.flatMap((file) => problemsOf(file, measured.get(file) ?? {}, OVER_LIMITS[file] ?? {}));
  for (const file of Object.keys(OVER_LIMITS)) if (!measured.has(file)) problems.push(`${file} is listed but no longer exists`);
  if (problems.length > 0) {
    const now = Object.fromEntries([...measured].filter(([, over]) => Object.keys(over).length > 0));
    throw new Error(`${problems.join("\n")}\n\nOVER_LIMITS as measured now:\n${JSON.stringify(now, null, 2)}`);
  }
  expect(problems).toEqual([]);
});
