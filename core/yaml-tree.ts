/**
 * Parses one YAML text into a plain value while keeping the way back to exact positions.
 *
 * YAML errors (syntax, duplicate keys) become values, never exceptions; aliases are followed but capped, so a
 * "billion laughs" file stops after a fixed number of alias expansions instead of eating memory. This module
 * knows nothing of users or of the schema: it turns text into a plain value plus the composed nodes, and
 * answers "where is the node at this path" with 1-based line and column.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, Parser, Composer, type Document, type Node, type ParsedNode } from "yaml";
import { parseSimpleYamlTree } from "./simple-yaml-tree";

/** A 1-based line and column. */
export interface LineCol {
  line: number;
  col: number;
}

export interface YamlProblem {
  code: "YAML_SYNTAX" | "DUPLICATE_KEY" | "YAML_ALIAS_LIMIT";
  /** Character offset in the text. */
  offset: number;
  message: string;
}

export interface YamlTree {
  /** The document as plain data (objects, arrays, strings, numbers, booleans, null); `__proto__` keys are data. */
  value: unknown;
  /** The composed root node, or null for an empty document. */
  root: ParsedNode | null;
  document: Document.Parsed | undefined;
  problems: YamlProblem[];
  /** True when the problems make `value` unusable (anything but duplicate keys). */
  unusable: boolean;
  linePos(offset: number): LineCol;
}

/** Alias expansions allowed per file. Real users files need few or none; a resource attack needs millions. */
export const MAX_ALIAS_EXPANSIONS = 1000;

class AliasLimitExceeded {
  constructor(readonly offset: number) {}
}

/** The fast path for plain block YAML (core/simple-yaml-tree.ts) when it applies; the yaml package otherwise. */
export function parseYamlTree(text: string): YamlTree {
  const simple = parseSimpleYamlTree(text);
  if (simple === undefined) return parseFullYamlTree(text);
  const { lineCounter } = simple;
  return { value: simple.value, root: simple.root, document: undefined, problems: [], unusable: false, linePos: (offset) => lineCounter.linePos(offset) };
}

/** The yaml package's own parse: every file the fast path declines, and every file with a problem. */
export function parseFullYamlTree(text: string): YamlTree {
  const lineCounter = new LineCounter();
  const problems: YamlProblem[] = [];
  const documents: Document.Parsed[] = [];
  // Parser + Composer rather than parseDocument: the same work, but we see every document of a multi-document
  // text and can report the extra ones ourselves.
  const composer = new Composer({ uniqueKeys: true, prettyErrors: false });
  for (const doc of composer.compose(new Parser(lineCounter.addNewLine).parse(text), true, text.length)) {
    documents.push(doc as Document.Parsed);
  }
  const linePos = (offset: number): LineCol => lineCounter.linePos(offset);
  const document = documents[0];
  for (const doc of documents) {
    for (const e of doc.errors) {
      problems.push({
        code: e.code === "DUPLICATE_KEY" ? "DUPLICATE_KEY" : "YAML_SYNTAX",
        offset: e.pos[0],
        message: e.code === "DUPLICATE_KEY" ? "duplicate key: a later value would silently replace the earlier one" : firstLine(e.message),
      });
    }
  }
  if (documents.length > 1) {
    const second = documents[1];
    problems.push({
      code: "YAML_SYNTAX",
      offset: second.range?.[0] ?? 0,
      message: "a users file holds one YAML document; this file has more than one (remove the `---` separator)",
    });
  }
  const root = (document?.contents ?? null) as ParsedNode | null;
  let unusable = problems.some((p) => p.code !== "DUPLICATE_KEY");
  let value: unknown = null;
  if (!unusable && document) {
    try {
      value = toPlain(root, document, { expansions: 0 });
    } catch (e) {
      if (!(e instanceof AliasLimitExceeded)) throw e;
      problems.push({
        code: "YAML_ALIAS_LIMIT",
        offset: e.offset,
        message: `more than ${MAX_ALIAS_EXPANSIONS} alias expansions: refusing to expand further (a file like this can exhaust memory)`,
      });
      unusable = true;
    }
  }
  return { value: unusable ? null : value, root, document, problems, unusable, linePos };
}

/** The node at `path` (map keys and list indexes), following aliases; `undefined` when it is not there. */
export function nodeAtPath(tree: YamlTree, path: readonly (string | number)[]): Node | undefined {
  let node: Node | null | undefined = tree.root;
  for (const segment of path) {
    node = resolveAlias(node, tree.document);
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(segment));
      if (!pair) return undefined;
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node)) {
      node = node.items[Number(segment)] as Node | undefined;
    } else {
      return undefined;
    }
  }
  return node ?? undefined;
}

/** The key node of `key` in the mapping at `path`. */
export function keyNodeAt(tree: YamlTree, path: readonly (string | number)[], key: string): Node | undefined {
  const node = resolveAlias(nodeAtPath(tree, path), tree.document);
  if (!isMap(node)) return undefined;
  return node.items.find((p) => keyText(p.key) === key)?.key as Node | undefined;
}

/** The start offset of a node. */
export function nodeOffset(node: Node | null | undefined): number | undefined {
  return node?.range?.[0];
}

/** The text of a mapping key as the plain value uses it. */
export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function resolveAlias(node: Node | null | undefined, doc: Document | undefined): Node | null | undefined {
  if (isAlias(node) && doc) return node.resolve(doc) ?? null;
  return node;
}

function toPlain(node: unknown, doc: Document, state: { expansions: number }): unknown {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) return node.value;
  if (isMap(node)) {
    // Ordinary objects (prototype-less ones are slow dictionaries), with `__proto__` defined as data so that a
    // key of that name can never change the prototype.
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = keyText(pair.key);
      // A duplicate key is already a problem; keep the first value, as the report points at the second.
      if (Object.prototype.hasOwnProperty.call(out, key)) continue;
      const value = toPlain(pair.value, doc, state);
      if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toPlain(item, doc, state));
  if (isAlias(node)) {
    state.expansions += 1;
    if (state.expansions > MAX_ALIAS_EXPANSIONS) throw new AliasLimitExceeded(node.range?.[0] ?? 0);
    return toPlain(node.resolve(doc), doc, state);
  }
  return null;
}

function firstLine(message: string): string {
  return message.split("\n")[0];
}
