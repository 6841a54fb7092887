/**
 * Identities a reviewer can tell apart: usernames and emails that look like another text than they are.
 *
 * Cognito accepts any letters, marks, symbols, numbers and punctuation in a username, so on its own it would
 * import `pаul` (Cyrillic а), `paul` + a combining grapheme joiner, or `ｐａｕｌ` (full-width) as users distinct
 * from `paul`, and a reviewer of the pull request could not see the difference. Here:
 * - invisible code points (Unicode's Default_Ignorable_Code_Point: joiners, variation selectors, Hangul fillers,
 *   format characters) are errors: nothing visible tells two such identities apart;
 * - text not in Unicode's composed form (NFC) is an error with the composed form to write: `e` + U+0301 looks
 *   exactly like `é`;
 * - compatibility forms (full-width letters, ligatures: NFKC differs) and letters of several scripts in one
 *   identity (Latin with Cyrillic or Greek…) are warnings showing both the text and what it looks like, from
 *   Unicode's confusables data (the unhomoglyph package: Unicode's confusables.txt, 13.0.0).
 * Pure functions; ASCII text (the common case) is answered without looking further.
 */
import unhomoglyph from "unhomoglyph";
import { type DiagnosticCode, shorten } from "./diagnostics";

export interface IdentityFinding {
  code: DiagnosticCode;
  severity: "error" | "warning";
  message: string;
}

const ASCII = /^[\x00-\x7f]*$/;
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/u;
const LETTER = /\p{L}/u;
/** Scripts told apart; letters of any other script count as one "other" script. */
const SCRIPTS: readonly [string, RegExp][] = [
  ["Latin", /\p{Script=Latin}/u],
  ["Cyrillic", /\p{Script=Cyrillic}/u],
  ["Greek", /\p{Script=Greek}/u],
  ["Armenian", /\p{Script=Armenian}/u],
  ["Cherokee", /\p{Script=Cherokee}/u],
  ["Georgian", /\p{Script=Georgian}/u],
  ["Hebrew", /\p{Script=Hebrew}/u],
  ["Arabic", /\p{Script=Arabic}/u],
  // Japanese and Korean text mixes these by nature: one writing system here.
  ["CJK", /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u],
];

/** The findings about one identity (`what` is "username" or "email"); none for plain ASCII. */
export function identityTextFindings(what: string, text: string): IdentityFinding[] {
  if (ASCII.test(text)) return [];
  const invisible = INVISIBLE.exec(text);
  if (invisible) {
    return [
      {
        code: "IDENTITY_INVISIBLE_CHARACTER",
        severity: "error",
        message:
          `${what} contains ${codePoint(invisible[0])}, an invisible character: ` +
          "an identity with it looks exactly like one without; remove it",
      },
    ];
  }
  const composed = text.normalize("NFC");
  if (composed !== text) {
    return [
      {
        code: "IDENTITY_NOT_NFC",
        severity: "error",
        message:
          `${what} is written with decomposed characters (a letter followed by a combining mark) ` +
          `that look the same as the composed ones: write ${JSON.stringify(composed)} (Unicode NFC)`,
      },
    ];
  }
  const findings: IdentityFinding[] = [];
  const compatible = text.normalize("NFKC");
  if (compatible !== text) {
    const odd = [...text].find((c) => c.normalize("NFKC") !== c) ?? "";
    findings.push({
      code: "IDENTITY_LOOKALIKE",
      severity: "warning",
      message:
        `${what} ${JSON.stringify(shorten(text))} has ${codePoint(odd)}, a compatibility form (full-width, ligature…): ` +
        `it looks like ${JSON.stringify(shorten(compatible))}; write that unless the form itself matters`,
    });
  }
  const mixed = mixedScripts(compatible);
  if (mixed !== undefined) {
    const minority = [...compatible].filter((c) => scriptOf(c) === mixed.minority);
    const shown = minority
      .slice(0, 3)
      .map((c) => `${codePoint(c)} looks like ${JSON.stringify(unhomoglyph(c))}`)
      .join(", ");
    findings.push({
      code: "IDENTITY_LOOKALIKE",
      severity: "warning",
      message:
        `${what} ${JSON.stringify(shorten(text))} mixes ${mixed.scripts.join(" and ")} letters (${shown}): ` +
        `it looks like ${JSON.stringify(shorten(lookalikeOf(compatible)))}, a different identity`,
    });
  }
  return findings;
}

/**
 * The text a reader would take this identity for: compatibility forms folded (NFKC), then each confusable character
 * replaced by its prototype (Unicode's confusables); two identities with the same skeleton look alike. `caseless`
 * folds case too, as a case-insensitive pool compares usernames.
 */
export function identitySkeleton(text: string, caseless: boolean): string {
  const folded = caseless ? text.toLowerCase() : text;
  if (ASCII.test(folded)) return folded;
  const skeleton = unhomoglyph(folded.normalize("NFKC")).normalize("NFC");
  return caseless ? skeleton.toLowerCase() : skeleton;
}

/** The text with each confusable replaced by what it looks like, for messages (readable: ASCII letters kept). */
function lookalikeOf(text: string): string {
  return [...text].map((c) => (ASCII.test(c) ? c : unhomoglyph(c))).join("");
}

function scriptOf(c: string): string | undefined {
  if (!LETTER.test(c)) return undefined;
  for (const [name, re] of SCRIPTS) if (re.test(c)) return name;
  return "other";
}

/** The scripts of the letters, when more than one; the minority one is the likely impostor. */
function mixedScripts(text: string): { scripts: string[]; minority: string } | undefined {
  const counts = new Map<string, number>();
  for (const c of text) {
    const script = scriptOf(c);
    if (script !== undefined) counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  if (counts.size < 2) return undefined;
  const scripts = [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || (a < b ? -1 : 1));
  return { scripts, minority: scripts[scripts.length - 1] };
}

function codePoint(c: string): string {
  const hex = (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
  return `"${c}" (U+${hex})`;
}
