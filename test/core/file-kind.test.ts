/** The words for a path that is neither a regular file nor a folder (core/file-kind.ts), as NOT_A_REGULAR_FILE says them. */
import { describeFileKind, type FileTypeTests } from "../../core/file-kind";

type Kind = "fifo" | "socket" | "character" | "block" | "other";

const stats = (kind: Kind): FileTypeTests => ({
  isFIFO: () => kind === "fifo",
  isSocket: () => kind === "socket",
  isCharacterDevice: () => kind === "character",
  isBlockDevice: () => kind === "block",
});

test.each([
  ["fifo", "a named pipe (FIFO)"],
  ["socket", "a socket"],
  ["character", "a character device"],
  ["block", "a block device"],
  ["other", "not a regular file"],
] as const)("describeFileKind: %s", (kind, words) => {
  expect(describeFileKind(stats(kind))).toBe(words);
});
