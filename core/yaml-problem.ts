/**
 * A problem found in a YAML text before or while it is parsed (core/yaml-tree.ts), as a value with the character
 * offset it is at; the caller turns the offset into a 1-based line and column. Also the nesting bound that both the
 * screen (core/yaml-screen.ts) and the full parse (core/yaml-full-parse.ts) keep.
 */

type YamlProblemCode =
  | "YAML_SYNTAX"
  | "DUPLICATE_KEY"
  | "YAML_ALIAS_LIMIT"
  | "YAML_TAG"
  | "YAML_COMPLEX_KEY"
  | "YAML_TOO_DEEP"
  | "YAML_FLOW_TOO_LARGE"
  | "CR_LINE_ENDINGS"
  | "TAB_INDENTATION"
  | "UNCLOSED_QUOTE"
  | "YAML_TOO_LARGE"
  | "MAPPING_TOO_WIDE";

export interface YamlProblem {
  code: YamlProblemCode;
  /** Character offset in the text. */
  offset: number;
  message: string;
}

/** Nesting allowed: a users file needs 4 levels; the yaml package recurses once per level. */
export const MAX_NESTING_DEPTH = 64;

export function tooDeep(offset: number): YamlProblem {
  return { code: "YAML_TOO_DEEP", offset, message: `nesting deeper than ${MAX_NESTING_DEPTH} levels: a users file needs 4` };
}
