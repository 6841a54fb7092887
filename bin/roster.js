#!/usr/bin/env node
// Entry point of the `roster` command. The TypeScript sources are compiled to dist/ by `npm ci` (prepare).
require("../dist/cli/main.js").main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err && err.stack ? err.stack : String(err)); process.exitCode = 2; },
);
