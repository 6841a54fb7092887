/**
 * A fast path for parsing the plain YAML that users files are made of, with exact positions.
 *
 * Users files are block mappings and sequences of one-line scalars, plus one-line flow sequences of plain scalars
 * as mapping values (`groups: [trainees, kss-admins]`). For that subset this module builds the same tree the yaml
 * package would — its own Scalar, YAMLMap, YAMLSeq (flow: true for `[…]`) and Pair nodes with the same start and
 * value-end offsets, plain scalars resolved by the yaml package's own core-schema tags — in about a third of the
 * time, because it skips the general lexer, CST and composer. Anything outside the subset (flow mappings, nested
 * or multi-line flow collections, quoted scalars or `:` `#` inside `[…]`, anchors, aliases, tags, block or
 * multi-line scalars, escapes in double quotes, tabs, a CR outside CRLF, empty values, duplicate keys, several
 * documents, anything it does not recognise) makes it return undefined, and the caller parses the text with the
 * yaml package as before: every error and every unusual file still goes through the full parser.
 *
 * It must not: throw on any input, report diagnostics, or keep module-level state.
 */
import { isScalar, LineCounter, Pair, Scalar, Schema, YAMLMap, YAMLSeq, type ParsedNode } from "yaml";

export interface SimpleYamlTree {
  value: unknown;
  root: ParsedNode;
  lineCounter: LineCounter;
}

interface Line {
  /** Column of the first significant character (0-based); for a sequence item after "- ", the item's column. */
  indent: number;
  /** Offset of the first significant character. */
  start: number;
  /** Offset of the end of the line (the newline, or the text's end). */
  end: number;
  /** The line from `start`, comments not yet removed. */
  content: string;
  /** Offset after the line break (the text's end on the last line). */
  next: number;
}

/** Thrown inside the parser to abandon the fast path; never escapes this module. */
class NotSimple {}

/** A mapping wider than `MAX_SIMPLE_MAPPING_KEYS`: not a users file; reported by the caller, never parsed further. */
class TooWide {
  constructor(readonly offset: number) {}
}

/** Keys one mapping may have here; a users file's widest mapping (a user) has a few dozen. */
export const MAX_SIMPLE_MAPPING_KEYS = 1000;

/** Filled by `parseSimpleYamlTree` when it stops at a mapping that is too wide. */
export interface SimpleYamlRefusal {
  tooWideAt?: number;
}

type ScalarTag = {
  test?: RegExp;
  default?: boolean | string;
  resolve: (value: string, onError: (msg: string) => void, options: object) => unknown;
};

/** Characters a plain scalar may not start with here. */
const PLAIN_FIRST_CHAR_REFUSED = "[]{}&*!|>%@`?,#'\"";

/**
 * Characters a plain item of a flow sequence may not contain here: flow indicators, a mapping indicator, a comment
 * or anything the yaml package might read as one. Quotes are refused only as an item's first character (a quoted
 * scalar); inside a plain scalar, as in O'Brien, they are text.
 */
