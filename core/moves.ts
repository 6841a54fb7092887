/**
 * Moves between offices: the same username declared in one office folder at the pull request's base and in another
 * now. The account does not change (same username, same digest: nothing to apply), but who reviews it does — both
 * offices own the person for this pull request, so the plan shows the move and whose approval it needs, from the
 * CODEOWNERS entry that decides each file (GitHub asks a code owner of every file a pull request changes).
 *
 * Pure: the declared users, the base's declarations (core/base-users.ts) and the CODEOWNERS text in; moves out.
 */
import type { BaseDeclaration } from "./base-users";
import { effectiveEntry, parseCodeowners, patternRegExp } from "./codeowners";
import type { DeclaredUser } from "./declared-user";
import { officeOfFile } from "./plan-groups";
import type { PoolProfile } from "./profile";
import { usernameDigest } from "./user-digest";

export interface PlannedMove {
  username: string;
  /** Where the user is declared now, and at the base. */
  file: string;
  line: number;
  from: { file: string; line: number };
  fromOffice: string;
  toOffice: string;
  /**
   * The owners whose approval the move needs, per side, from CODEOWNERS; an empty list when no entry of that
   * office's own covers the file (then nobody from that office is asked). Absent without a CODEOWNERS file.
   */
  owners?: { from: string[]; to: string[] };
}

export function findMoves(
  users: readonly DeclaredUser[],
  base: ReadonlyMap<string, BaseDeclaration>,
  profile: Pick<PoolProfile, "userPoolId" | "usernameCaseSensitive">,
  usersDir: string,
): PlannedMove[] {
  const moves: PlannedMove[] = [];
  for (const user of users) {
    const before = base.get(usernameDigest(profile.userPoolId, user.username, profile.usernameCaseSensitive));
    if (!before) continue;
    const fromOffice = officeOfFile(before.file, usersDir);
    const toOffice = officeOfFile(user.source.file, usersDir);
    if (fromOffice === toOffice) continue;
    moves.push({
      username: user.username,
      file: user.source.file,
      line: user.source.line,
      from: { file: before.file, line: before.line },
      fromOffice,
      toOffice,
    });
  }
  return moves;
}

/**
 * Sets each move's owners from the CODEOWNERS text: the owners of the entry that decides the file, when that entry
 * is the office's own (it would not also decide another office's files); otherwise none.
 */
export function addMoveOwners(moves: PlannedMove[], codeownersText: string, usersDir: string): void {
  const entries = parseCodeowners(codeownersText);
  const elsewhere = `${usersDir}/~no-such-office~/file.yaml`;
  const ownersOf = (file: string): string[] => {
    const entry = effectiveEntry(entries, file);
    return entry !== undefined && !patternRegExp(entry.pattern).test(elsewhere) ? entry.owners : [];
  };
  for (const move of moves) move.owners = { from: ownersOf(move.from.file), to: ownersOf(move.file) };
}
