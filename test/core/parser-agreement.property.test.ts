/**
 * One parser's answer (issue 9): for generated users files with adversarial scalars, keys, indentation and line
 * endings, the fast path (core/simple-yaml-tree.ts) either declines or gives exactly the yaml package's tree:
 * the same plain value and the same node offsets (so the same line:col) at every path.
 *
 * Fixed seed and a small budget in `npm test`. A longer run is one command:
 *   ROSTER_PROPERTY_RUNS=200000 npx jest test/core/parser-agreement.property.test.ts
 * (ROSTER_PROPERTY_SEED=<n> picks another seed.)
 */
import fc from "fast-check";
import { parseSimpleYamlTree } from "../../core/simple-yaml-tree";
import { keyNodeAt, nodeAtPath, nodeOffset, parseFullYamlTree, type YamlTree } from "../../core/yaml-tree";

const RUNS = Number(process.env.ROSTER_PROPERTY_RUNS ?? 3000);
const SEED = Number(process.env.ROSTER_PROPERTY_SEED ?? 20261130);

// Characters that matter to YAML or to the rules: indicators, quotes, spaces of every kind, controls, separators.
const TRICKY = [..."abcXYZ019 :-#'\"\\!&*[]{},|>?%@`~.=+/", "\t", "\r", "\n", "\u00a0", "\u2028", "\u2029", "\u200b", "\ufeff", "\u0085", "\u3000", "é", "😀", "\u202e"];
const trickyString = (max: number) => fc.array(fc.constantFrom(...TRICKY), { maxLength: max }).map((a) => a.join(""));
const plainish = fc.oneof(
  { arbitrary: trickyString(8), weight: 1 },
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9.@' ]{0,10}$/), weight: 3 },
  { arbitrary: fc.constantFrom("true", "False", "~", "null", "12", "0x1F", "1e3", "-3.5", ".inf", "1985-02-01", "+447700900123", "a@example.com", "O'Brien", "a: b", "a #b", "- x", "Ann\u00a0", "b\u2028", "x\u200b"), weight: 2 },
);
const scalar = fc.oneof(
  { arbitrary: plainish, weight: 4 },
  { arbitrary: plainish.map((s) => `"${s}"`), weight: 1 },
  { arbitrary: plainish.map((s) => `'${s}'`), weight: 1 },
  { arbitrary: plainish.map((s) => `"${s.replace(/["\\\r\n]/g, "")}"`), weight: 2 },
  { arbitrary: plainish.map((s) => `'${s.replace(/'/g, "''").replace(/[\r\n]/g, "")}'`), weight: 2 },
);
const key = fc.oneof({ arbitrary: fc.constantFrom("username", "email", "given_name", "custom:tisId", "mfa_enabled", "__proto__", "a b", "k", "k\u00a0"), weight: 4 }, { arbitrary: trickyString(6), weight: 1 });
const space = fc.constantFrom(" ", " ", "  ", "   ", " \t");
const comment = fc.oneof(fc.constant(""), fc.constant(""), trickyString(6).map((s) => ` #${s}`));

/** A users-file-like text: entries of key/value lines under `users:`, with varied indentation and line ends. */
export const usersText = fc
  .record({
    entries: fc.array(fc.uniqueArray(fc.tuple(key, space, scalar, comment, fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 1, -1)), { minLength: 1, maxLength: 4, selector: (t) => t[0] }), { minLength: 1, maxLength: 4 }),
    eol: fc.constantFrom("\n", "\r\n", "\r", "\n", "\n", "\r\n", "\n", "\n"),
    itemIndent: fc.integer({ min: 0, max: 3 }),
    trailer: fc.constantFrom("", "", "\n", "# end\n", "...\n", "---\n"),
  })
  .map(({ entries, eol, itemIndent, trailer }) => {
    const pad = " ".repeat(itemIndent);
    const lines = ["users:"];
    for (const entry of entries) {
      entry.forEach(([k, sp, v, c, shift], i) => {
        const lead = i === 0 ? `${pad}- ` : " ".repeat(Math.max(0, itemIndent + 2 + shift));
        lines.push(`${lead}${k}:${sp}${v}${c}`);
      });
    }
    return lines.join(eol) + eol + trailer;
  });

function allPaths(value: unknown, prefix: (string | number)[] = []): { path: (string | number)[]; key?: string }[] {
  const out: { path: (string | number)[]; key?: string }[] = [{ path: prefix }];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...allPaths(v, [...prefix, i])));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push({ path: prefix, key: k });
      out.push(...allPaths(v, [...prefix, k]));
    }
  }
  return out;
}

test("the fast path declines or gives the yaml package's tree, values and positions", () => {
  let compared = 0;
  fc.assert(
    fc.property(usersText, (text) => {
      const fast = parseSimpleYamlTree(text);
      if (fast === undefined) return;
      compared++;
      const full = parseFullYamlTree(text);
      expect(full.problems).toEqual([]);
      expect(fast.value).toEqual(full.value);
      const fastTree: YamlTree = { value: fast.value, root: fast.root, document: undefined, problems: [], unusable: false, linePos: (o) => fast.lineCounter.linePos(o) };
      for (const p of allPaths(full.value)) {
        const at = (tree: YamlTree) => nodeOffset(p.key === undefined ? nodeAtPath(tree, p.path) : keyNodeAt(tree, p.path, p.key));
        const offset = at(full);
        expect(at(fastTree)).toEqual(offset);
        if (offset !== undefined) expect(fastTree.linePos(offset)).toEqual(full.linePos(offset));
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
  // The property says something only if the fast path really takes a good share of the generated files.
  expect(compared).toBeGreaterThan(RUNS / 50);
});
