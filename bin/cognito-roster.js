#!/usr/bin/env node
// Entry point of the `roster` command. The TypeScript sources are compiled to dist/ by `npm ci` (the `prepare`
// script) or `npm run build`. When dist/ is missing, or older than the sources, this says so in one line instead
// of failing with a stack trace.
// The SDK warns that releases after January 2027 will need Node 22; the versions pinned in package-lock.json
// support Node 20, so the notice says nothing about this install.

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
// core/exit-codes.ts's EXIT_PROBLEMS and EXIT_USAGE, named here because dist/ may be missing or unloadable.
const EXIT_PROBLEMS = 1;
const EXIT_USAGE = 2;
const compiledMain = path.join(root, "dist", "cli", "main.js");
const SOURCE_DIRS = ["cli", "core", "engine", "aws", "emulator"];

/** The newest .ts source under the folders the CLI is built from, or undefined when there are no sources. */
function newestSource() {
  let newest;
  const visit = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        const mtime = fs.statSync(full).mtimeMs;
        if (!newest || mtime > newest.mtime) newest = { file: path.relative(root, full), mtime };
      }
    }
  };
  for (const dir of SOURCE_DIRS) visit(path.join(root, dir));
  return newest;
}

function fail(message) {
  process.stderr.write(`cognito-roster: ${message}\n`);
  process.exitCode = EXIT_USAGE;
}

if (!fs.existsSync(compiledMain)) {
  fail("not built yet: dist/cli/main.js is missing. Run `npm run build` (npm ci runs it too, through the prepare script).");
} else {
  const source = newestSource();
  if (source && source.mtime > fs.statSync(compiledMain).mtimeMs + 1000) {
    process.stderr.write(`cognito-roster: warning: dist/ is older than ${source.file}; run \`npm run build\` to use your changes\n`);
  }
  let cli;
  try {
    cli = require(compiledMain);
  } catch (err) {
    fail(`the build in dist/ cannot be loaded (${String(err?.message).split("\n")[0]}). Run \`npm run build\`.`);
  }
  if (cli) {
    cli.main(process.argv.slice(2)).then(
      (code) => {
        process.exitCode = code;
      },
      (err) => {
        // main() turns every error into a message; this is the last line of defence, still without a stack trace.
        process.stderr.write(`cognito-roster: ${err?.message ? String(err.message).split("\n")[0] : String(err)}\n`);
        process.exitCode = EXIT_PROBLEMS;
      },
    );
  }
}
