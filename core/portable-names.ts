/**
 * Portable names under the users folder: what a folder or a users file may be called. Names travel into pull
 * request comments, CI logs, annotations and other people's file systems; a name that needs escaping anywhere is
 * refused here, with a position, rather than shown escaped later. The mode script of the pull-request workflows
 * (.github/scripts/pull-request-mode.sh) applies the same rule and treats any other path under users/ as code; a
 * test keeps the two in step.
 *
 * - a folder is an office slug: lower-case letters and digits in words joined by single hyphens (`north-west`);
 * - a users file: lower-case letters, digits, `-`, `_` and inner dots, starting with a letter or digit, ending in
 *   `.yaml` or `.yml` (`2026-08-intake.yaml`);
 * - at most 63 characters for a folder and 100 for a file.
 */

const OFFICE_FOLDER = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const USERS_FILE = /^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*\.ya?ml$/;
const MAX_FOLDER = 63;
const MAX_FILE = 100;

/** Why `name` cannot be a folder under users/; undefined when it can. */
export function folderNameProblem(name: string): string | undefined {
  if (name.length > MAX_FOLDER) return `a folder name under users/ is at most ${MAX_FOLDER} characters (this one has ${name.length})`;
  if (OFFICE_FOLDER.test(name)) return undefined;
  return (
    "a folder under users/ is an office slug: lower-case letters and digits, words joined by single hyphens (north-west)" +
    offending(name, /[a-z0-9-]/)
  );
}

/** Why `name` cannot be a users file's name; undefined when it can. */
export function fileNameProblem(name: string): string | undefined {
  if (name.length > MAX_FILE) return `a users file's name is at most ${MAX_FILE} characters (this one has ${name.length})`;
  if (USERS_FILE.test(name)) return undefined;
  return (
    "a users file is named with lower-case letters, digits, '-', '_' and inner dots, " +
    "starts with a letter or digit and ends in .yaml or .yml (2026-08-intake.yaml)" +
    offending(name, /[a-z0-9._-]/)
  );
}

/** `: it contains "X"`, the first character outside the alphabet, shown as an escape when invisible. */
function offending(name: string, allowed: RegExp): string {
  const bad = [...name].find((c) => !allowed.test(c));
  if (bad === undefined) return "";
  const shown = /^[\x21-\x7e]$/.test(bad) ? bad : `\\u{${(bad.codePointAt(0) as number).toString(16)}}`;
  return `: it contains '${shown}'`;
}
