/**
 * Parses one YAML text into a plain value while keeping the way back to exact positions.
 *
 * YAML errors (syntax, duplicate keys) become values, never exceptions. Every path is bounded by the input's
 * size: a linear screen (`screenYamlText`) refuses, before the yaml package sees them, the shapes on which that
 * package is slow (deep or large flow collections, deep nesting), CR-only line endings and tab indentation (one
 * problem each, with the fix); duplicate keys are found with a hash, not the package's pairwise check; aliases
 * are followed but the nodes they add are capped, so neither a "billion laughs" nor aliases of one wide mapping
 * can eat memory; key lookups use an index built once per mapping. Tags and complex keys are refused with their
 * position. This module knows nothing of users or of the schema: it turns text into a plain value plus the
 * composed nodes, and answers "where is the node at this path" with 1-based line and column.
 */
import {
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  Composer,
  type Document,
  type Node,
  type Pair,
  type ParsedNode,
  type YAMLMap,
} from "yaml";
import { shorten } from "./diagnostics";
import { MAX_SIMPLE_MAPPING_KEYS, parseSimpleYamlTree, type SimpleYamlRefusal } from "./simple-yaml-tree";

/** A 1-based line and column. */
interface LineCol {
  line: number;
  col: number;
}

type YamlProblemCode =
  | "YAML_SYNTAX"
  | "DUPLICATE_KEY"
  | "YAML_ALIAS_LIMIT"
  | "YAML_TAG"
  | "YAML_COMPLEX_KEY"
  | "YAML_TOO_DEEP"
  | "YAML_FLOW_TOO_LARGE"
  | "CR_LINE_ENDINGS"
  | "TAB_INDENTATION"
  | "UNCLOSED_QUOTE"
  | "YAML_TOO_LARGE"
  | "MAPPING_TOO_WIDE";

/** @internal exported for its tests */
export interface YamlProblem {
  code: YamlProblemCode;
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
  /** Key indexes of the mappings looked up so far (see `pairIndex`). */
  pairIndexes?: Map<object, Map<string, Pair>>;
}

/** Alias expansions allowed per file. Real users files need few or none; a resource attack needs millions. @internal */
export const MAX_ALIAS_EXPANSIONS = 1000;
/** Nodes that alias expansions may add to a file's value (an alias of a wide mapping adds all its nodes). */
const MAX_ALIAS_NODES = 10_000;
/** Nesting allowed: a users file needs 4 levels; the yaml package recurses once per level. */
const MAX_NESTING_DEPTH = 64;
/**
 * The largest text given to the yaml package (about 2 MiB). It needs about 130 MB and 1.5 s a MiB, so a larger
 * file must be in the plain subset the fast path reads (core/simple-yaml-tree.ts), which every generated or
 * exported users file is; otherwise it is refused with one problem, not parsed for minutes.
 * @internal exported for its tests
 */
export const MAX_FULL_PARSE_CHARACTERS = 2 * 1024 * 1024;
/** Characters allowed inside one flow collection ([…], {…}): the yaml package parses each in quadratic time. @internal */
export const MAX_FLOW_CHARACTERS = 64 * 1024;

class AliasLimitExceeded {
  constructor(readonly offset: number) {}
}

/** A problem found while turning nodes into plain data; the value is unusable. */
class ValueProblem {
  constructor(readonly problem: YamlProblem) {}
}

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

