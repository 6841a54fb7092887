/**
 * Finds the users files of a tree: `**\/*.yaml` and `**\/*.yml` under the users directory.
 *
 * It only lists; it never reads a file's contents. The order is the order of the report and of the users:
 * by path relative to the repository root, compared as plain strings (the same order `sortDiagnostics` uses).
 */
import { readdirSync, statSync, type Stats } from "fs";
import * as path from "path";

export interface UserFileRef {
  /** Absolute path, for reading. */
  absolutePath: string;
  /** Relative to the repository root, with forward slashes: the name diagnostics use. */
  file: string;
  /** Size in bytes, so callers can decide whether a tree is large enough for worker threads. */
  size: number;
}

const USERS_FILE_EXTENSIONS = [".yaml", ".yml"];

/** Returns `undefined` when `usersDir` does not exist or is not a directory. */
export function findUserFiles(usersDir: string, repoRoot: string): UserFileRef[] | undefined {
  const root = path.resolve(usersDir);
  try {
    if (!statSync(root).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  const found: UserFileRef[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const absolutePath = path.join(dir, entry.name);
      // statSync follows symbolic links, so a linked office folder counts like a real one.
      const stats = entry.isSymbolicLink() ? safeStat(absolutePath) : undefined;
      const isDirectory = entry.isDirectory() || (stats?.isDirectory() ?? false);
      const isFile = entry.isFile() || (stats?.isFile() ?? false);
      if (isDirectory) {
        pending.push(absolutePath);
      } else if (isFile && USERS_FILE_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
        found.push({ absolutePath, file: toDisplayPath(absolutePath, repoRoot), size: (stats ?? statSync(absolutePath)).size });
      }
    }
  }
  return found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Relative to `repoRoot`, forward slashes on every platform. */
export function toDisplayPath(absolutePath: string, repoRoot: string): string {
  return path.relative(path.resolve(repoRoot), absolutePath).split(path.sep).join("/");
}

function safeStat(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}
