/**
 * A comment right after a plain value of a free-text attribute: `address: Flat #2, 10 High Street, Leeds` is the
 * address "Flat" and a comment, because YAML starts a comment at " #". In free text that is almost never meant,
 * so it is a warning that shows both readings and the quoted full text (which, written instead, keeps it all).
 *
 * Pure: works on the file's text and a node's offsets, which both YAML parsers set alike.
 */
import { isScalar, type Node } from "yaml";

/** Attributes whose values are prose a person types, where `#` is ordinary text (a flat number, a house name). */
const FREE_TEXT_ATTRIBUTES: ReadonlySet<string> = new Set(["name", "given_name", "family_name", "middle_name", "nickname", "address"]);

/** A space or tab, then `#`, after something: the only way a comment can follow a value on its line. */
const INLINE_COMMENT = /\S[ \t]+#/;

/** True when the text may hold a comment after a value: a file without one needs no per-value look. */
export function mayHaveInlineComments(text: string): boolean {
  return INLINE_COMMENT.test(text);
}

export function isFreeTextAttribute(key: string): boolean {
  return FREE_TEXT_ATTRIBUTES.has(key);
}

/** The warning's message when a comment follows this plain scalar on its line; undefined otherwise. */
export function commentAfterValue(text: string, key: string, node: Node | undefined): string | undefined {
  if (!isScalar(node) || node.type !== "PLAIN" || typeof node.value !== "string" || !node.range) return undefined;
  const start = node.range[0];
  let lineEnd = text.indexOf("\n", start);
  if (lineEnd < 0) lineEnd = text.length;
  const rest = text.slice(start, lineEnd).replace(/[ \t\r]+$/, "");
  const value = node.value;
  if (!rest.startsWith(value)) return undefined; // a multi-line plain scalar: not the case this is about
  const after = /^[ \t]+#(.*)$/.exec(rest.slice(value.length));
  if (after === null) return undefined;
  return (
    `${key} is ${JSON.stringify(value)}: YAML reads " #" as the start of a comment, so ${JSON.stringify(`#${after[1]}`)} ` +
    `is not part of it (if it should be, quote the text as written: ${JSON.stringify(rest)})`
  );
}
