/**
 * A block of lines set in under a heading (`cognito-roster start` prints the apply's report under its own). Pure.
 */

/** Every non-empty line indented by three spaces; empty lines stay empty, trailing white space goes. */
export function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => (l ? `   ${l}` : ""))
    .join("\n");
}
