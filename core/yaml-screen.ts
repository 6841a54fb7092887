/**
 * One linear pass over a YAML text that refuses, before any parser sees it, what a users file never needs and what
 * would make the yaml package slow or deep: a CR that is not part of CRLF, a tab in indentation, a quote never
 * closed (reported where it opens, not at the end of the file), flow collections deeper than
 * MAX_NESTING_DEPTH or a flow collection larger than MAX_FLOW_CHARACTERS, block nesting deeper than
 * MAX_NESTING_DEPTH. One problem each, with the fix.
 *
 * It follows YAML's lexical rules closely enough to know where a scalar can start (so a quote inside a plain
 * scalar, as in O'Brien, is not a quote), skips comments and block scalars. When it is unsure it lets the text
 * through: the full parser then decides, within the bounds the screen checked. It parses nothing itself.
 */
import { MAX_NESTING_DEPTH, tooDeep, type YamlProblem } from "./yaml-problem";

/** Characters allowed inside one flow collection ([…], {…}): the yaml package parses each in quadratic time. @internal */
export const MAX_FLOW_CHARACTERS = 64 * 1024;

/** The first problem the screen finds in `text`, or undefined when the text may be given to the yaml package. */
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

/** Where the scan of one line is: the offset, whether a scalar may start there, and the "- - -" levels so far. */
interface Cursor {
  i: number;
  scalarStart: boolean;
  compactLevels: number;
}

/** After one step of a line: go on, stop (the rest of the line is a comment or a block scalar), or a problem. */
type Step = "next" | "end of line" | YamlProblem;

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
              "a tab in the indentation: YAML indents with spaces only; " +
              "replace the tab with spaces (your editor can convert tabs to spaces)",
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
    const at: Cursor = { i, scalarStart: true, compactLevels: 0 };
    while (at.i < end) {
      if (this.quote !== undefined) {
        at.i = this.skipQuoted(at.i, end);
        at.scalarStart = false;
        continue;
      }
      if (this.flowDepth > 0 && ++this.flowCharacters > MAX_FLOW_CHARACTERS) return flowTooLarge(at.i);
      const step = this.step(at, end);
      if (step === "end of line") return undefined;
      if (step !== "next") return step;
    }
    return undefined;
  }

  /** One character or token of a line's content, at `at.i` (not inside a quote), moving `at` past it. */
  private step(at: Cursor, end: number): Step {
    const text = this.text;
    const i = at.i;
    const c = text[i];
    if (c === " " || c === "\t" || c === "\r") {
      at.i++;
      return "next";
    }
    if (c === "#" && (i === 0 || text[i - 1] === " " || text[i - 1] === "\t" || text[i - 1] === "\n")) return "end of line";
    if (at.scalarStart && (c === '"' || c === "'")) {
      this.quote = { char: c, at: i };
      at.i++;
      return "next";
    }
    const flow = this.flowStep(at, c);
    if (flow !== undefined) return flow;
    const next = text[i + 1];
    const separated = next === undefined || i + 1 >= end || next === " " || next === "\t" || next === "\r";
    if (at.scalarStart && this.flowDepth === 0 && (c === "-" || c === "?") && separated) {
      // "- - - x" nests a sequence per dash on one line.
      if (++at.compactLevels + this.indents.length > MAX_NESTING_DEPTH) return tooDeep(i);
      at.i++;
      return "next";
    }
    if (c === ":" && (separated || (this.flowDepth > 0 && (next === "," || next === "]" || next === "}")))) {
      at.scalarStart = true;
      at.i++;
      return "next";
    }
    if (at.scalarStart && this.flowDepth === 0 && (c === "|" || c === ">")) {
      this.blockScalarParent = this.indents.length > 0 ? this.indents[this.indents.length - 1] : 0;
      return "end of line";
    }
    if (at.scalarStart && (c === "&" || c === "!" || c === "*")) {
      // An anchor, a tag or an alias: a token up to the next space; a value may still follow an anchor or tag.
      at.i = this.tokenEnd(i, end);
      at.scalarStart = c !== "*";
      return "next";
    }
    at.scalarStart = false;
    at.i++;
    return "next";
  }

  /** The brackets and commas of flow collections; undefined when `c` is none of them here. */
  private flowStep(at: Cursor, c: string): Step | undefined {
    if (at.scalarStart && (c === "[" || c === "{")) {
      this.flowDepth++;
      if (this.flowDepth > MAX_NESTING_DEPTH) return tooDeep(at.i);
      at.i++;
      return "next";
    }
    if (this.flowDepth > 0 && (c === "]" || c === "}")) {
      this.flowDepth--;
      // The yaml package's cost grows with the square of one collection's size: the budget is per collection.
      if (this.flowDepth === 0) this.flowCharacters = 0;
      at.scalarStart = false;
      at.i++;
      return "next";
    }
    if (this.flowDepth > 0 && c === ",") {
      at.scalarStart = true;
      at.i++;
      return "next";
    }
    return undefined;
  }

  /** The end of an anchor, tag or alias token starting at `i`. */
  private tokenEnd(i: number, end: number): number {
    const text = this.text;
    let j = i;
    while (j < end && text[j] !== " " && text[j] !== "\t" && text[j] !== "\r" && !(this.flowDepth > 0 && ",]}".includes(text[j]))) j++;
    return j;
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
