/**
 * One parser's answer (issue 9): for generated users files with adversarial scalars, keys, indentation, line
 * endings and one-line flow sequences (`groups: [a, b]`, valid and not), in `defaults:` and per user, the fast path
 * (core/simple-yaml-tree.ts) either declines or gives exactly the yaml package's tree: the same plain value and the
 * same node offsets (so the same line:col) and the same written text of non-string scalars at every path, and for each flow sequence the same nodes (class, flow,
 * ranges, comment; each item's class, type, source, value and range).
 *
 * Fixed seed and a small budget in `npm test`. A longer run is one command:
 *   ROSTER_PROPERTY_RUNS=200000 npx jest test/core/parser-agreement.property.test.ts
 * (ROSTER_PROPERTY_SEED=<n> picks another seed.)
 */
import fc from "fast-check";
import { isScalar, isSeq, type Node } from "yaml";
import { parseSimpleYamlTree } from "../../core/simple-yaml-tree";
import { allPaths, flowShape } from "../support/yaml-tree-shape";
import { parseFullYamlTree } from "../../core/yaml-full-parse";
import { keyNodeAt, nodeAtPath, nodeOffset, writtenText, type YamlTree } from "../../core/yaml-tree";

const RUNS = Number(process.env.ROSTER_PROPERTY_RUNS ?? 3000);
const SEED = Number(process.env.ROSTER_PROPERTY_SEED ?? 20261130);

// Characters that matter to YAML or to the rules: indicators, quotes, spaces of every kind, controls, separators.
const TRICKY = [
  ..."abcXYZ019 :-#'\"\\!&*[]{},|>?%@`~.=+/",
  "\t",
  "\r",
  "\n",
  "\u00a0",
  "\u2028",
  "\u2029",
  "\u200b",
  "\ufeff",
  "\u0085",
  "\u3000",
  "é",
  "😀",
  "\u202e",
];
const trickyString = (max: number) => fc.array(fc.constantFrom(...TRICKY), { maxLength: max }).map((a) => a.join(""));
const plainish = fc.oneof(
  { arbitrary: trickyString(8), weight: 1 },
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9.@' ]{0,10}$/), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      "true",
      "False",
      "~",
      "null",
      "12",
      "0x1F",
      "1e3",
      "-3.5",
      "007",
      "-0",
      "12345678901234567890",
      "+5",
      "0o17",
      ".inf",
      "1985-02-01",
      "+447700900123",
      "a@example.com",
      "O'Brien",
      "a: b",
      "a #b",
      "- x",
      "Ann\u00a0",
      "b\u2028",
      "x\u200b",
    ),
    weight: 2,
  },
);
const scalar = fc.oneof(
  { arbitrary: plainish, weight: 4 },
  { arbitrary: plainish.map((s) => `"${s}"`), weight: 1 },
  { arbitrary: plainish.map((s) => `'${s}'`), weight: 1 },
  { arbitrary: plainish.map((s) => `"${s.replace(/["\\\r\n]/g, "")}"`), weight: 2 },
  { arbitrary: plainish.map((s) => `'${s.replace(/'/g, "''").replace(/[\r\n]/g, "")}'`), weight: 2 },
);
const key = fc.oneof(
  {
    arbitrary: fc.constantFrom("username", "email", "given_name", "custom:tisId", "mfa_enabled", "__proto__", "a b", "k", "k\u00a0"),
    weight: 4,
  },
  { arbitrary: trickyString(6), weight: 1 },
);
// Flow sequences: group-like names, the tricky scalars above, and pieces that must make the fast path decline
// (nested or unclosed collections, quotes, `:` and `#`, explicit keys, dashes, aliases, tags, line breaks).
const groupName = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,9}$/);
const flowItem = fc.oneof(
  { arbitrary: groupName, weight: 5 },
  { arbitrary: plainish, weight: 3 },
  { arbitrary: scalar, weight: 1 },
  {
    arbitrary: fc.constantFrom(
      "",
      "[a]",
      "[",
      "]",
      "{a: b}",
      "{",
      "}",
      "a: b",
      "a:b",
      "a:",
      ":a",
      "a#b",
      "a #b",
      "#",
      "? a",
      "?a",
      "- a",
      "-",
      "-1",
      "*x",
      "&a b",
      "!!str 1",
      "a,",
      "\n",
      "\r\n  b",
    ),
    weight: 1,
  },
);
const flowSpace = fc.constantFrom("", "", "", " ", "  ");
const flowSequenceOf = (item: fc.Arbitrary<string>) =>
  fc
    .record({
      items: fc.array(fc.tuple(flowSpace, item, flowSpace), { maxLength: 5 }),
      open: flowSpace,
      trailingComma: fc.constantFrom(false, false, false, false, true),
      after: fc.constantFrom("", "", "", " ", "  ", " #c", "#c", " x", "]", ",", " [", "\n  b]"),
    })
    .map(
      ({ items, open, trailingComma, after }) =>
        `[${open}${items.map(([a, v, b]) => `${a}${v}${b}`).join(",")}${trailingComma ? "," : ""}]${after}`,
    );
// Mostly lists a users file would hold, so that the fast path is taken often enough to be compared.
const groupList = fc
  .array(groupName, { maxLength: 4 })
  .chain((names) => fc.tuple(flowSpace, flowSpace).map(([a, b]) => `[${a}${names.join(`${b},${a}`)}${b}]`));
const flowSequence = fc.oneof({ arbitrary: groupList, weight: 3 }, { arbitrary: flowSequenceOf(flowItem), weight: 2 });
const value = fc.oneof({ arbitrary: scalar, weight: 4 }, { arbitrary: flowSequence, weight: 1 });
const space = fc.constantFrom(" ", " ", "  ", "   ", " \t");
const comment = fc.oneof(
  fc.constant(""),
  fc.constant(""),
  trickyString(6).map((s) => ` #${s}`),
);

