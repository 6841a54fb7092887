/**
 * The emulator is an independent implementation of the AWS documentation: nothing under emulator/ may import from
 * the product (core/, engine/, aws/, providers/, program/, cli/) — not even types — or from outside emulator/ at
 * all, except Node built-ins and packages.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const EMULATOR_DIR = path.join(__dirname, "..", "..", "emulator");

/** Every module specifier in a TypeScript source: import/export … from, import("…"), require("…"), import "…". */
function specifiers(source: string): string[] {
  const out: string[] = [];
  const patterns = [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
    /^\s*import\s*["']([^"']+)["']/gm,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) out.push(m[1]);
  return out;
}

function emulatorSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return emulatorSources(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

test("every emulator/*.ts imports only emulator modules, Node built-ins and packages", () => {
  const files = emulatorSources(EMULATOR_DIR);
  expect(files.length).toBeGreaterThan(10);
  const offending: string[] = [];
  for (const file of files) {
    for (const spec of specifiers(fs.readFileSync(file, "utf8"))) {
      if (!spec.startsWith(".")) continue; // a Node built-in or a package
      const target = path.resolve(path.dirname(file), spec);
      const inside = target === EMULATOR_DIR || target.startsWith(EMULATOR_DIR + path.sep);
      if (!inside) offending.push(`${path.relative(EMULATOR_DIR, file)} imports ${spec}`);
    }
  }
  expect(offending).toEqual([]);
});

test("the scan sees every form of import (so a type-only or dynamic import cannot slip through)", () => {
  const sample = [
    'import type { A } from "../core/profile";',
    'export { B } from "../engine/x";',
    'const c = require("../aws/y");',
    'await import("../cli/z");',
    'import "../program/side-effect";',
  ].join("\n");
  expect(specifiers(sample)).toEqual(
    expect.arrayContaining(["../core/profile", "../engine/x", "../aws/y", "../cli/z", "../program/side-effect"]),
  );
});
