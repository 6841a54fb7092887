/**
 * Two users whose usernames are different texts that look the same — `paul` and `pаul` (Cyrillic а),
 * `anna` and `ａｎｎａ` — are a warning at the second, naming the first and showing both forms: the pool would hold
 * two accounts a reviewer takes for one. Compared by Unicode skeleton (core/identity-text.ts), case-folded where the
 * pool folds case. Only a roster with a non-ASCII username is looked at: plain ASCII never differs from itself by
 * a confusable here (`rn` against `m` is left to the eye). Emails need no such check: the schema's email format is
 * ASCII only. Pure: identities in, diagnostics out.
 */
import type { SourcePlace } from "./declared-user";
import { shorten, type Diagnostic } from "./diagnostics";
import { identitySkeleton } from "./identity-text";
import type { UserIdentity } from "./user-identity";

const NON_ASCII = /[^\x00-\x7f]/;

/** `identitiesByFile` in file-path order, each in document order (as for findDuplicateUsers). */
export function findLookalikeIdentities(
  identitiesByFile: readonly (readonly UserIdentity[])[],
  usernameCaseSensitive: boolean,
): Diagnostic[] {
  const all = identitiesByFile.flat();
  const diagnostics: Diagnostic[] = [];
  if (!all.some((i) => NON_ASCII.test(i.username))) return diagnostics;
  compare(
    all.map((i) => ({ text: i.username, place: i.usernamePlace })),
    !usernameCaseSensitive,
    diagnostics,
  );
  return diagnostics;
}

interface Named {
  text: string;
  place: SourcePlace;
}

function compare(identities: readonly Named[], caseless: boolean, diagnostics: Diagnostic[]): void {
  const what = "username";
  const firstBySkeleton = new Map<string, Named>();
  const fold = (t: string) => (caseless ? t.toLowerCase() : t);
  for (const identity of identities) {
    const skeleton = identitySkeleton(identity.text, caseless);
    const first = firstBySkeleton.get(skeleton);
    if (first === undefined) {
      firstBySkeleton.set(skeleton, identity);
      continue;
    }
    // The same identity twice is a duplicate, reported as such (roster-duplicates.ts).
    if (fold(first.text) === fold(identity.text)) continue;
    diagnostics.push({
      ...identity.place,
      severity: "warning",
      code: "LOOKALIKE_USERNAME",
      message:
        `${what} ${JSON.stringify(shorten(identity.text))} looks like ${JSON.stringify(shorten(first.text))} ` +
        `at ${first.place.file}:${first.place.line}:${first.place.col}, ` +
        `but is a different ${what} (${codePoints(fold(identity.text), fold(first.text))}): a reviewer cannot tell the two apart`,
    });
  }
}

/** The first characters where the two differ, with their code points. */
function codePoints(a: string, b: string): string {
  const x = [...a];
  const y = [...b];
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  const hex = (c: string | undefined) =>
    c === undefined ? "end" : `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
  return `${hex(x[i])} where the other has ${hex(y[i])}`;
}
