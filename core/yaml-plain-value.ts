/**
 * Turns the yaml package's composed nodes into the plain value a users file is checked as: objects, arrays,
 * strings, numbers, booleans and null, with `__proto__` keys kept as data. Aliases are followed but the nodes they
 * add are capped, so neither a "billion laughs" nor aliases of one wide mapping can eat memory; duplicate keys are
 * found with a hash (the first value is kept); tags and complex keys are refused with their position. Problems are
 * values, never exceptions that leave this module.
 */
import { isAlias, isCollection, isMap, isScalar, isSeq, type Alias, type Document, type Node, type ParsedNode, type YAMLMap } from "yaml";
import { shorten } from "./diagnostics";
import { tooDeep, type YamlProblem } from "./yaml-problem";

/** Alias expansions allowed per file. Real users files need few or none; a resource attack needs millions. @internal */
export const MAX_ALIAS_EXPANSIONS = 1000;
/** Nodes that alias expansions may add to a file's value (an alias of a wide mapping adds all its nodes). */
const MAX_ALIAS_NODES = 10_000;

class AliasLimitExceeded {
  constructor(readonly offset: number) {}
}

/** A problem found while turning nodes into plain data; the value is unusable. */
class ValueProblem {
  constructor(readonly problem: YamlProblem) {}
}

/**
 * The plain value of `root`; duplicate keys are added to `problems` (the value stays usable), any other problem too,
 * with `unusable` set.
 */
export function plainValueOf(
  root: ParsedNode | null,
  document: Document.Parsed,
  problems: YamlProblem[],
  text: string,
): { value: unknown; unusable: boolean } {
  try {
    return { value: toPlain(root, document, { expansions: 0, aliasNodes: 0, insideAlias: 0, problems, text }), unusable: false };
  } catch (e) {
    if (e instanceof AliasLimitExceeded) {
      problems.push({
        code: "YAML_ALIAS_LIMIT",
        offset: e.offset,
        message:
          `aliases here would add more than ${MAX_ALIAS_EXPANSIONS} expansions or ${MAX_ALIAS_NODES} nodes: ` +
          "refusing to expand further (a file like this can exhaust memory)",
      });
    } else if (e instanceof ValueProblem) {
      problems.push(e.problem);
    } else if (e instanceof RangeError) {
      problems.push(tooDeep(0));
    } else {
      throw e;
    }
    return { value: null, unusable: true };
  }
}

/** The text of a mapping key as the plain value uses it. */
export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
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
  if (isMap(node)) return plainMapping(node, doc, state);
  if (isSeq(node)) return node.items.map((item) => toPlain(item, doc, state));
  if (isAlias(node)) return plainAlias(node, doc, state);
  return null;
}

function plainMapping(node: YAMLMap, doc: Document, state: PlainState): Record<string, unknown> {
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

function plainAlias(node: Alias, doc: Document, state: PlainState): unknown {
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

const WRITE_PLAINLY = "write the value plainly, quoted if it must stay a string";

function tagProblem(node: Node, text: string): YamlProblem {
  const tag = (node as { tag?: string }).tag ?? "";
  const shown = tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice("tag:yaml.org,2002:".length)}` : tag;
  return {
    code: "YAML_TAG",
    offset: tagOffset(node, text),
    message: `YAML tag ${JSON.stringify(shorten(shown))}: users files use no tags (${WRITE_PLAINLY})`,
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
