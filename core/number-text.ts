/**
 * Number custom attributes as the exact decimal text written: never a JavaScript float on the way to the pool.
 *
 * YAML's core schema reads `12345678901234567890` as a float (12345678901234567000), `0x1F` as 31, `1e21` as a float
 * and `007` as 7. Cognito holds every attribute value as text, so the roster keeps the text the file holds (the
 * scalar's source, which both YAML parsers record) and checks that text: the form Cognito's Number attributes take
 * here is a decimal whole number, an optional minus sign then digits (what the API's examples show, `"12"`, and
 * what our emulator accepts; AWS documents no other form), compared with the pool's bounds exactly (BigInt).
 *
 * Pure functions over strings: no YAML, no positions.
 */
import type { ScalarTag } from "yaml";
import { shorten } from "./diagnostics";

/** The one form a Number attribute value takes in a users file, the import CSV and the pool. */
export const DECIMAL_WHOLE_NUMBER = /^-?[0-9]+$/;

/** What is wrong with a Number attribute's text, with the fix; undefined when it is a decimal whole number. */
export function numberFormProblem(text: string): string | undefined {
  if (DECIMAL_WHOLE_NUMBER.test(text)) return undefined;
  const shown = shorten(text);
  const exact = exactWholeNumber(text);
  if (exact !== undefined) {
    // Hexadecimal, octal, an exponent or a plus sign: YAML would read another value than the text shows to a reader.
    return `${shown} is not written as a decimal whole number (optional minus sign, then digits); it means ${exact}: write ${exact}`;
  }
  return `${shown} is not a whole number: a Number attribute holds an optional minus sign then digits only (e.g. 42 or -7)`;
}

/**
 * The decimal digits of a YAML core-schema number that is a whole number (`0x1F` → `31`, `0o17` → `15`,
 * `1e21` → `1000000000000000000000`, `+5` → `5`, `2.0e1` → `20`), computed exactly; undefined otherwise.
 */
function exactWholeNumber(text: string): string | undefined {
  if (/^0x[0-9a-fA-F]+$/.test(text)) return BigInt(text).toString();
  if (/^0o[0-7]+$/.test(text)) return BigInt(text).toString();
  const m = /^([-+]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([-+]?[0-9]+))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return undefined;
  const exponent = Number(m[4] ?? "0");
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 2048) return undefined;
  let digits = `${m[2]}${m[3] ?? ""}`;
  let scale = exponent - (m[3] ?? "").length;
  // Trailing zeros of the digits move into the scale: 2.50e1 is 25.
  while (scale < 0 && digits.endsWith("0")) {
    digits = digits.slice(0, -1);
    scale += 1;
  }
  if (scale < 0) return undefined;
  if (digits.length + scale > 2048) return undefined;
  const magnitude = BigInt(digits === "" ? "0" : digits) * 10n ** BigInt(scale);
  return (m[1] === "-" && magnitude !== 0n ? "-" : "") + magnitude.toString();
}

/** -1, 0 or 1: `a` against `b`, both decimal whole numbers of any size. */
export function compareWholeNumbers(a: string, b: string | number): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Leading zeros or a negative zero: text an application reading a number sees as another text ("007" is 7). */
export function hasNonCanonicalDigits(text: string): boolean {
  return /^-?0[0-9]/.test(text) || /^-0+$/.test(text);
}

/** A Number attribute's value for a users-file writer (export, intake): written unquoted, digit for digit (`007`, `-0`, 20 digits). */
export class NumberText {
  constructor(readonly text: string) {}
}

/** Writes a NumberText as its text, plain: the users file reads it back as the same text (core/number-text.ts). */
export const NUMBER_TEXT_TAG: ScalarTag = {
  tag: "tag:yaml.org,2002:int",
  default: true,
  identify: (value) => value instanceof NumberText,
  resolve: (text) => text,
  stringify: (item) => (item.value as NumberText).text,
};
