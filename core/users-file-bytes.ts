/**
 * The bytes → text step of a users file: strict UTF-8, with the place of the first bad byte.
 *
 * A users file is UTF-8. A UTF-8 byte-order mark at the very start is allowed and dropped (positions count from
 * the character after it). Line endings are LF or CRLF, kept as they are (the YAML parsers read both); a CR not
 * followed by LF is not decided here (see `yaml-tree.ts`). Anything that is not UTF-8 — Latin-1 exports, stray
 * continuation bytes, overlong forms, encoded surrogates, code points past U+10FFFF, a sequence cut short at the
 * end of the file, UTF-16 — is one problem at the line and column of the first bad byte, never a replacement
 * character. Pure: bytes in, text or a problem out; it reads no files (the caller does), so it can move with
 * the rest of the pure core.
 */

/**
 * The largest users file read, in bytes: a bigger one is an error, not a long wait (see docs/users-files.md). The
 * writers (intake, export) split their output across files before it.
 */
export const MAX_USERS_FILE_BYTES = 10 * 1024 * 1024;

export interface DecodedText {
  text: string;
  /** Set when the bytes are not UTF-8; `text` is then empty. */
  problem?: DecodeProblem;
}

interface DecodeProblem {
  code: "INVALID_UTF8" | "UTF16_FILE";
  /** 1-based line and column of the first bad byte (the column counts UTF-16 code units before it on its line). */
  line: number;
  col: number;
  message: string;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export function decodeUsersFileBytes(bytes: Uint8Array): DecodedText {
  const utf16 = utf16Problem(bytes);
  if (utf16 !== undefined) return { text: "", problem: utf16 };
  const start = bytes.length >= 3 && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2] ? 3 : 0;
  const bad = firstInvalidUtf8(bytes, start);
  if (bad === undefined) return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8", start) };
  const { line, col } = placeOfByte(bytes, start, bad.at);
  return { text: "", problem: { code: "INVALID_UTF8", line, col, message: invalidMessage(bytes, bad) } };
}

interface BadSequence {
  /** Offset of the first bad byte. */
  at: number;
  why: string;
}

/**
 * The first byte that breaks UTF-8 (RFC 3629): only shortest forms, no surrogates (ED A0–BF), nothing past
 * U+10FFFF (F4 90+, F5–FF), no lone continuation bytes, no sequence cut short.
 */
function firstInvalidUtf8(bytes: Uint8Array, from = 0): BadSequence | undefined {
  const n = bytes.length;
  let i = from;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // shorter forms are overlong
      if (b === 0xed) hi = 0x9f; // ED A0..BF would encode a surrogate
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f; // past U+10FFFF
    } else if (b >= 0x80 && b <= 0xbf) {
      return { at: i, why: "a continuation byte with no lead byte before it" };
    } else if (b === 0xc0 || b === 0xc1) {
      return { at: i, why: "an overlong encoding (a lead byte C0/C1 is never valid)" };
    } else {
      return { at: i, why: "a byte that never occurs in UTF-8" };
    }
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return { at: i, why: "a multi-byte character cut short by the end of the file" };
      const c = bytes[i + k];
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c < min || c > max) {
        if (k === 1 && b === 0xed && c >= 0xa0 && c <= 0xbf)
          return { at: i, why: "an encoded surrogate (U+D800–U+DFFF), which UTF-8 does not allow" };
        if (k === 1 && ((b === 0xe0 && c < 0xa0) || (b === 0xf0 && c < 0x90))) return { at: i, why: "an overlong encoding" };
        if (k === 1 && b === 0xf4 && c > 0x8f) return { at: i, why: "a code point past U+10FFFF" };
        return { at: i, why: "a lead byte not followed by the continuation bytes UTF-8 needs" };
      }
    }
    i += need + 1;
  }
  return undefined;
}

/** Line and column of byte `at`: lines end at LF; the column counts the characters (not bytes) before it. */
function placeOfByte(bytes: Uint8Array, start: number, at: number): { line: number; col: number } {
  let line = 1;
  let lineStart = start;
  for (let i = start; i < at; i++) {
    if (bytes[i] === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  let col = 1;
  // The bytes before `at` on its line are valid UTF-8: count lead bytes, a 4-byte one as two, so that columns
  // count UTF-16 code units like every other position (and like editors such as VS Code).
  for (let i = lineStart; i < at; i++) if ((bytes[i] & 0xc0) !== 0x80) col += bytes[i] >= 0xf0 ? 2 : 1;
  return { line, col };
}

function invalidMessage(bytes: Uint8Array, bad: BadSequence): string {
  const shown = Array.from(bytes.subarray(bad.at, Math.min(bytes.length, bad.at + 4)))
    .map((b) => b.toString(16).toUpperCase().padStart(2, "0"))
    .join(" ");
  const hint = looksLikeLatin1(bytes, bad.at)
    ? "; the file looks like Latin-1 / Windows-1252 (a spreadsheet export?): save it as UTF-8"
    : "; save the file as UTF-8";
  return `the file is not valid UTF-8: ${bad.why} (bytes ${shown})${hint}`;
}

/** A high byte followed by an ASCII byte (é in "José" as E9) is how Latin-1 text shows in a UTF-8 reader. */
function looksLikeLatin1(bytes: Uint8Array, at: number): boolean {
  const b = bytes[at];
  const next = at + 1 < bytes.length ? bytes[at + 1] : 0x0a;
  return b >= 0xa0 && next < 0x80;
}

/** A UTF-16 byte-order mark, or NUL bytes in the first line's worth of text (UTF-16 without a mark). */
function utf16Problem(bytes: Uint8Array): DecodeProblem | undefined {
  const le = bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe;
  const be = bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff;
  if (!le && !be && !looksLikeBomlessUtf16(bytes)) return undefined;
  const kind = le
    ? "UTF-16 (little-endian byte-order mark FF FE)"
    : be
      ? "UTF-16 (big-endian byte-order mark FE FF)"
      : "UTF-16 (NUL bytes between the characters)";
  return {
    code: "UTF16_FILE",
    line: 1,
    col: 1,
    message: `the file is ${kind}, not UTF-8: save it as UTF-8 (in Excel or Notepad: "UTF-8", not "Unicode")`,
  };
}

/** ASCII text saved as UTF-16 has a NUL in every other byte: at least 4 in the first 64, all of one parity. */
function looksLikeBomlessUtf16(bytes: Uint8Array): boolean {
  const scan = Math.min(bytes.length, 64);
  let even = 0;
  let odd = 0;
  for (let i = 0; i < scan; i++) if (bytes[i] === 0) i % 2 === 0 ? even++ : odd++;
  return (even >= 4 && odd === 0) || (odd >= 4 && even === 0);
}
