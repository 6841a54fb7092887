/**
 * What a path under users/ is when it is not a regular file or a folder, in words for its NOT_A_REGULAR_FILE
 * diagnostic (load/find-user-files.ts lists the tree; it never opens such a path).
 */

/** The tests of a file's type that Node's `fs.Stats` answers (only these are read). */
export interface FileTypeTests {
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}

/** "a named pipe (FIFO)", "a socket", …, or "not a regular file" for a kind with no name of its own. */
export function describeFileKind(stats: FileTypeTests): string {
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  return "not a regular file";
}
