/**
 * The habits that keep the code readable, in `npm test` (issue 11.5): Biome formats and lints everything
 * (biome.json: the recommended rules, with the exceptions it lists), and knip finds unused files, exports and
 * dependencies (knip.json), and in production mode the exports only tests use. A failure prints what the tool said;
 * `npm run lint:fix` applies the safe fixes.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

function run(bin: string, args: string[]) {
  const out = spawnSync(process.execPath, [path.join(ROOT, "node_modules", ...bin.split("/")), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  return { status: out.status, output: `${out.stdout}${out.stderr}` };
}

test("biome: every file formatted, no lint finding", () => {
  const { status, output } = run("@biomejs/biome/bin/biome", ["ci", "--colors=off", "."]);
  if (status !== 0) throw new Error(`biome ci found problems:\n${output.slice(0, 20_000)}`);
  expect(status).toBe(0);
}, 60_000);

test("knip: no unused file, export or dependency", () => {
  const { status, output } = run("knip/bin/knip.js", ["--no-progress"]);
  if (status !== 0) throw new Error(`knip found problems:\n${output.slice(0, 20_000)}`);
  expect(status).toBe(0);
}, 120_000);

test("knip --production: no export that only tests use (test-only helpers live under test/, tested internals say @internal)", () => {
  // @grpc/grpc-js and google-protobuf are devDependencies: only test/support/provider-host.ts imports them (Pulumi
  // brings its own at run time), so production mode must not find them used by product code either.
  const { status, output } = run("knip/bin/knip.js", ["--no-progress", "--production"]);
  if (status !== 0) throw new Error(`knip --production found problems:\n${output.slice(0, 20_000)}`);
  expect(status).toBe(0);
}, 120_000);
