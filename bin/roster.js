#!/usr/bin/env node
// Entry point of the `roster` command. The TypeScript sources are compiled to dist/ by `npm ci` (prepare).
// The SDK warns that releases after January 2027 will need Node 22; the versions pinned in package-lock.json
// support Node 20, so the notice says nothing about this install.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
require("../dist/cli/main.js").main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err && err.stack ? err.stack : String(err)); process.exitCode = 2; },
);
