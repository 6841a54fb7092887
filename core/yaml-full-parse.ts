/**
 * The yaml package's own parse of a users file: every file the fast path (core/simple-yaml-tree.ts) declines, and
 * every file with a problem. The caller (core/yaml-tree.ts `parseYamlTree`) has screened the text first
 * (core/yaml-screen.ts), so the package only sees shapes it parses in bounded time. YAML errors become problems,
 * never exceptions; the plain value comes from core/yaml-plain-value.ts.
 */
import { Composer, LineCounter, Parser, type Document, type ParsedNode } from "yaml";
import { shorten } from "./diagnostics";
import { tooDeep, type YamlProblem } from "./yaml-problem";
import { plainValueOf } from "./yaml-plain-value";
import type { LineCol, YamlTree } from "./yaml-tree";

export function parseFullYamlTree(text: string): YamlTree {
  const lineCounter = new LineCounter();
  const linePos = (offset: number): LineCol => lineCounter.linePos(offset);
  const documents = composeDocuments(text, lineCounter);
  // The screen bounds nesting; this is the last guard, so that no input ever surfaces as a stack trace.
  if (documents === undefined) return { value: null, root: null, document: undefined, problems: [tooDeep(0)], unusable: true, linePos };
  const problems = documentProblems(documents);
  const document = documents[0];
  const root = (document?.contents ?? null) as ParsedNode | null;
  let unusable = problems.some((p) => p.code !== "DUPLICATE_KEY");
  let value: unknown = null;
  if (!unusable && document) ({ value, unusable } = plainValueOf(root, document, problems, text));
  return { value: unusable ? null : value, root, document, problems, unusable, linePos };
}

/** Every document of the text, or undefined when the yaml package ran out of stack. */
function composeDocuments(text: string, lineCounter: LineCounter): Document.Parsed[] | undefined {
  const documents: Document.Parsed[] = [];
  // Parser + Composer rather than parseDocument: the same work, but we see every document of a multi-document
  // text and can report the extra ones ourselves.
  // uniqueKeys off: the package compares each key with every earlier one (quadratic); toPlain uses a hash.
  const composer = new Composer({ uniqueKeys: false, prettyErrors: false });
  try {
    for (const doc of composer.compose(new Parser(lineCounter.addNewLine).parse(text), true, text.length)) {
      documents.push(doc as Document.Parsed);
    }
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return undefined;
  }
  return documents;
}

/** The yaml package's errors as problems: duplicate keys, the first syntax error, and a second document. */
function documentProblems(documents: readonly Document.Parsed[]): YamlProblem[] {
  const problems: YamlProblem[] = [];
  for (const doc of documents) {
    for (const e of doc.errors) {
      problems.push({
        code: e.code === "DUPLICATE_KEY" ? "DUPLICATE_KEY" : "YAML_SYNTAX",
        offset: e.pos[0],
        message:
          e.code === "DUPLICATE_KEY"
            ? "duplicate key: a later value would silently replace the earlier one"
            : shorten(firstLine(e.message), 200),
      });
    }
  }
  // The first syntax error is the root cause; the yaml package's later ones are mostly its consequences.
  const firstSyntax = problems.find((p) => p.code === "YAML_SYNTAX");
  for (let i = problems.length - 1; i >= 0; i--)
    if (problems[i].code === "YAML_SYNTAX" && problems[i] !== firstSyntax) problems.splice(i, 1);
  if (documents.length > 1 && firstSyntax === undefined) {
    const second = documents[1];
    problems.push({
      code: "YAML_SYNTAX",
      offset: second.range?.[0] ?? 0,
      message: "a users file holds one YAML document; this file has more than one (remove the `---` separator)",
    });
  }
  return problems;
}

function firstLine(message: string): string {
  return message.split("\n")[0];
}
