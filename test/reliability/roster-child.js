/**
 * Runs `cognito-roster <args>` from the TypeScript sources in a process of its own, for the fault-matrix scenarios that kill
 * the roster mid-run or run two at once. The sources are transpiled on require (as ts-jest does for the in-process
 * runs), so the child always runs the code under test, never a stale dist/. Usage:
 *   node test/reliability/roster-child.js <roster args...>   (cwd = the checkout to run in)
 */

const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const ROOT = path.resolve(__dirname, "../..");

// Transpiled output is cached by content, so only the first child of a run pays for loading TypeScript.
const CACHE = path.join(os.tmpdir(), "roster-matrix-transpile-cache");
let ts;
function transpile(filename, source) {
  const key = crypto.createHash("sha256").update(filename).update("\0").update(source).digest("hex");
  const cached = path.join(CACHE, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    ts ??= require("typescript");
    const out = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
    }).outputText;
    fs.mkdirSync(CACHE, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, out);
    fs.renameSync(tmp, cached);
    return out;
  }
}

require.extensions[".ts"] = (module, filename) => {
  module._compile(transpile(filename, fs.readFileSync(filename, "utf8")), filename);
};

require(path.join(ROOT, "cli", "main.ts"))
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err?.stack ? err.stack : String(err));
      process.exitCode = 2;
    },
  );
