/**
 * One users file being checked (core/users-file.ts): its tree, the places in it, what it has found and loaded so
 * far, and the cap that keeps a flood of diagnostics bounded.
 */
import type { Node } from "yaml";
import type { DeclaredUser, SourcePlace } from "./declared-user";
import { type Diagnostic, type DiagnosticCode, sortDiagnostics } from "./diagnostics";
import type { GroupListFinding } from "./groups";
import type { UserIdentity } from "./user-identity";
import type { UsersFileResult } from "./users-file";
import { nodeAtPath, nodeOffset, keyNodeAt, type YamlTree } from "./yaml-tree";
import { commentAfterValue, isFreeTextAttribute, mayHaveInlineComments } from "./comment-after-value";

/** Diagnostics listed per file; past this many, one TOO_MANY_PROBLEMS diagnostic counts the rest. */
const MAX_DIAGNOSTICS_PER_FILE = 1000;

/** One file being checked: its tree, the places in it, and what it has found and loaded so far. */
export class FileCheck {
  readonly diagnostics: Diagnostic[] = [];
  readonly users: DeclaredUser[] = [];
  readonly identities: UserIdentity[] = [];
  /** Diagnostics past the cap: counted, not listed. */
  dropped = 0;
  private firstDropped: SourcePlace | undefined;
  /** A problem outside the user entries: then no user of the file loads. */
  fileHasError = false;
  readonly filePlace: SourcePlace;
  /** Some line has a comment after a value: free-text values are then looked at (core/comment-after-value.ts). */
  readonly inlineComments: boolean;

  constructor(
    readonly text: string,
    readonly file: string,
    readonly tree: YamlTree,
  ) {
    this.filePlace = { file, line: 1, col: 1 };
    this.inlineComments = mayHaveInlineComments(text);
  }

  /** A warning when a comment ate the end of the free-text value at `path`. */
  reportCommentAfterValue(key: string, path: readonly (string | number)[], fallback?: SourcePlace): void {
    if (!this.inlineComments || !isFreeTextAttribute(key)) return;
    const node = nodeAtPath(this.tree, path);
    const message = commentAfterValue(this.text, key, node);
    if (message !== undefined) this.report(this.placeOf(node, fallback), "COMMENT_AFTER_VALUE", message, "warning");
  }

  placeAt(offset: number | undefined): SourcePlace {
    const pos = this.tree.linePos(offset ?? 0);
    return { file: this.file, line: Math.max(1, pos.line), col: Math.max(1, pos.col) };
  }

  placeOf(node: Node | undefined, fallback: SourcePlace = this.filePlace): SourcePlace {
    const offset = nodeOffset(node);
    return offset === undefined ? fallback : this.placeAt(offset);
  }

  /** The place of a user entry is its list item's `- `, so reports about the whole entry point at it. */
  entryPlaceOf(node: Node | undefined): SourcePlace {
    const start = nodeOffset(node);
    if (start === undefined) return this.placeOf(nodeAtPath(this.tree, ["users"]));
    let i = start - 1;
    while (i >= 0 && (this.text[i] === " " || this.text[i] === "\t")) i -= 1;
    return this.placeAt(i >= 0 && this.text[i] === "-" ? i : start);
  }

  report(place: SourcePlace, code: DiagnosticCode, message: string, severity: Diagnostic["severity"] = "error"): void {
    // A flood (a generated file with the same mistake a million times) is cut short: bounded output and memory.
    if (this.diagnostics.length >= MAX_DIAGNOSTICS_PER_FILE) {
      this.dropped += 1;
      this.firstDropped ??= place;
      return;
    }
    this.diagnostics.push({ ...place, severity, code, message });
  }

  result(): UsersFileResult {
    if (this.dropped > 0 && this.firstDropped !== undefined) {
      this.diagnostics.push({
        ...this.firstDropped,
        severity: "error",
        code: "TOO_MANY_PROBLEMS",
        message: `more problems in this file not shown (the first ${MAX_DIAGNOSTICS_PER_FILE} are): fix these and validate again`,
      });
    }
    return { file: this.file, users: this.users, identities: this.identities, diagnostics: sortDiagnostics(this.diagnostics) };
  }
}

/** The node of the `groups` item a finding is about (the `groups` key for the list as a whole). */
export function groupItemNode(tree: YamlTree, base: readonly (string | number)[], finding: GroupListFinding): Node | undefined {
  return finding.index !== undefined ? nodeAtPath(tree, [...base, "groups", finding.index]) : keyNodeAt(tree, base, "groups");
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
