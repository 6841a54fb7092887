/**
 * The product reaches the local emulator through the clients it builds (aws/clients.ts `endpoint`, `credentials`;
 * cli/command-context.ts `commandClients`), never by writing AWS_ENDPOINT_URL or keys into process.env: a write
 * there would leak into everything else the process runs (a Pulumi program, a test, the next command).
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const PRODUCT = ["aws", "cli", "core", "emulator", "engine", "load", "program", "providers"];
const WRITE = /process\.env(\.[A-Za-z_]\w*|\[[^\]]+\])\s*(=[^=]|\?\?=|\|\|=)|delete process\.env|process\.env\s*=[^=]/;

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|js)$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

test("no product module writes process.env", () => {
  const files = PRODUCT.flatMap(sources);
  expect(files).toContain(path.join("cli", "start-command.ts"));
  const writers = files.filter((file) => WRITE.test(readFileSync(path.join(ROOT, file), "utf8")));
  expect(writers).toEqual([]);
});

test("the pattern finds the writes it is for", () => {
  for (const text of [
    'process.env.AWS_ENDPOINT_URL = "x"',
    "process.env.AWS_ACCESS_KEY_ID ??= k",
    "delete process.env.X",
    "process.env = saved",
  ])
    expect(WRITE.test(text)).toBe(true);
  expect(WRITE.test("const e = process.env.AWS_ENDPOINT_URL === x")).toBe(false);
});