/** The yaml package's own parse: every file the fast path declines, and every file with a problem. @internal */
export function parseFullYamlTree(text: string): YamlTree {
  const lineCounter = new LineCounter();
  const problems: YamlProblem[] = [];
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
    // The screen bounds nesting; this is the last guard, so that no input ever surfaces as a stack trace.
    if (!(e instanceof RangeError)) throw e;
    return {
      value: null,
      root: null,
      document: undefined,
      problems: [tooDeep(0)],
      unusable: true,
      linePos: (offset) => lineCounter.linePos(offset),
    };
  }
  const linePos = (offset: number): LineCol => lineCounter.linePos(offset);
  const document = documents[0];
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
  const root = (document?.contents ?? null) as ParsedNode | null;
  let unusable = problems.some((p) => p.code !== "DUPLICATE_KEY");
  let value: unknown = null;
  if (!unusable && document) {
    try {
      value = toPlain(root, document, { expansions: 0, aliasNodes: 0, insideAlias: 0, problems, text });
    } catch (e) {
      if (e instanceof AliasLimitExceeded) {
        problems.push({
          code: "YAML_ALIAS_LIMIT",
          offset: e.offset,
          message: `aliases here would add more than ${MAX_ALIAS_EXPANSIONS} expansions or ${MAX_ALIAS_NODES} nodes: refusing to expand further (a file like this can exhaust memory)`,
        });
      } else if (e instanceof ValueProblem) {
        problems.push(e.problem);
      } else if (e instanceof RangeError) {
        problems.push(tooDeep(0));
      } else {
        throw e;
      }
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

/** The text of a mapping key as the plain value uses it. */
export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function resolveAlias(node: Node | null | undefined, doc: Document | undefined): Node | null | undefined {
  if (isAlias(node) && doc) return node.resolve(doc) ?? null;
  return node;
}

interface PlainState {
  expansions: number;
  aliasNodes: number;
  /** > 0 while expanding an alias: the nodes visited then are the ones aliases add. */
  insideAlias: number;
  /** The outermost alias being expanded: where a limit is reported (the alias written in the file). */
  outerAlias?: number;
  problems: YamlProblem[];
  text: string;
}

function toPlain(node: unknown, doc: Document, state: PlainState): unknown {
  if (node === null || node === undefined) return null;
  if (state.insideAlias > 0 && ++state.aliasNodes > MAX_ALIAS_NODES) throw new AliasLimitExceeded(state.outerAlias ?? 0);
  if ((isScalar(node) || isCollection(node)) && node.tag !== undefined) throw new ValueProblem(tagProblem(node as Node, state.text));
  if (isScalar(node)) return node.value;
  if (isMap(node)) {
    // Ordinary objects (prototype-less ones are slow dictionaries), with `__proto__` defined as data so that a
    // key of that name can never change the prototype.
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (!isScalar(pair.key) && pair.key !== null) throw new ValueProblem(complexKeyProblem(pair.key as Node));
      if (isScalar(pair.key) && pair.key.tag !== undefined) throw new ValueProblem(tagProblem(pair.key, state.text));
      const key = keyText(pair.key);
      // A duplicate key: reported here (a hash lookup), keeping the first value, as the report points at the second.
      if (Object.hasOwn(out, key)) {
        if (state.insideAlias === 0) {
          state.problems.push({
            code: "DUPLICATE_KEY",
            offset: (pair.key as Node | null)?.range?.[0] ?? 0,
            message: `duplicate key ${JSON.stringify(shorten(key))}: a later value would silently replace the earlier one`,
          });
        }
        continue;
      }
      const value = toPlain(pair.value, doc, state);
      if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toPlain(item, doc, state));
  if (isAlias(node)) {
    if (state.insideAlias === 0) state.outerAlias = node.range?.[0] ?? 0;
    state.expansions += 1;
    if (state.expansions > MAX_ALIAS_EXPANSIONS) throw new AliasLimitExceeded(state.outerAlias ?? 0);
    const target = node.resolve(doc);
    if (target === undefined) {
      throw new ValueProblem({
        code: "YAML_SYNTAX",
        offset: node.range?.[0] ?? 0,
        message: `the alias *${shorten(node.source)} refers to no anchor (&${shorten(node.source)}) before it`,
      });
    }
    state.insideAlias += 1;
    try {
      return toPlain(target, doc, state);
    } finally {
      state.insideAlias -= 1;
    }
  }
  return null;
}

function tagProblem(node: Node, text: string): YamlProblem {
  const tag = (node as { tag?: string }).tag ?? "";
  const shown = tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice("tag:yaml.org,2002:".length)}` : tag;
  return {
    code: "YAML_TAG",
    offset: tagOffset(node, text),
    message: `YAML tag ${JSON.stringify(shorten(shown))}: users files use no tags (write the value plainly, quoted if it must stay a string)`,
  };
}

/** The node's range starts after its properties: the tag is the `!…` token before it (past an anchor), if found. */
function tagOffset(node: Node, text: string): number {
  const start = node.range?.[0] ?? 0;
  if (text[start] === "!") return start;
  let end = start;
  for (let tokens = 0; tokens < 2; tokens++) {
    while (end > 0 && /\s/.test(text[end - 1])) end--;
    let begin = end;
    while (begin > 0 && !/\s/.test(text[begin - 1])) begin--;
    if (text[begin] === "!") return begin;
    if (text[begin] !== "&") break;
    end = begin;
  }
  return start;
}

function complexKeyProblem(key: Node): YamlProblem {
  return {
    code: "YAML_COMPLEX_KEY",
    offset: key.range?.[0] ?? 0,
    message: "a key that is a list, a mapping or an alias: users file keys are plain names",
  };
}

function tooDeep(offset: number): YamlProblem {
  return { code: "YAML_TOO_DEEP", offset, message: `nesting deeper than ${MAX_NESTING_DEPTH} levels: a users file needs 4` };
}

function firstLine(message: string): string {
  return message.split("\n")[0];
}

function tooLargeForFullParse(text: string): YamlProblem {
  return {
    code: "YAML_TOO_LARGE",
    offset: 0,
    message: `this file is ${(text.length / 1024 / 1024).toFixed(1)} MiB and uses YAML beyond plain block mappings, lists, one-line scalars and one-line [a, b] lists of plain values (anchors, tags, other flow collections, multi-line or escaped scalars, tabs, duplicate keys…); such files may be at most ${MAX_FULL_PARSE_CHARACTERS / 1024 / 1024} MiB: split it or write it plainly`,
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

/**
 * One linear pass over the text that refuses, before any parser sees it, what a users file never needs and what
 * would make the yaml package slow or deep: a CR that is not part of CRLF, a tab in indentation, a quote never
 * closed (reported where it opens, not at the end of the file), flow collections deeper than
 * MAX_NESTING_DEPTH or a flow collection larger than MAX_FLOW_CHARACTERS, block nesting deeper than
 * MAX_NESTING_DEPTH.
 *
 * It follows YAML's lexical rules closely enough to know where a scalar can start (so a quote inside a plain
 * scalar, as in O'Brien, is not a quote), skips comments and block scalars. When it is unsure it lets the text
 * through: the full parser then decides, within the bounds the screen checked.
 * @internal exported for its tests
 */
export function screenYamlText(text: string): YamlProblem | undefined {
  const cr = text.indexOf("\r");
  if (cr !== -1) {
    const lone = loneCarriageReturn(text, cr);
    if (lone !== -1) {
      const crOnly = !text.includes("\n");
      return {
        code: "CR_LINE_ENDINGS",
        offset: lone,
        message: crOnly
          ? "the file has CR-only line endings (classic Mac): save it with LF (or CRLF) line endings"
          : "a carriage return (CR) not followed by a line feed: the file mixes line endings; save it with LF (or CRLF) only",
      };
    }
  }
  return new Screen(text).run();
}

function loneCarriageReturn(text: string, from: number): number {
  for (let i = from; i !== -1; i = text.indexOf("\r", i + 1)) if (text.charCodeAt(i + 1) !== 10) return i;
  return -1;
}

class Screen {
  private flowDepth = 0;
  private flowCharacters = 0;
  /** Indents of the open block levels, innermost last. */
  private readonly indents: number[] = [];
  /** Set while inside a quoted scalar: its quote character and where it opened. */
  private quote: { char: string; at: number } | undefined;
  /** Set while inside a block scalar (| or >): lines indented more than this belong to it. */
  private blockScalarParent: number | undefined;

  constructor(private readonly text: string) {}

  run(): YamlProblem | undefined {
    const text = this.text;
    let lineStart = 0;
    while (lineStart <= text.length) {
      let lineEnd = text.indexOf("\n", lineStart);
      if (lineEnd === -1) lineEnd = text.length;
      const problem = this.line(lineStart, lineEnd);
      if (problem !== undefined) return problem;
      lineStart = lineEnd + 1;
    }
    if (this.quote !== undefined) {
      const name = this.quote.char === '"' ? "double" : "single";
      return {
        code: "UNCLOSED_QUOTE",
        offset: this.quote.at,
        message: `this ${name} quote is never closed (the value runs to the end of the file): add the closing ${this.quote.char}`,
      };
    }
    return undefined;
  }

  private line(start: number, end: number): YamlProblem | undefined {
    const text = this.text;
    let i = start;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const indent = i - start;
    const blank = i >= end || text[i] === "#" || (text[i] === "\r" && i + 1 >= end);
    if (this.blockScalarParent !== undefined) {
      if (blank || indent > this.blockScalarParent || this.onlyTabsThenEnd(i, end)) return undefined;
      this.blockScalarParent = undefined;
    }
    if (this.quote === undefined && this.flowDepth === 0) {
      if (text[i] === "\t" && !this.onlyTabsThenEnd(i, end)) {
        let j = i;
        while (j < end && (text[j] === "\t" || text[j] === " ")) j++;
        if (j < end && text[j] !== "#" && text[j] !== "\r") {
          return {
            code: "TAB_INDENTATION",
            offset: i,
            message:
              "a tab in the indentation: YAML indents with spaces only; replace the tab with spaces (your editor can convert tabs to spaces)",
          };
        }
      }
      if (blank) return undefined;
      while (this.indents.length > 0 && this.indents[this.indents.length - 1] > indent) this.indents.pop();
      if (this.indents.length === 0 || this.indents[this.indents.length - 1] < indent) this.indents.push(indent);
      if (this.indents.length > MAX_NESTING_DEPTH) return tooDeep(i);
    }
    return this.content(i, end);
  }

  private onlyTabsThenEnd(i: number, end: number): boolean {
    while (i < end && (this.text[i] === "\t" || this.text[i] === " " || this.text[i] === "\r")) i++;
    return i >= end;
  }

  /** Scans the rest of a line from `i`, tracking quotes, flow collections and where a scalar may start. */
  private content(i: number, end: number): YamlProblem | undefined {
    const text = this.text;
    let scalarStart = true;
    let compactLevels = 0;
    while (i < end) {
      if (this.quote !== undefined) {
        i = this.skipQuoted(i, end);
        scalarStart = false;
        continue;
      }
      const c = text[i];
      if (this.flowDepth > 0 && ++this.flowCharacters > MAX_FLOW_CHARACTERS) return flowTooLarge(i);
      if (c === " " || c === "\t" || c === "\r") {
        i++;
        continue;
      }
      if (c === "#" && (i === 0 || text[i - 1] === " " || text[i - 1] === "\t" || text[i - 1] === "\n")) return undefined;
      if (scalarStart && (c === '"' || c === "'")) {
        this.quote = { char: c, at: i };
        i++;
        continue;
      }
      if (scalarStart && (c === "[" || c === "{")) {
        this.flowDepth++;
        if (this.flowDepth > MAX_NESTING_DEPTH) return tooDeep(i);
        i++;
        continue;
      }
      if (this.flowDepth > 0 && (c === "]" || c === "}")) {
        this.flowDepth--;
        // The yaml package's cost grows with the square of one collection's size: the budget is per collection.
        if (this.flowDepth === 0) this.flowCharacters = 0;
        scalarStart = false;
        i++;
        continue;
      }
      if (this.flowDepth > 0 && c === ",") {
        scalarStart = true;
        i++;
        continue;
      }
      const next = text[i + 1];
      const separated = next === undefined || i + 1 >= end || next === " " || next === "\t" || next === "\r";
      if (scalarStart && this.flowDepth === 0 && (c === "-" || c === "?") && separated) {
        // "- - - x" nests a sequence per dash on one line.
        if (++compactLevels + this.indents.length > MAX_NESTING_DEPTH) return tooDeep(i);
        i++;
        continue;
      }
      if (c === ":" && (separated || (this.flowDepth > 0 && (next === "," || next === "]" || next === "}")))) {
        scalarStart = true;
        i++;
        continue;
      }
      if (scalarStart && this.flowDepth === 0 && (c === "|" || c === ">")) {
        this.blockScalarParent = this.indents.length > 0 ? this.indents[this.indents.length - 1] : 0;
        return undefined;
      }
      if (scalarStart && (c === "&" || c === "!" || c === "*")) {
        // An anchor, a tag or an alias: a token up to the next space; a value may still follow an anchor or tag.
        while (i < end && text[i] !== " " && text[i] !== "\t" && text[i] !== "\r" && !(this.flowDepth > 0 && ",]}".includes(text[i]))) i++;
        scalarStart = c !== "*";
        continue;
      }
      scalarStart = false;
      i++;
    }
    return undefined;
  }

  /** Inside a quoted scalar: the offset after its closing quote, or `end` when it continues on the next line. */
  private skipQuoted(i: number, end: number): number {
    const text = this.text;
    const q = this.quote as { char: string; at: number };
    while (i < end) {
      const c = text[i];
      if (this.flowDepth > 0) this.flowCharacters++;
      if (q.char === '"' && c === "\\") {
        i += 2;
        continue;
      }
      if (c === q.char) {
        if (q.char === "'" && text[i + 1] === "'") {
          i += 2;
          continue;
        }
        this.quote = undefined;
        return i + 1;
      }
      i++;
    }
    return end;
  }
}

function flowTooLarge(offset: number): YamlProblem {
  return {
    code: "YAML_FLOW_TOO_LARGE",
    offset,
    message: `more than ${MAX_FLOW_CHARACTERS} characters inside one flow collection ([…] or {…}): write it as a block list or mapping`,
  };
}
