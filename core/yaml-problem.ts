/**
 * A problem found in a YAML text before or while it is parsed (core/yaml-tree.ts), as a value with the character
 * offset it is at; the caller turns the offset into a 1-based line and column. Also the nesting bound that both the
 * screen (core/yaml-screen.ts) and the full parse (core/yaml-full-parse.ts) keep.
 */
import type { DiagnosticCode } from "./diagnostic-codes";

export interface YamlProblem {
  code: DiagnosticCode;
  /** Character offset in the text. */
  offset: number;
  message: string;
}

/** Nesting allowed: a users file needs 4 levels; the yaml package recurses once per level. */
export const MAX_NESTING_DEPTH = 64;

export function tooDeep(offset: number): YamlProblem {
  return { code: "YAML_TOO_DEEP", offset, message: `nesting deeper than ${MAX_NESTING_DEPTH} levels: a users file needs 4` };
}
