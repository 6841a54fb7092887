/**
 * What Cognito's import CSV can carry in a text value: no line breaks, double quotes, backslashes or control
 * characters (it has no documented quoting or escaping for them), no whitespace or invisible characters at the
 * edges (Cognito trims them), no bidirectional controls, no lone surrogates. Pure functions over strings; the
 * characters are named in messages ("no-break space (U+00A0)").
 */
import { errorFinding, type UserFinding } from "./user-finding";

// Line breaks, double quotes, backslashes and control characters (C0, DEL, C1, and the Unicode line/paragraph
// separators): Cognito's import CSV has no documented quoting or escaping for any of them.
export const UNREPRESENTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029"\\]/;
// JavaScript's \s is Unicode-aware: every space separator (no-break spaces, em spaces…), line terminators, BOM.
export const WHITESPACE = /\s/;
// Whitespace of every Unicode kind plus the invisible characters people paste by accident (zero-width spaces and
// joiners, word joiner, soft hyphen, bidi marks: Unicode's format characters) and the Hangul fillers.
const INVISIBLE = "[\\s\\p{Cf}\\u180e\\u115f\\u1160\\u3164\\uffa0]";
const LEADING_INVISIBLE = new RegExp(`^${INVISIBLE}+`, "u");
const TRAILING_INVISIBLE = new RegExp(`${INVISIBLE}+$`, "u");
// Embeddings, overrides and isolates: text that displays differently from what it is ("Trojan Source").
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
// In a u-mode class, surrogate ranges match only unpaired surrogates.
export const LONE_SURROGATE = /[\ud800-\udfff]/u;
/** One test for the common case of a clean value; the precise checks run only when it matches. */
export const ANY_CSV_TEXT_PROBLEM = new RegExp(
  `[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029"\\\\\\u202a-\\u202e\\u2066-\\u2069]|^${INVISIBLE}|${INVISIBLE}$|[\\ud800-\\udfff]`,
  "u",
);

/** The finding about a text value Cognito's import CSV cannot carry as it is, if any (one per value). */
export function checkCsvText(key: string, value: string): UserFinding[] {
  if (LONE_SURROGATE.test(value)) return [loneSurrogateFinding(key)];
  // A line break or tab only at an edge is one mistake, whitespace, reported once as such; inside the value it
  // cannot be carried at all.
  const inner = value.replace(LEADING_INVISIBLE, "").replace(TRAILING_INVISIBLE, "");
  const surrounding = UNREPRESENTABLE.test(inner) ? undefined : surroundingWhitespace(key, value);
  if (surrounding !== undefined) return [surrounding];
  const bad = UNREPRESENTABLE.exec(inner) ?? UNREPRESENTABLE.exec(value);
  if (bad) {
    const tab = bad[0] === "\t" ? " (replace the tab with a space)" : "";
    return [
      errorFinding(
        "UNREPRESENTABLE_CHARACTER",
        key,
        "value",
        `${key} contains a ${describeCharacter(bad[0])}: Cognito's import CSV has no way to carry it${tab}`,
      ),
    ];
  }
  const bidi = BIDI_CONTROL.exec(value);
  if (bidi) {
    return [
      errorFinding(
        "BIDI_CONTROL",
        key,
        "value",
        `${key} contains a ${describeCharacter(bidi[0])}, ` +
          "a bidirectional control that makes text display differently from what it is: remove it",
      ),
    ];
  }
  return [];
}

/** "given_name has a trailing no-break space (U+00A0)": the finding for a value with invisible edges, if any. */
export function surroundingWhitespace(key: string, value: string): UserFinding | undefined {
  const leading = LEADING_INVISIBLE.exec(value);
  const trailing = TRAILING_INVISIBLE.exec(value);
  if (!leading && !trailing) return undefined;
  const parts: string[] = [];
  if (leading) parts.push(`a leading ${describeCharacter(leading[0][0])}`);
  if (trailing && !(leading && leading[0].length === value.length))
    parts.push(`a trailing ${describeCharacter(trailing[0][trailing[0].length - 1])}`);
  return errorFinding(
    "SURROUNDING_WHITESPACE",
    key,
    "value",
    `${key} has ${parts.join(" and ")}: Cognito trims whitespace on import, so the pool would never match this file; remove it`,
  );
}

export function loneSurrogateFinding(key: string): UserFinding {
  return errorFinding(
    "LONE_SURROGATE",
    key,
    "value",
    `${key} contains half of a surrogate pair (an escape such as \\uD800 on its own): it is not a character and cannot be stored`,
  );
}

export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    n++;
  }
  return n;
}

const CHARACTER_NAMES: Readonly<Record<string, string>> = {
  "\n": "line break",
  "\r": "carriage return",
  "\t": "tab",
  " ": "space",
  "\u00a0": "no-break space",
  "\u2028": "line separator",
  "\u2029": "paragraph separator",
  "\u200b": "zero-width space",
  "\u200c": "zero-width non-joiner",
  "\u200d": "zero-width joiner",
  "\u2060": "word joiner",
  "\ufeff": "byte-order mark / zero-width no-break space",
  "\u3000": "ideographic space",
  "\u202f": "narrow no-break space",
  "\u00ad": "soft hyphen",
  "\u202a": "left-to-right embedding",
  "\u202b": "right-to-left embedding",
  "\u202c": "pop directional formatting",
  "\u202d": "left-to-right override",
  "\u202e": "right-to-left override",
  "\u2066": "left-to-right isolate",
  "\u2067": "right-to-left isolate",
  "\u2068": "first strong isolate",
  "\u2069": "pop directional isolate",
  '"': "double quote",
  "\\": "backslash",
};
export /** "space (U+0020)", "no-break space (U+00A0)", "character U+2003". */
function describeCharacter(c: string): string {
  const code = `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
  return CHARACTER_NAMES[c] !== undefined ? `${CHARACTER_NAMES[c]} (${code})` : `character ${code}`;
}