const FLOW_ITEM_CHARS_REFUSED = /[[\]{}:#]/;

/**
 * The longest `[…]` read here: the screen in core/yaml-screen.ts refuses a longer one (its MAX_FLOW_CHARACTERS) before
 * the yaml package sees it, so declining it sends it to the same answer whichever parser the rest of the file needs.
 */
const MAX_SIMPLE_FLOW_CHARACTERS = 64 * 1024;

export function parseSimpleYamlTree(text: string, refusal?: SimpleYamlRefusal): SimpleYamlTree | undefined {
  if (hasLoneCarriageReturn(text) || text.includes("\t") || text.charCodeAt(0) === 0xfeff) return undefined;
  const lineCounter = new LineCounter();
  const lines = significantLines(text, lineCounter);
  if (lines === undefined || lines.length === 0) return undefined;
  const tags = (new Schema({}).tags as unknown as ScalarTag[]).filter((t) => t.default === true && t.test !== undefined);
  const parser = new BlockParser(lines, tags);
  try {
    const { node, value } = parser.block(lines[0].indent);
    if (parser.index !== lines.length) return undefined;
    return { value, root: node, lineCounter };
  } catch (e) {
    // RangeError: nesting deep enough to exhaust the stack; the caller's screen reports it with its place.
    if (e instanceof NotSimple || e instanceof RangeError) return undefined;
    if (e instanceof TooWide) {
      if (refusal !== undefined) refusal.tooWideAt = e.offset;
      return undefined;
    }
    throw e;
  }
}

/** Non-blank, non-comment lines; undefined for document markers or directives. */
function significantLines(text: string, lineCounter: LineCounter): Line[] | undefined {
  const lines: Line[] = [];
  let lineStart = 0;
  lineCounter.addNewLine(0);
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    // CRLF: the CR belongs to the line break, as the yaml package reads it.
    const contentEnd = lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    let i = lineStart;
    while (i < contentEnd && text.charCodeAt(i) === 32) i++;
    if (i < contentEnd && text[i] !== "#") {
      const content = text.slice(i, contentEnd);
      if (i === lineStart && (content.startsWith("---") || content.startsWith("...") || content.startsWith("%"))) return undefined;
      lines.push({ indent: i - lineStart, start: i, end: contentEnd, content, next: lineEnd === text.length ? lineEnd : lineEnd + 1 });
    }
    if (lineEnd === text.length) break;
    lineStart = lineEnd + 1;
    lineCounter.addNewLine(lineStart);
  }
  return lines;
}

class BlockParser {
  index = 0;

  constructor(
    private readonly lines: Line[],
    private readonly tags: ScalarTag[],
  ) {}

  /** The block (sequence or mapping) starting at the current line, which has this indent. */
  block(indent: number): { node: ParsedNode; value: unknown } {
    const line = this.lines[this.index];
    return isSequenceItem(line.content) ? this.sequence(indent) : this.mapping(indent);
  }

  private sequence(indent: number): { node: ParsedNode; value: unknown } {
    const seq = new YAMLSeq();
    const values: unknown[] = [];
    const start = this.lines[this.index].start;
    let end = start;
    while (this.index < this.lines.length) {
      const line = this.lines[this.index];
      if (line.indent < indent) break;
      if (line.indent > indent || !isSequenceItem(line.content)) throw new NotSimple();
      let skip = 1;
      while (line.content[skip] === " ") skip++;
      if (skip >= line.content.length || line.content[skip] === "#") throw new NotSimple(); // item on the next lines
      const rest = line.content.slice(skip);
      if (isSequenceItem(rest)) throw new NotSimple();
      let item: { node: ParsedNode; value: unknown };
      if (splitKey(rest) !== undefined) {
        // "- key: value": a mapping whose keys sit at the column after "- ". Re-read this line as its first key.
        this.lines[this.index] = { ...line, indent: line.indent + skip, start: line.start + skip, content: rest };
        item = this.mapping(line.indent + skip);
      } else {
        item = this.scalar(rest, line.start + skip);
        this.index++;
      }
      seq.items.push(item.node);
      values.push(item.value);
      end = (item.node.range as [number, number, number])[2];
    }
    seq.range = [start, end, end];
    return { node: seq as unknown as ParsedNode, value: values };
  }

