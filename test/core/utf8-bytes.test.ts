/**
 * UTF-8 in a stream of bytes (core/utf8-bytes.ts): the length of the character a byte starts, the bytes at a chunk's
 * end that the next chunk completes, and the first byte that is not well-formed UTF-8. Tables of small cases.
 */
import { firstInvalidUtf8, incompleteUtf8End, utf8SequenceLength } from "../../core/utf8-bytes";

const bytes = (...b: number[]) => Uint8Array.from(b);

test.each([
  ["ASCII", 0x41, 1],
  ["NUL", 0x00, 1],
  ["last ASCII", 0x7f, 1],
  ["a continuation byte cannot start one", 0x80, 0],
  ["overlong lead C0", 0xc0, 0],
  ["overlong lead C1", 0xc1, 0],
  ["first two-byte lead", 0xc2, 2],
  ["last two-byte lead", 0xdf, 2],
  ["three-byte lead", 0xe2, 3],
  ["last three-byte lead", 0xef, 3],
  ["four-byte lead", 0xf0, 4],
  ["last four-byte lead (U+10FFFF)", 0xf4, 4],
  ["beyond Unicode", 0xf5, 0],
  ["never in UTF-8", 0xff, 0],
])("utf8SequenceLength: %s", (_name, b, length) => {
  expect(utf8SequenceLength(b)).toBe(length);
});

test.each([
  ["empty", bytes(), 0],
  ["ends in ASCII", bytes(0x61, 0x62), 0],
  ["a complete é", bytes(0x61, 0xc3, 0xa9), 0],
  ["half an é", bytes(0x61, 0xc3), 1],
  ["one byte of €", bytes(0x61, 0xe2), 1],
  ["two bytes of €", bytes(0xe2, 0x82), 2],
  ["a complete €", bytes(0xe2, 0x82, 0xac), 0],
  ["three bytes of 😀", bytes(0xf0, 0x9f, 0x98), 3],
  ["a complete 😀 (only the last three are looked at)", bytes(0xf0, 0x9f, 0x98, 0x80), 0],
  ["a stray continuation byte is not a character begun", bytes(0x61, 0x80), 0],
  ["an invalid lead is not a character begun", bytes(0x61, 0xff), 0],
])("incompleteUtf8End: %s", (_name, input, carry) => {
  expect(incompleteUtf8End(input)).toBe(carry);
});

test.each([
  ["empty", bytes(), 0],
  ["all ASCII", bytes(0x61, 0x62, 0x63), 3],
  ["é and €", bytes(0xc3, 0xa9, 0xe2, 0x82, 0xac), 5],
  ["Latin-1 é after ASCII", bytes(0x61, 0x62, 0xe9, 0x63), 2],
  ["a stray continuation byte", bytes(0x61, 0x80), 1],
  ["a lead byte cut short at the end", bytes(0x61, 0xe2, 0x82), 1],
  ["a lead byte followed by ASCII", bytes(0xc3, 0x41), 0],
  ["an encoded surrogate (ED A0 80)", bytes(0x61, 0xed, 0xa0, 0x80), 1],
  ["an overlong slash (C0 AF)", bytes(0xc0, 0xaf), 0],
])("firstInvalidUtf8: %s", (_name, input, at) => {
  expect(firstInvalidUtf8(input)).toBe(at);
});
