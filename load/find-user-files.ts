/**
 * Finds the users files of a tree: `**\/*.yaml` and `**\/*.yml` under the users directory, and says what else
 * it met there.
 *
 * It only lists; it never reads a file's contents (so a FIFO or a device is never opened). Nothing is skipped in
 * silence: a symbolic link that dangles, loops or leads out of the users directory, a directory reached again
 * (a loop), a folder that cannot be listed, a FIFO, socket or device, and a file that is not YAML each give one
 * diagnostic naming the path (line and column 0: the path as a whole). A link inside the users directory is
 * followed; a file reached twice is listed once, under its first path, with a warning at the other. The order is
 * the order of the report and of the users: by path relative to the repository root, compared as plain strings.
 * The one exception: a `README.md` directly in the users folder, which says what belongs there.
 */
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from "node:fs";
import * as path from "node:path";
import type { Diagnostic, DiagnosticCode } from "../core/diagnostics";
import { describeFileKind } from "../core/file-kind";
import { fileNameProblem, folderNameProblem } from "../core/portable-names";

export interface UserFileRef {
  /** Absolute path, for reading. */
  absolutePath: string;
  /** Relative to the repository root, with forward slashes: the name diagnostics use. */
  file: string;
  /** Size in bytes, so callers can decide whether a tree is large enough for worker threads. */
  size: number;
}

export interface UsersTreeScan {
  files: UserFileRef[];
  /** Problems with paths of the tree (not with file contents), sorted by path. */
  diagnostics: Diagnostic[];
}

const USERS_FILE_EXTENSIONS = [".yaml", ".yml"];

/** The users files and the path problems of the tree; `undefined` when `usersDir` is not a directory. */
export function scanUsersTree(usersDir: string, repoRoot: string): UsersTreeScan | undefined {
  const root = path.resolve(usersDir);
  let rootReal: string;
  try {
    if (!statSync(root).isDirectory()) return undefined;
    rootReal = realpathSync(root);
  } catch {
    return undefined;
  }
  const walk = new TreeWalk(rootReal, repoRoot);
  walk.directory(root, rootReal);
  if (walk.files.length === 0 && walk.diagnostics.length === 0) {
    // An empty roster would mean "nobody": almost always a wrong --users path or a lost checkout.
    walk.diagnostics.push({
      file: toDisplayPath(root, repoRoot) || ".",
      line: 0,
      col: 0,
      severity: "error",
      code: "USERS_DIR_EMPTY",
      message:
        "the users folder holds no .yaml or .yml file: add OFFICE/FILE.yaml (users/README.md; the synthetic samples are in examples/users)",
    });
  }
  const byPath = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return { files: walk.files.sort(byPath), diagnostics: walk.diagnostics.sort(byPath) };
}

class TreeWalk {
  readonly files: UserFileRef[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** Real paths of directories and files already listed, with the path they were first reached by. */
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly rootReal: string,
    private readonly repoRoot: string,
  ) {}