  private mapping(indent: number): { node: ParsedNode; value: unknown } {
    const map = new YAMLMap();
    const value: Record<string, unknown> = {};
    const start = this.lines[this.index].start;
    let end = start;
    while (this.index < this.lines.length) {
      const line = this.lines[this.index];
      if (line.indent < indent) break;
      if (line.indent > indent || isSequenceItem(line.content)) throw new NotSimple();
      const split = splitKey(line.content);
      if (split === undefined) throw new NotSimple();
      const keyText = split.key;
      const key = this.plainScalar(keyText, line.start);
      const name = String(key.value);
      if (name === "__proto__" || Object.hasOwn(value, name)) throw new NotSimple();
      let item: { node: ParsedNode; value: unknown };
      const restOffset = line.start + split.valueStart;
      const rest = line.content.slice(split.valueStart);
      if (rest === "" || rest.startsWith("#")) {
        // "key:" then a nested block: more indented, or a sequence at the key's own indent.
        this.index++;
        const next = this.lines[this.index];
        if (next === undefined || next.indent < indent || (next.indent === indent && !isSequenceItem(next.content))) throw new NotSimple();
        item = this.block(next.indent);
      } else if (rest[0] === "[") {
        item = this.flowSequence(rest, restOffset, line.next);
        this.index++;
      } else {
        item = this.scalar(rest, restOffset);
        this.index++;
      }
      if (map.items.length >= MAX_SIMPLE_MAPPING_KEYS) throw new TooWide(key.range?.[0] ?? line.start);
      map.items.push(new Pair(key, item.node));
      value[name] = item.value;
      end = (item.node.range as [number, number, number])[2];
    }
    map.range = [start, end, end];
    return { node: map as unknown as ParsedNode, value };
  }

  /** A one-line scalar value starting at `offset`; `text` runs to the end of the line. */
  private scalar(text: string, offset: number): { node: ParsedNode; value: unknown } {
    const first = text[0];
    if (first === '"') {
      const close = text.indexOf('"', 1);
      const inner = close > 0 ? text.slice(1, close) : "";
      if (close < 0 || inner.includes("\\") || !onlyCommentAfter(text, close + 1)) throw new NotSimple();
      return this.quoted(inner, offset, close + 1, Scalar.QUOTE_DOUBLE);
    }
    if (first === "'") {
      let i = 1;
      let inner = "";
      for (;;) {
        const q = text.indexOf("'", i);
        if (q < 0) throw new NotSimple();
        inner += text.slice(i, q);
        if (text[q + 1] === "'") {
          inner += "'";
          i = q + 2;
          continue;
        }
        if (!onlyCommentAfter(text, q + 1)) throw new NotSimple();
        return this.quoted(inner, offset, q + 1, Scalar.QUOTE_SINGLE);
      }
    }
    let plain = text;
    const comment = plain.indexOf(" #");
    if (comment >= 0) plain = plain.slice(0, comment);
    // Only spaces end a plain scalar (tabs never reach here): a no-break space, U+2028 or a zero-width space is
    // part of the value, as the yaml package reads it, and the rules report it. String.trimEnd would drop them.
    plain = trimSpacesEnd(plain);
    if (
      plain === "" ||
      plain.includes(": ") ||
      plain.endsWith(":") ||
      PLAIN_FIRST_CHAR_REFUSED.includes(plain[0]) ||
      (plain[0] === "-" && (plain.length === 1 || plain[1] === " "))
    ) {
      throw new NotSimple();
    }
    const node = this.plainScalar(plain, offset);
    return { node, value: node.value };
  }

  /**
   * A flow sequence of plain scalars closed on its own line, `[a, b]` or `[]`, starting at `offset`; `text` runs to
   * the end of the line, `lineBreakEnd` is the offset after the line break. Ranges as the yaml package sets them:
   * an item ends (range[2]) at its `,` or `]`; the sequence at `]`, its range[2] past what follows on the line and
   * the line break; a comment after it is the sequence's comment.
   */
  private flowSequence(text: string, offset: number, lineBreakEnd: number): { node: ParsedNode; value: unknown } {
    const close = text.indexOf("]");
    if (close < 0 || close > MAX_SIMPLE_FLOW_CHARACTERS || !onlyCommentAfter(text, close + 1)) throw new NotSimple();
    const seq = new YAMLSeq();
    seq.flow = true;
    const values: unknown[] = [];
    const inner = text.slice(1, close);
    if (trimSpacesEnd(inner) !== "") {
      let from = 0;
      for (;;) {
        const comma = inner.indexOf(",", from);
        const to = comma < 0 ? inner.length : comma;
        const node = this.flowItem(inner.slice(from, to), offset + 1 + from, offset + 1 + to);
        seq.items.push(node);
        values.push(node.value);
        if (comma < 0) break;
        from = comma + 1;
      }
    }
    const comment = text.indexOf("#", close + 1);
    if (comment >= 0) seq.comment = text.slice(comment + 1) || " ";
    seq.range = [offset, offset + close + 1, lineBreakEnd];
    return { node: seq as unknown as ParsedNode, value: values };
  }

