/**
 * Parses one YAML text into a plain value while keeping the way back to exact positions.
 *
 * YAML errors (syntax, duplicate keys) become values, never exceptions. Every path is bounded by the input's
 * size: plain block YAML takes the linear fast path (core/simple-yaml-tree.ts); anything else is screened first
 * (core/yaml-screen.ts refuses the shapes on which the yaml package is slow), then parsed by the yaml package
 * (core/yaml-full-parse.ts, which caps aliases and finds duplicate keys with a hash: core/yaml-plain-value.ts).
 * Key lookups use an index built once per mapping. This module knows nothing of users or of the schema: it turns
 * text into a plain value plus the composed nodes, and answers "where is the node at this path" with 1-based line
 * and column.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Document, type Node, type Pair, type ParsedNode, type YAMLMap } from "yaml";
import { MAX_SIMPLE_MAPPING_KEYS, parseSimpleYamlTree, type SimpleYamlRefusal } from "./simple-yaml-tree";
import { parseFullYamlTree } from "./yaml-full-parse";
import { keyText } from "./yaml-plain-value";
import type { YamlProblem } from "./yaml-problem";
import { screenYamlText } from "./yaml-screen";

/** A 1-based line and column. */
export interface LineCol {
  line: number;
  col: number;
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
  /** Key indexes of the mappings looked up so far (see `pairIndex`). */
  pairIndexes?: Map<object, Map<string, Pair>>;
}

/**
 * The largest text given to the yaml package (about 2 MiB). It needs about 130 MB and 1.5 s a MiB, so a larger
 * file must be in the plain subset the fast path reads (core/simple-yaml-tree.ts), which every generated or
 * exported users file is; otherwise it is refused with one problem, not parsed for minutes.
 * @internal exported for its tests
 */
export const MAX_FULL_PARSE_CHARACTERS = 2 * 1024 * 1024;

/** The fast path for plain block YAML (core/simple-yaml-tree.ts) when it applies; the yaml package otherwise. */
export function parseYamlTree(text: string): YamlTree {
  // The fast path is linear and declines anything unusual (tabs, lone CRs, flow collections but one-line lists, multi-line
  // scalars…), so the screen is needed only before the yaml package.
  const refusal: SimpleYamlRefusal = {};
  const simple = parseSimpleYamlTree(text, refusal);
  if (refusal.tooWideAt !== undefined) {
    return refusedTree(text, {
      code: "MAPPING_TOO_WIDE",
      offset: refusal.tooWideAt,
      message: `more than ${MAX_SIMPLE_MAPPING_KEYS} keys in one mapping: not a users file (a user has a few dozen attributes at most)`,
    });
  }
  if (simple === undefined) {
    const refused = screenYamlText(text);
    if (refused !== undefined) return refusedTree(text, refused);
    if (text.length > MAX_FULL_PARSE_CHARACTERS) return refusedTree(text, tooLargeForFullParse(text));
    return parseFullYamlTree(text);
  }
  const { lineCounter } = simple;
  return {
    value: simple.value,
    root: simple.root,
    document: undefined,
    problems: [],
    unusable: false,
    linePos: (offset) => lineCounter.linePos(offset),
  };
}

/** The node at `path` (map keys and list indexes), following aliases; `undefined` when it is not there. */
export function nodeAtPath(tree: YamlTree, path: readonly (string | number)[]): Node | undefined {
  let node: Node | null | undefined = tree.root;
  for (const segment of path) {
    node = resolveAlias(node, tree.document);
    if (isMap(node)) {
      const pair = pairIndex(tree, node).get(String(segment));
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

/**
 * The text a plain scalar at `path` was written as, when YAML read it as a number, boolean or null (`0012` is the
 * number 12, `True` the boolean true); undefined for strings, collections and missing paths. Both parsers record a
 * plain scalar's source text, so this is exact whichever read the file.
 */
export function writtenText(tree: YamlTree, path: readonly (string | number)[]): string | undefined {
  const node = resolveAlias(nodeAtPath(tree, path), tree.document);
  if (!isScalar(node) || node.type !== "PLAIN" || typeof node.value === "string") return undefined;
  return typeof node.source === "string" ? node.source : undefined;
}

/** The key node of `key` in the mapping at `path`. */
export function keyNodeAt(tree: YamlTree, path: readonly (string | number)[], key: string): Node | undefined {
  const node = resolveAlias(nodeAtPath(tree, path), tree.document);
  if (!isMap(node)) return undefined;
  return pairIndex(tree, node).get(key)?.key as Node | undefined;
}

// The first pair of each key, per mapping, built on first use and kept with the tree: a lookup per diagnostic
// must not scan the mapping (a mapping of 100,000 unknown keys would be quadratic). Kept with the tree, not in
// module state, so the indexes go when the tree does.
function pairIndex(tree: YamlTree, map: YAMLMap): Map<string, Pair> {
  tree.pairIndexes ??= new Map();
  const indexes = tree.pairIndexes;
  let index = indexes.get(map);
  if (index === undefined) {
    index = new Map();
    for (const pair of map.items as Pair[]) {
      const key = keyText(pair.key);
      if (!index.has(key)) index.set(key, pair);
    }
    indexes.set(map, index);
  }
  return index;
}

/** The start offset of a node. */
export function nodeOffset(node: Node | null | undefined): number | undefined {
  return node?.range?.[0];
}

function resolveAlias(node: Node | null | undefined, doc: Document | undefined): Node | null | undefined {
  if (isAlias(node) && doc) return node.resolve(doc) ?? null;
  return node;
}

function tooLargeForFullParse(text: string): YamlProblem {
  return {
    code: "YAML_TOO_LARGE",
    offset: 0,
    message:
      `this file is ${(text.length / 1024 / 1024).toFixed(1)} MiB and uses YAML beyond plain block mappings, lists, ` +
      "one-line scalars and one-line [a, b] lists of plain values (anchors, tags, other flow collections, multi-line " +
      "or escaped scalars, tabs, duplicate keys…); " +
      `such files may be at most ${MAX_FULL_PARSE_CHARACTERS / 1024 / 1024} MiB: split it or write it plainly`,
  };
}

/** A tree for a text the screen refused: one problem, nothing parsed. */
function refusedTree(text: string, problem: YamlProblem): YamlTree {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineCounter.addNewLine(i + 1);
  return {
    value: null,
    root: null,
    document: undefined,
    problems: [problem],
    unusable: true,
    linePos: (offset) => lineCounter.linePos(offset),
  };
}
