/**
 * One spreadsheet cell as the users-file value it declares, or a problem: values are never changed behind the
 * user's back. A space around a value is an error; what a spreadsheet does to a value before export (a text
 * apostrophe, scientific notation, a date's serial number) is refused, not guessed back; phone numbers become E.164
 * only with a default country; dates are read only with an explicit format; a Number attribute keeps its digits.
 */
import type { DiagnosticCode } from "./diagnostics";
import type { AttributeValue } from "./declared-user";
import { ISO_DATE } from "./identifier-patterns";
import type { IntakeOptions } from "./intake-spreadsheet";
import { NumberText } from "./number-text";

export type DateFormat = "dd/mm/yyyy" | "mm/dd/yyyy" | "yyyy-mm-dd";
export const DATE_FORMATS: readonly DateFormat[] = ["dd/mm/yyyy", "mm/dd/yyyy", "yyyy-mm-dd"];
export const DEFAULT_COUNTRIES = ["GB"] as const;
export type DefaultCountry = (typeof DEFAULT_COUNTRIES)[number];

/** A value intake writes: an attribute value, or a Number attribute's exact digits (core/number-text.ts). */
export type IntakeValue = AttributeValue | NumberText;

const BOOLEAN_KEYS: readonly string[] = ["email_verified", "phone_number_verified", "mfa_enabled", "enabled"];

/** The value of `cell` in the column of `key`, or undefined after `fail` was told why not. */
export function cellValue(
  key: string,
  cell: string,
  options: IntakeOptions,
  fail: (code: DiagnosticCode, message: string) => void,
): IntakeValue | undefined {
  if (cell.trim() !== cell) {
    const where = cell.trimEnd() !== cell ? (cell.trimStart() !== cell ? "leading and trailing space" : "trailing space") : "leading space";
    fail(
      where === "trailing space" ? "TRAILING_SPACE" : "LEADING_SPACE",
      `${where} in ${JSON.stringify(cell)}: remove it in the spreadsheet`,
    );
    return undefined;
  }
  const mangled = spreadsheetMangling(key, cell);
  if (mangled !== undefined) {
    fail(mangled.code, mangled.message);
    return undefined;
  }
  if (BOOLEAN_KEYS.includes(key)) {
    if (/^true$/i.test(cell)) return true;
    if (/^false$/i.test(cell)) return false;
    fail("WRONG_TYPE", `${key} must be TRUE or FALSE (got ${JSON.stringify(cell)})`);
    return undefined;
  }
  if (key === "phone_number") return phoneValue(cell, options.defaultCountry, fail);
  if (key === "birthdate") return dateValue(cell, options.dateFormat, fail);
  const custom = key.startsWith("custom:") ? options.profile.customAttributes[key.slice(7)] : undefined;
  if (custom?.type === "Number") {
    if (!/^-?\d+$/.test(cell)) {
      fail("WRONG_TYPE", `${key} must be a whole number (got ${JSON.stringify(cell)})`);
      return undefined;
    }
    // The digits as written, never a float: 12345678901234567890 stays 20 digits.
    return new NumberText(cell);
  }
  return cell;
}

/** Keys holding identifiers, whose digits a spreadsheet must not reformat (phone numbers have their own check). */
const IDENTIFIER_KEYS: readonly string[] = ["username", "email", "preferred_username"];

/**
 * What a spreadsheet does to a value before it is exported, refused rather than guessed back: the apostrophe it uses
 * to mark text (`'0123`), a long number shown in scientific notation (`4.4779E+11`: the digits after the fifth are
 * gone), and a date kept as its serial number (`31082`, days since 1899-12-30 in Excel's calendar).
 */
function spreadsheetMangling(key: string, cell: string): { code: DiagnosticCode; message: string } | undefined {
  if (cell.startsWith("'"))
    return {
      code: "SPREADSHEET_APOSTROPHE",
      message:
        `${JSON.stringify(cell)} starts with an apostrophe, the spreadsheet's mark for text: ` +
        "remove it in the spreadsheet and export again",
    };
  const identifier = IDENTIFIER_KEYS.includes(key) || key.startsWith("custom:");
  if (identifier && /^[-+]?\d+(\.\d+)?[eE][-+]?\d+$/.test(cell))
    return {
      code: "SPREADSHEET_SCIENTIFIC",
      message:
        `${JSON.stringify(cell)} is a number the spreadsheet turned into scientific notation, which loses digits: ` +
        "format the column as text and export again",
    };
  if (key === "birthdate" && /^\d{4,5}(\.\d+)?$/.test(cell)) {
    const serial = Math.floor(Number(cell));
    const date = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
    return {
      code: "SPREADSHEET_SERIAL_DATE",
      message:
        `${JSON.stringify(cell)} is a date the spreadsheet exported as its serial number (${date} in Excel's calendar): ` +
        "format the column as a date (or text) and export again",
    };
  }
  return undefined;
}

/** E.164 as written, or — only with a default country — a national mobile number made E.164. */
function phoneValue(
  cell: string,
  country: DefaultCountry | undefined,
  fail: (code: DiagnosticCode, message: string) => void,
): string | undefined {
  if (/^\+[1-9]\d{1,14}$/.test(cell)) return cell;
  if (/e\+?\d+$/i.test(cell)) {
    fail(
      "INVALID_PHONE",
      `${JSON.stringify(cell)} is a number the spreadsheet turned into scientific notation: format the column as text and export again`,
    );
    return undefined;
  }
  if (country === undefined) {
    fail(
      "INVALID_PHONE",
      `${JSON.stringify(cell)} is not E.164 (+ then country code and digits, e.g. +447700900123); --default-country GB converts UK numbers`,
    );
    return undefined;
  }
  const digits = cell.replace(/[\s().-]/g, "");
  const uk = /^(?:\+44(?:0)?|0044|44|0)(7\d{9})$/.exec(digits);
  if (!uk) {
    fail("INVALID_PHONE", `${JSON.stringify(cell)} is not a UK mobile number (07… with 11 digits, or +44 7…)`);
    return undefined;
  }
  return `+44${uk[1]}`;
}

/** An ISO date from a cell written in the declared format; dates that do not exist are errors. */
function dateValue(
  cell: string,
  format: DateFormat | undefined,
  fail: (code: DiagnosticCode, message: string) => void,
): string | undefined {
  if (format === undefined) {
    if (ISO_DATE.test(cell) && isRealDate(cell)) return cell;
    fail(
      "DATE_FORMAT_NEEDED",
      `${JSON.stringify(cell)}: say how dates are written with --date-format dd/mm/yyyy (or mm/dd/yyyy, yyyy-mm-dd); ` +
        "they are never guessed",
    );
    return undefined;
  }
  const pattern = format === "yyyy-mm-dd" ? /^(\d{4})-(\d{1,2})-(\d{1,2})$/ : /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
  const m = pattern.exec(cell);
  if (!m) {
    fail("INVALID_DATE", `${JSON.stringify(cell)} is not a date written ${format}`);
    return undefined;
  }
  const [year, month, day] =
    format === "yyyy-mm-dd" ? [m[1], m[2], m[3]] : format === "dd/mm/yyyy" ? [m[3], m[2], m[1]] : [m[3], m[1], m[2]];
  const iso = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  if (!isRealDate(iso)) {
    fail("INVALID_DATE", `${JSON.stringify(cell)} is not a date that exists (read as ${format})`);
    return undefined;
  }
  return iso;
}

function isRealDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}