  /** One item of a flow sequence: `text` lies between `[` or `,` at `offset - 1` and `,` or `]` at `separator`. */
  private flowItem(text: string, offset: number, separator: number): Scalar & ParsedNode {
    let lead = 0;
    while (text.charCodeAt(lead) === 32) lead++;
    const plain = trimSpacesEnd(text.slice(lead));
    // An empty item is `[a, , b]` or a trailing comma; the rest would not be one plain scalar in the yaml package.
    if (
      plain === "" ||
      FLOW_ITEM_CHARS_REFUSED.test(plain) ||
      PLAIN_FIRST_CHAR_REFUSED.includes(plain[0]) ||
      (plain[0] === "-" && (plain.length === 1 || plain[1] === " "))
    ) {
      throw new NotSimple();
    }
    const node = this.plainScalar(plain, offset + lead);
    (node.range as [number, number, number])[2] = separator;
    return node;
  }

  private quoted(inner: string, offset: number, length: number, type: Scalar.Type): { node: ParsedNode; value: unknown } {
    const node = new Scalar(inner);
    node.type = type;
    node.range = [offset, offset + length, offset + length];
    return { node: node as unknown as ParsedNode, value: inner };
  }

  /** A plain scalar resolved exactly as the yaml package's core schema resolves it. */
  private plainScalar(text: string, offset: number): Scalar & ParsedNode {
    let resolved: unknown = text;
    for (const tag of this.tags) {
      if (tag.test?.test(text)) {
        let failed = false;
        resolved = tag.resolve(text, () => (failed = true), {});
        if (failed) throw new NotSimple();
        break;
      }
    }
    // Some tags (bool, float) resolve to a Scalar of their own, as the composer expects.
    const node = isScalar(resolved) ? resolved : new Scalar(resolved);
    node.type = Scalar.PLAIN;
    node.source = text;
    node.range = [offset, offset + text.length, offset + text.length];
    return node as Scalar & ParsedNode;
  }
}

function isSequenceItem(content: string): boolean {
  return content[0] === "-" && (content.length === 1 || content[1] === " ");
}

/** `key: value` / `key:` with a plain key: the key and where the value starts; undefined otherwise. */
function splitKey(content: string): { key: string; valueStart: number } | undefined {
  if (PLAIN_FIRST_CHAR_REFUSED.includes(content[0]) || content[0] === "-" || content[0] === ":") return undefined;
  let colon = content.indexOf(": ");
  if (colon < 0) {
    if (!content.endsWith(":")) return undefined;
    colon = content.length - 1;
  }
  const key = content.slice(0, colon);
  if (key.includes(" #") || key !== key.trimEnd()) return undefined;
  let valueStart = colon + 1;
  while (content[valueStart] === " ") valueStart++;
  return { key, valueStart };
}

function onlyCommentAfter(text: string, from: number): boolean {
  const rest = text.slice(from);
  return /^ *$/.test(rest) || /^ +#/.test(rest);
}

function trimSpacesEnd(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return text.slice(0, end);
}

function hasLoneCarriageReturn(text: string): boolean {
  for (let i = text.indexOf("\r"); i !== -1; i = text.indexOf("\r", i + 1)) if (text.charCodeAt(i + 1) !== 10) return true;
  return false;
}
