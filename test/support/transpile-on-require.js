/**
 * Lets a plain `node` process (a dynamic-provider host, a child process) require the project's TypeScript sources,
 * transpiled on require as ts-jest does for in-process tests, so it runs the code under test, never a stale dist/.
 * Require this file once, then require any `.ts` file by its path. Options follow tsconfig.json where they change
 * the emitted code. Transpiled output is cached by content under the system's temporary directory.
 */

const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const CACHE = path.join(os.tmpdir(), "roster-transpile-cache");
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
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        resolveJsonModule: true,
        useDefineForClassFields: false,
      },
    }).outputText;
    fs.mkdirSync(CACHE, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, out);
    fs.renameSync(tmp, cached);
    return out;
  }
}

require.extensions[".ts"] ??= (module, filename) => {
  module._compile(transpile(filename, fs.readFileSync(filename, "utf8")), filename);
};
