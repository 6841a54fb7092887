/**
 * The one way an untrusted value (a username, a file path, an office folder, a group name, a value quoted in a
 * message) is shown to a person: in a terminal, a CI log, a GitHub annotation, a Pulumi diagnostic, or the Markdown
 * of a pull-request comment. Whatever a users file holds, what a reviewer sees is the value itself, on one line:
 *
 * - characters that a terminal, a log viewer or a browser would interpret or hide (C0/C1 controls, line and
 *   paragraph separators, bidi embeddings/overrides/isolates, zero-width and other format characters, lone
 *   surrogates, non-characters, private use, unassigned code points, spaces other than U+0020, fillers that render
 *   as nothing) are written as escapes (`\x1b`, `\u202e`, `\u{e0041}`): no line breaks, no reordering, nothing
 *   invisible;
 * - a value is at most `max` characters long; a longer one ends with `…(N more characters)`;
 * - in Markdown it is a code span whose fence is longer than any run of backticks in it, so GitHub shows it
 *   literally: no HTML, comment, image, link, mention, emphasis or heading can start inside it;
 * - in a CI log no line can start a workflow command (`::warning`, `::add-mask::`, `##[…]`);
 * - in Pulumi's preview comment (a raw HTML `<pre>`) no tag or entity can start.
 *
 * JSON output is the exception: it carries the exact text, for tools.
 */

// Cc, Cf (bidi controls, zero-width characters, BOM, tags…), Cs (lone surrogates), Co (private use), Cn
// (unassigned and non-characters), Zl/Zp (line and paragraph separators), every space but U+0020, and letters or
// symbols that render as blank (Hangul fillers, the braille blank, variation selectors, combining grapheme joiner).
const UNSAFE = new RegExp(
  [
    "[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}\\p{Zl}\\p{Zp}\\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000\\u115f\\u1160\\u3164\\uffa0\\u2800]",
    // Combining marks that render as nothing, alone (a class may not mix them with other characters).
    "\\u034f|[\\ufe00-\\ufe0f]|[\\u{e0100}-\\u{e01ef}]",
    "\\p{Cs}",
  ].join("|"),
  "gu",
);

/** Values longer than this (in UTF-16 code units of the original) are cut, with the number of characters left out. @internal */
export const MAX_SHOWN = 200;

function escapeCharacter(c: string): string {
  const code = c.codePointAt(0) as number;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, "0")}`;
  return `\\u{${code.toString(16)}}`;
}

/** Escapes what a terminal, log viewer or browser would interpret or hide; everything else is kept as it is. @internal */
export function escapeInvisible(text: string): string {
  return text.replace(UNSAFE, escapeCharacter);
}

/** The value made visible (escapeInvisible) and bounded to `max` characters of the original. */
export function visible(text: string, max = MAX_SHOWN): string {
  if (text.length <= max) return escapeInvisible(text);
  // Do not cut a surrogate pair in half.
  const cut = (text.charCodeAt(max - 1) & 0xfc00) === 0xd800 ? max - 1 : max;
  return `${escapeInvisible(text.slice(0, cut))}…(${text.length - cut} more characters)`;
}

/**
 * A Markdown code span GitHub renders literally: `visible(text)` fenced by one backtick more than its longest run
 * of backticks, padded with a space on each side when it starts or ends with a backtick or a space (CommonMark
 * strips exactly one such space from each side). An empty value is shown as an empty code span's stand-in.
 */
export function markdownCode(text: string, max = MAX_SHOWN): string {
  let content = visible(text, max);
  // Spaces only: CommonMark would not strip the padding, and an all-space span is easy to misread.
  if (/^ *$/.test(content)) content = content.replace(/ /g, "\\x20") || "(empty)";
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = /^[` ]|[` ]$/.test(content) ? " " : "";
  return `${fence}${pad}${content}${pad}${fence}`;
}

/**
 * One line for a terminal or a CI log: made visible (no line breaks, nothing hidden) and unable to be read by the
 * GitHub Actions runner as a workflow command: a leading `::` (after spaces) and any `##[` get their colon or
 * bracket escaped. Not bounded: callers bound the values they put in the line.
 */
export function logLine(line: string): string {
  return escapeInvisible(line)
    .replace(/^(\s*):/, (_m, spaces: string) => `${spaces}\\x3a`)
    .replace(/##\[/g, "##\\x5b");
}

/**
 * One line for text that ends up inside raw HTML (Pulumi's preview comment puts diagnostics in a `<pre>`): a log
 * line in which `<` and `&` are escaped too, so no tag, comment or entity can start.
 */
export function preformattedLine(line: string): string {
  return logLine(line).replace(/[<&]/g, escapeCharacter);
}

/**
 * Text with the credentials of any URL in it (`https://user:secret@host`, as AWS_ENDPOINT_URL may hold) replaced by
 * `***`, so an error message that quotes an endpoint never prints them.
 */
export function withoutUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, "$1***@");
}
