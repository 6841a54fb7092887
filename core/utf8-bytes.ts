/**
 * Where UTF-8 goes wrong in a stream of bytes (load/spreadsheet-records.ts checks a spreadsheet a chunk at a time):
 * how long the character a byte starts is, how many bytes at the end of a chunk begin a character the next chunk
 * completes, and the offset of the first byte that is not well-formed UTF-8, for the NOT_UTF8 diagnostic's column.
 */

/** How many bytes the character starting with byte `b` has: 1 to 4, or 0 when `b` cannot start one. @internal */
export function utf8SequenceLength(b: number): number {
  return b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
}

/** How many bytes at the end of `bytes` begin a character that is not complete yet (0 when none). */
export function incompleteUtf8End(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back];
    if (b < 0x80) return 0;
    if (b >= 0xc0) return utf8SequenceLength(b) > back ? back : 0;
  }
  return 0;
}

/** The offset of the first byte that does not start (or belong to) a well-formed UTF-8 character. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (let i = 0; i < bytes.length; ) {
    const length = utf8SequenceLength(bytes[i]);
    if (length === 0 || i + length > bytes.length) return i;
    try {
      decoder.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return bytes.length;
}