/** A users-file-like text: entries of key/value lines under `users:`, with varied indentation and line ends. */
const usersText = fc
  .record({
    defaults: fc.option(
      fc.uniqueArray(
        fc.tuple(fc.constantFrom("groups", "groups", "mfa_enabled", "email_verified"), space, fc.oneof(flowSequence, value), comment),
        { minLength: 1, maxLength: 2, selector: (t) => t[0] },
      ),
      { freq: 2 },
    ),
    entries: fc.array(
      fc.uniqueArray(fc.tuple(key, space, value, comment, fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 1, -1)), {
        minLength: 1,
        maxLength: 4,
        selector: (t) => t[0],
      }),
      { minLength: 1, maxLength: 4 },
    ),
    eol: fc.constantFrom("\n", "\r\n", "\r", "\n", "\n", "\r\n", "\n", "\n"),
    itemIndent: fc.integer({ min: 0, max: 3 }),
    trailer: fc.constantFrom("", "", "\n", "# end\n", "...\n", "---\n"),
  })
  .map(({ defaults, entries, eol, itemIndent, trailer }) => {
    const pad = " ".repeat(itemIndent);
    const lines: string[] = [];
    if (defaults !== null) {
      lines.push("defaults:");
      for (const [k, sp, v, c] of defaults) lines.push(`  ${k}:${sp}${v}${c}`);
    }
    lines.push("users:");
    for (const entry of entries) {
      entry.forEach(([k, sp, v, c, shift], i) => {
        const lead = i === 0 ? `${pad}- ` : " ".repeat(Math.max(0, itemIndent + 2 + shift));
        lines.push(`${lead}${k}:${sp}${v}${c}`);
      });
    }
    return lines.join(eol) + eol + trailer;
  });

/** A users file whose lists are all flow sequences (`groups:` in defaults and per user), mostly adversarial ones. */
const flowUsersText = fc
  .record({
    defaults: flowSequenceOf(flowItem),
    users: fc.array(fc.tuple(flowSequence, comment), { minLength: 1, maxLength: 3 }),
    eol: fc.constantFrom("\n", "\r\n"),
  })
  .map(({ defaults, users, eol }) => {
    const lines = ["defaults:", "  mfa_enabled: true", `  groups: ${defaults}`, "users:"];
    users.forEach(([groups, c], i) => {
      lines.push(`  - username: u${i}@example.com`, `    groups: ${groups}${c}`, "    email_verified: true");
    });
    return lines.join(eol) + eol;
  });

/**
 * Declines, or the same tree as the yaml package's: values, offsets and line:col at every path, flow sequences
 * node for node. Returns the flow sequences compared (undefined when the fast path declined).
 */
function expectDeclinedOrSameTree(text: string): Node[] | undefined {
  const fast = parseSimpleYamlTree(text);
  if (fast === undefined) return undefined;
  const full = parseFullYamlTree(text);
  expect(full.problems).toEqual([]);
  expect(fast.value).toEqual(full.value);
  const fastTree: YamlTree = {
    value: fast.value,
    root: fast.root,
    document: undefined,
    problems: [],
    unusable: false,
    linePos: (o) => fast.lineCounter.linePos(o),
  };
  const flows: Node[] = [];
  for (const p of allPaths(full.value)) {
    const at = (tree: YamlTree) => nodeOffset(p.key === undefined ? nodeAtPath(tree, p.path) : keyNodeAt(tree, p.path, p.key));
    const offset = at(full);
    expect(at(fastTree)).toEqual(offset);
    if (offset !== undefined) expect(fastTree.linePos(offset)).toEqual(full.linePos(offset));
    if (p.key !== undefined) continue;
    // The text a number, boolean or null was written as (Number attributes keep it: core/number-text.ts).
    expect(writtenText(fastTree, p.path)).toEqual(writtenText(full, p.path));
    const fullNode = nodeAtPath(full, p.path);
    expect(flowShape(nodeAtPath(fastTree, p.path))).toEqual(flowShape(fullNode));
    if (flowShape(fullNode) !== undefined) flows.push(fullNode as Node);
  }
  return flows;
}

test("the fast path declines or gives the yaml package's tree, values and positions", () => {
  let compared = 0;
  let comparedFlow = 0;
  fc.assert(
    fc.property(usersText, (text) => {
      const flows = expectDeclinedOrSameTree(text);
      if (flows === undefined) return;
      compared++;
      if (flows.length > 0) comparedFlow++;
    }),
    { seed: SEED, numRuns: RUNS },
  );
  // The property says something only if the fast path really takes a good share of the generated files.
  expect(compared).toBeGreaterThan(RUNS / 50);
  expect(comparedFlow).toBeGreaterThan(RUNS / 200);
});

test("flow sequences: the fast path declines or gives the yaml package's nodes, values and ranges", () => {
  let compared = 0;
  let unusualItems = 0;
  fc.assert(
    fc.property(flowUsersText, (text) => {
      const flows = expectDeclinedOrSameTree(text);
      if (flows === undefined) return;
      compared++;
      // Items that are not plain group names (numbers, null, quotes or indicators inside, Unicode spaces…).
      const unusual = (item: unknown) => !isScalar(item) || typeof item.value !== "string" || !/^[a-z][a-z0-9_.-]*$/.test(item.value);
      if (flows.some((seq) => isSeq(seq) && seq.items.some(unusual))) unusualItems++;
    }),
    { seed: SEED, numRuns: RUNS },
  );
  expect(compared).toBeGreaterThan(RUNS / 20);
  expect(unusualItems).toBeGreaterThan(RUNS / 100);
});
