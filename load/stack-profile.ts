/**
 * Reads a stack's settings file, `Pulumi.<stack>.yaml`, and hands its text to core/profile.ts to parse. The CLI,
 * the tests and the benchmarks read the stack file here; the Pulumi program gets the same values from Pulumi.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseStackProfile, stackNotFound, type ProfileResult } from "../core/profile";

/**
 * Reads `Pulumi.<stack>.yaml` under `rootDir`. `displayRoot` is the directory paths in diagnostics are
 * relative to (the repository root; defaults to `rootDir`).
 */
export function loadStackProfile(rootDir: string, stack: string, displayRoot = rootDir): ProfileResult {
  const filePath = path.join(rootDir, `Pulumi.${stack}.yaml`);
  const file = path.relative(displayRoot, filePath).split(path.sep).join("/");
  let text: string;
  try {
    text = readFileSync(filePath, "utf8");
  } catch {
    return stackNotFound(file, stack);
  }
  return parseStackProfile(text, file);
}