  directory(dir: string, real: string): void {
    this.seen.set(real, dir);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      this.problem(dir, "DIRECTORY_UNREADABLE", `cannot list this folder (${errnoOf(e)}): its users files would be missed`);
      return;
    }
    // `.gitkeep` keeps an empty office folder in git: it is documented as the one file that is not reported.
    for (const name of names) if (name !== ".gitkeep") this.entry(path.join(dir, name), dir, real);
  }

  private entry(absolutePath: string, parent: string, parentReal: string): void {
    let own: Stats;
    try {
      own = lstatSync(absolutePath);
    } catch (e) {
      this.problem(absolutePath, "PATH_UNREADABLE", `cannot look at this path (${errnoOf(e)})`);
      return;
    }
    let target = own;
    let real = absolutePath;
    if (own.isSymbolicLink()) {
      const followed = this.followLink(absolutePath);
      if (followed === undefined) return;
      ({ stats: target, real } = followed);
    } else {
      real = path.join(parentReal, path.basename(absolutePath));
    }
    const first = this.seen.get(real);
    if (!this.portable(absolutePath, target)) return;
    if (target.isDirectory()) this.directoryEntry(absolutePath, parent, real, first);
    else this.fileEntry(absolutePath, parentReal, target, real, first);
  }

  /** A folder is walked, unless it was reached before: through a loop, or a second time by another path. */
  private directoryEntry(absolutePath: string, parent: string, real: string, first: string | undefined): void {
    if (first !== undefined) {
      const loop = isInside(absolutePath, first) || isInside(parent, first);
      if (loop)
        this.problem(
          absolutePath,
          "DIRECTORY_LOOP",
          `this link leads back to ${this.display(first)}, a folder it is inside: a loop (not followed)`,
        );
      else
        this.problem(
          absolutePath,
          "PATH_REACHED_TWICE",
          `this folder is also reached as ${this.display(first)}: its files are read once, there`,
          "warning",
        );
      return;
    }
    this.directory(absolutePath, real);
  }

  /** A regular .yaml or .yml file reached for the first time is listed; anything else is reported. */
  private fileEntry(absolutePath: string, parentReal: string, target: Stats, real: string, first: string | undefined): void {
    if (!target.isFile()) {
      this.problem(
        absolutePath,
        "NOT_A_REGULAR_FILE",
        `this is ${describeFileKind(target)}, not a file: it is not read (users files are regular files)`,
      );
      return;
    }
    // The folder's own README.md (users/README.md: what belongs here) is documentation, not a misnamed users file.
    if (path.basename(absolutePath) === "README.md" && parentReal === this.rootReal && target.isFile()) return;
    if (!USERS_FILE_EXTENSIONS.includes(path.extname(absolutePath).toLowerCase())) {
      this.problem(absolutePath, "NOT_A_USERS_FILE", "only .yaml and .yml files belong in the users folder: rename it or move it out");
      return;
    }
    if (first !== undefined) {
      this.problem(
        absolutePath,
        "PATH_REACHED_TWICE",
        `this file is also reached as ${this.display(first)}: it is read once, there`,
        "warning",
      );
      return;
    }
    this.seen.set(real, absolutePath);
    this.files.push({ absolutePath, file: this.display(absolutePath), size: target.size });
  }

  /**
   * Folders and users files have portable names (core/portable-names.ts); anything else is reported, and not read:
   * a name that could not be shown as it is must not reach a plan. Files that are not YAML at all keep their own
   * diagnostic (NOT_A_USERS_FILE).
   */
  private portable(absolutePath: string, target: Stats): boolean {
    const name = path.basename(absolutePath);
    const yaml = USERS_FILE_EXTENSIONS.includes(path.extname(name).toLowerCase());
    const problem = target.isDirectory() ? folderNameProblem(name) : target.isFile() && yaml ? fileNameProblem(name) : undefined;
    if (problem === undefined) return true;
    this.problem(absolutePath, "PATH_NOT_PORTABLE", `${problem}; rename it`);
    return false;
  }

  /** The link's target, when it exists, is reachable and stays inside the users directory; a diagnostic otherwise. */
  private followLink(link: string): { stats: Stats; real: string } | undefined {
    let real: string;
    let stats: Stats;
    try {
      real = realpathSync(link);
      stats = statSync(real);
    } catch (e) {
      const code = errnoOf(e);
      if (code === "ELOOP") this.problem(link, "SYMLINK_LOOP", "this symbolic link leads to itself (a loop): it is not followed");
      else if (code === "ENOENT" || code === "ENOTDIR")
        this.problem(link, "SYMLINK_DANGLING", "this symbolic link points to nothing: its users would be missed; fix or remove the link");
      else this.problem(link, "PATH_UNREADABLE", `cannot follow this symbolic link (${code})`);
      return undefined;
    }
    if (!isInside(real, this.rootReal)) {
      this.problem(
        link,
        "SYMLINK_OUTSIDE_USERS",
        "this symbolic link leads out of the users folder: it is not followed " +
          "(every users file must be in the tree a pull request changes)",
      );
      return undefined;
    }
    return { stats, real };
  }

  private problem(absolutePath: string, code: DiagnosticCode, message: string, severity: Diagnostic["severity"] = "error"): void {
    this.diagnostics.push({ file: this.display(absolutePath), line: 0, col: 0, severity, code, message });
  }

  private display(absolutePath: string): string {
    return toDisplayPath(absolutePath, this.repoRoot);
  }
}

/** Relative to `repoRoot`, forward slashes on every platform. */
export function toDisplayPath(absolutePath: string, repoRoot: string): string {
  return path.relative(path.resolve(repoRoot), absolutePath).split(path.sep).join("/");
}

function isInside(candidate: string, dir: string): boolean {
  const rel = path.relative(dir, candidate);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? "unknown error";
}
