/**
 * Values a hostile contributor could put in a name (a username, a file or folder name, a group, a message): each
 * tries to end a line, a code span or a comment, start HTML, a mention, a link or a workflow command, or reorder
 * or hide text. Shared by the renderer tests (test/core/untrusted-text.test.ts).
 */
export const HOSTILE_VALUES: readonly string[] = [
  "line\nbreak",
  "cr\r\n\n0 to import, 0 to update, 0 to disable",
  "<!-- hide the rest",
  "-->",
  "`",
  "a``b```c`",
  "`starts and ends`",
  " padded ",
  "<details><summary>nothing to see</summary>",
  "</code></li></ul><h1>forged</h1>",
  "<img src=x onerror=alert(1)>",
  "![tracker](https://example.com/t.png)",
  "[click](https://example.com)",
  "https://example.com/autolink",
  "@example-org/admins",
  "**bold** _em_ ~~gone~~",
  "# heading",
  "| a | b |",
  "&lt;entity&gt;",
  "right\u202eto\u202cleft",
  "iso\u2066late\u2069",
  "zero\u200bwidth\ufeffbom",
  "tag\u{e0041}chars",
  "nbsp\u00a0here",
  "line\u2028separator",
  "esc\u001b[31mred",
  "::warning::forged warning",
  "::add-mask::secret",
  "  ::error::indented",
  "##[add-mask]x",
  "x".repeat(500),
];
