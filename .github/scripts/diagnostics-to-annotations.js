#!/usr/bin/env node
/**
 * Turns `cognito-roster validate --format json` output (an array of {file, line, col, severity, code, message}) into GitHub
 * workflow commands, so each problem shows on the pull request's "Files changed" tab at its line:
 *
 *   npx cognito-roster validate --format json | node .github/scripts/diagnostics-to-annotations.js
 *
 * It prints one `::error file=…,line=…,col=…,title=CODE::message` (or `::warning`) per diagnostic plus the plain
 * `file:line:col: error CODE message` line for the log, and exits 1 when any is an error, so the step fails even
 * though a pipe hides roster's own exit code (the workflow also sets `pipefail`). Plain Node, no dependencies of its
 * own: file names and messages are shown the one way the roster shows untrusted text (core/untrusted-text.ts,
 * compiled to dist/ like the `roster` it reads from): visible, one line, never a workflow command.
 */

const path = require("node:path");

function compiled(module) {
  const file = path.join(__dirname, "..", "..", "dist", "core", `${module}.js`);
  try {
    return require(file);
  } catch {
    process.stdout.write(`::error title=cognito-roster validate::${file} is missing: build the roster first (npm run build)\n`);
    process.exit(1);
  }
}
const { logLine, visible } = compiled("untrusted-text");
const { formatDiagnostic } = compiled("diagnostics");

/** Escaping from GitHub's workflow-command rules: data escapes %, CR, LF; properties also escape : and ,. */
function escapeData(text) {
  return String(text).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(text) {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** @param {{file: string, line: number, col: number, severity: string, code: string, message: string}} d */
function annotation(d) {
  const level = d.severity === "error" ? "error" : "warning";
  // Line 0 means "the path as a whole" (a folder, a link, an unreadable file): annotate the file, not a line.
  const position = d.line > 0 ? [`line=${d.line}`, `col=${d.col}`] : [];
  const props = [`file=${escapeProperty(visible(d.file))}`, ...position, `title=${escapeProperty(visible(d.code))}`].join(",");
  return `::${level} ${props}::${escapeData(logLine(d.message))}`;
}

/** Returns the lines to print and whether any diagnostic is an error. */
function toAnnotations(diagnostics) {
  const lines = [];
  for (const d of diagnostics) lines.push(annotation(d), formatDiagnostic(d));
  return { lines, failed: diagnostics.some((d) => d.severity === "error") };
}

module.exports = { annotation, toAnnotations, escapeData, escapeProperty };

if (require.main === module) {
  let input = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (input += chunk));
  process.stdin.on("end", () => {
    let diagnostics;
    try {
      diagnostics = JSON.parse(input);
      if (!Array.isArray(diagnostics)) throw new Error("expected a JSON array");
    } catch (e) {
      // Not JSON: roster stopped before validating (bad stack config, missing users dir). Show what it said.
      for (const line of input.split(/\r?\n/)) if (line !== "") process.stdout.write(`${logLine(line)}\n`);
      process.stdout.write(
        `::error title=cognito-roster validate::cognito-roster validate did not produce diagnostics (${escapeData(e.message)})\n`,
      );
      process.exitCode = 1;
      return;
    }
    const { lines, failed } = toAnnotations(diagnostics);
    if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    process.stdout.write(`${errors} error(s), ${diagnostics.length - errors} warning(s)\n`);
    process.exitCode = failed ? 1 : 0;
  });
}
