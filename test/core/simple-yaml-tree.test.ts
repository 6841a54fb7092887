/**
 * The fast path must build exactly the tree the yaml package builds — same plain value, same node offsets at
 * every path, and for one-line flow sequences (`groups: [a, b]`) the same nodes: class, flow, ranges, comment,
 * and each item's type, source, value and range — or decline. Checked on every users file in the repository and
 * its fixtures, on generated trainees, on a users file of several MiB with groups, and on hand-written edge cases.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parseSimpleYamlTree } from "../../core/simple-yaml-tree";
import { allPaths, flowShape } from "../support/yaml-tree-shape";
import { keyNodeAt, MAX_FULL_PARSE_CHARACTERS, nodeAtPath, nodeOffset, parseYamlTree, type YamlTree } from "../../core/yaml-tree";
import { parseFullYamlTree } from "../../core/yaml-full-parse";
import { MAX_FLOW_CHARACTERS, screenYamlText } from "../../core/yaml-screen";
import { loadStackProfile } from "../../load/stack-profile";
import { usersFileText, range, traineeEmail } from "../support/roster-fixture";
import { checkUsersFileText } from "../support/one-call";

const ROOT = path.resolve(__dirname, "../..");

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    // The hostile corpus (invalid UTF-8, symbolic links) has its own test.
    if (name === "hostile") return [];
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(name) && !name.startsWith("Pulumi.") ? [full] : [];
  });
}

function expectSameTree(text: string): boolean {
  const fast = parseSimpleYamlTree(text);
  if (fast === undefined) return false;
  const full = parseFullYamlTree(text);
  expect(full.problems).toEqual([]);
  expect(fast.value).toEqual(full.value);
  const fastTree = parseYamlTree(text);
  for (const p of allPaths(full.value)) {
    const at = (tree: YamlTree) => nodeOffset(p.key === undefined ? nodeAtPath(tree, p.path) : keyNodeAt(tree, p.path, p.key));
    expect({ path: p, offset: at(fastTree) }).toEqual({ path: p, offset: at(full) });
    if (p.key === undefined)
      expect({ path: p, flow: flowShape(nodeAtPath(fastTree, p.path)) }).toEqual({ path: p, flow: flowShape(nodeAtPath(full, p.path)) });
  }
  for (const offset of [0, Math.floor(text.length / 2), text.length]) expect(fastTree.linePos(offset)).toEqual(full.linePos(offset));
  return true;
}

test("every users file in the repository and its fixtures: the fast path gives the yaml package's tree, or declines", () => {
  const files = [...yamlFiles(path.join(ROOT, "users")), ...yamlFiles(path.join(ROOT, "test", "fixtures"))];
  let fast = 0;
  for (const file of files) if (expectSameTree(readFileSync(file, "utf8"))) fast++;
  expect(files.length).toBeGreaterThan(20);
  expect(fast).toBeGreaterThan(files.length / 2); // the fast path really is taken for ordinary files
});

test("generated trainees with every kind of value take the fast path", () => {
  expect(expectSameTree(usersFileText([...range(1, 50), { n: 51, enabled: false }, { n: 52, givenName: "O'Neil" }]))).toBe(true);
});

test.each([
  [
    "comments, extra spaces, quotes",
    "# head\ndefaults:   # c\n  mfa_enabled: true # c\nusers:\n  - username:   a@example.com   # c\n    name: 'It''s'\n    nickname: \"q # not a comment\"\n",
  ],
  ["a compact sequence at the key's indent", "users:\n- username: a@example.com\n  email: a@example.com\n- username: b@example.com\n"],
  [
    "core-schema scalars",
    "a: 12\nb: -3.5\nc: 0x1F\nd: 0o17\ne: 1e3\nf: .inf\ng: ~\nh: TRUE\ni: False\nj: 1985-02-01\nk: +447700900123\nl: null\n",
  ],
  ["keys with colons and values with colons or hashes", 'custom:tisId: "47165"\nwebsite: https://example.com/a#b\nx: a:b\n'],
  ["nested sequences of scalars", "users:\n  - a\n  - 'b'\n  - \"c\"\n  - 3\n"],
  ["trailing spaces and no final newline", "users:   \n  - username: a@example.com   "],
  ["CRLF line ends", "users:\r\n  - a\r\n  - b: 'c'  \r\n"],
  ["Unicode spaces kept at the end of plain scalars", "a: b\u00a0\nc: d \u00a0\ne: f\u2028\ng: h\u200b\ni: \u3000j\n"],
  [
    "flow sequences of groups in defaults and per user",
    "defaults:\n  groups: [trainees]\nusers:\n  - username: a@example.com\n    groups: [kss-admins, trainees]   # c\n  - groups: []\n",
  ],
  [
    "flow sequences with any spacing, a comment, CRLF, no final newline",
    "a: [ a , b ]  # c d  \r\nb: [a,b] #x\nc: [ ]\r\nd: [] #\ne: [x]   ",
  ],
  [
    "core-schema scalars in a flow sequence",
    "g: [12, -3.5, 0x1F, .inf, ~, null, TRUE, False, 1985-02-01, +447700900123, -a, a b,  c  d]\n",
  ],
  [
    "quotes, indicators and Unicode spaces inside flow items",
    "g: [O'Brien, a\"b, a?b, a!b, a&b, a*b, a|b, a>b, a%b, a@b, a`b, a -, b\u00a0, \u00a0c, d\u2028, e\u0085, f\u200b]\n",
  ],
  ["a flow sequence after a quoted scalar and before a nested block", "a: 'x'\nb: [y]\nc:\n  d: [z]\n"],
])("equal trees: %s", (_name, text) => {
  expect(expectSameTree(text)).toBe(true);
});

test("a flow sequence as long as the screen allows takes the fast path; one longer goes to the screen", () => {
  const list = (chars: number) => `g: [${"a,".repeat((chars - 2) / 2)}b]\n`; // `chars` characters after `[`, `]` included
  expect(expectSameTree(list(MAX_FLOW_CHARACTERS))).toBe(true);
  expect(parseSimpleYamlTree(list(MAX_FLOW_CHARACTERS + 2))).toBeUndefined();
  expect(parseYamlTree(list(MAX_FLOW_CHARACTERS + 2)).problems.map((p) => p.code)).toEqual(["YAML_FLOW_TOO_LARGE"]);
});

test("a users file of several MiB with groups in defaults and per user is validated, not refused as too large", () => {
  const profile = loadStackProfile(ROOT, "dev").profile!;
  const count = 20_000;
  const lines = ["defaults:", "  mfa_enabled: true", "  email_verified: true", "  groups: [trainees]", "users:"];
  for (let n = 1; n <= count; n++) {
    const email = traineeEmail(n);
    const phone = `+447700900${String(n % 1000).padStart(3, "0")}`;
    lines.push(
      `  - username: ${email}`,
      `    email: ${email}`,
      `    phone_number: "${phone}"`,
      `    given_name: Testname`,
      `    custom:tisId: "${700000 + n}"`,
    );
    if (n % 100 === 0) lines.push("    groups: [kss-admins]  # an administrator too");
    if (n === 50) lines.push("    groups: [kss-admins, trainees]");
  }
  const text = `${lines.join("\n")}\n`;
  expect(text.length).toBeGreaterThan(1.5 * MAX_FULL_PARSE_CHARACTERS);
  expect(parseSimpleYamlTree(text)).toBeDefined();
  const result = checkUsersFileText(text, "users/kss/large.yaml", profile);
  // One warning, placed on the flow item by the fast path's ranges: trainees already comes from the defaults.
  expect(result.diagnostics.map((d) => `${d.line}:${d.col} ${d.severity} ${d.code}`)).toEqual([
    `${6 + 49 * 5 + 5}:26 warning GROUPS_DUPLICATE`,
  ]);
  expect(result.users).toHaveLength(count);
  expect(result.users[0].groups).toEqual(["trainees"]);
  expect(result.users[49].groups).toEqual(["kss-admins", "trainees"]);
  expect(result.users[99].groups).toEqual(["kss-admins", "trainees"]);
  expect(result.users[99].source).toEqual({ file: "users/kss/large.yaml", line: 6 + 99 * 5 + 1, col: 3 });
  // The bound still holds for what the fast path leaves to the yaml package: one quoted group makes the file too large.
  const quoted = text.replace("  groups: [trainees]", "  groups: ['trainees']");
  expect(parseSimpleYamlTree(quoted)).toBeUndefined();
  expect(parseYamlTree(quoted).problems.map((p) => p.code)).toEqual(["YAML_TOO_LARGE"]);
});

test.each([
  ["a flow mapping", "users:\n  - {username: a}\n"],
  ["a flow mapping as a value", "a: {b: c}\n"],
  ["a flow sequence as a sequence item", "users:\n  - [a, b]\n"],
  ["a nested flow sequence", "g: [a, [b]]\n"],
  ["a flow mapping in a flow sequence", "g: [a, {b: c}]\n"],
  ["a quoted item in a flow sequence", "g: [a, 'b']\n"],
  ["a double-quoted item in a flow sequence", 'g: ["a", b]\n'],
  ["a colon in a flow item", "g: [a: b]\n"],
  ["a colon without a space in a flow item", "g: [http://example.com]\n"],
  ["a hash without a space before it in a flow item", "g: [a#b]\n"],
  ["a comment inside a flow sequence", "g: [a #b]\n"],
  ["a comment right after a flow sequence", "g: [a]#b\n"],
  ["text after a flow sequence", "g: [a] b\n"],
  ["a multi-line flow sequence", "g: [a,\n  b]\n"],
  ["an unclosed flow sequence", "g: [a, b\n"],
  ["a trailing comma", "g: [a, b,]\n"],
  ["an empty flow item", "g: [a, , b]\n"],
  ["an explicit key in a flow sequence", "g: [? a]\n"],
  ["a dash item in a flow sequence", "g: [- a]\n"],
  ["a lone dash in a flow sequence", "g: [-]\n"],
  ["an alias in a flow sequence", "g: [*a]\n"],
  ["a tag in a flow sequence", "g: [!!str 1]\n"],
  ["a flow sequence followed by a nested block", "g: [a]\n  b: c\n"],
  ["an anchor and alias", "defaults: &d\n  mfa_enabled: true\nother: *d\n"],
  ["a tag", "a: !!str 12\n"],
  ["a block scalar", "address: |\n  line one\n  line two\n"],
  ["a multi-line plain scalar", "address: one\n  two\n"],
  ["an escape in double quotes", 'name: "a\\tb"\n'],
  ["a tab", "users:\n\t- a\n"],
  ["a CR without LF", "users:\r  - a\n"],
  ["a byte-order mark", "\ufeffusers: []\n"],
  ["a duplicate key", "a: 1\na: 2\n"],
  ["an empty value", "users:\n"],
  ["a document marker", "---\nusers: []\n"],
  ["two documents", "a: 1\n---\nb: 2\n"],
  ["a sequence item on the next line", "users:\n  -\n    username: a\n"],
  ["a nested sequence on one line", "users:\n  - - a\n"],
  ["bad indentation", "users:\n  - username: a\n     email: b\n"],
  ["a quoted key", '"a": 1\n'],
  ["a complex key", "? a\n: 1\n"],
  ["an unclosed quote", "a: 'b\n"],
  ["a __proto__ key", "__proto__: 1\n"],
  ["a YAML syntax error", "a: b: c\n"],
  ["only comments", "# nothing\n"],
])("declines %s, and the full parser takes over", (_name, text) => {
  expect(parseSimpleYamlTree(text)).toBeUndefined();
  // parseYamlTree still answers: through the yaml package, or with the screen's one problem (tab, unclosed quote).
  const pick = (t: YamlTree) => ({ value: t.value, problems: t.problems, unusable: t.unusable });
  const refused = screenYamlText(text);
  if (refused !== undefined) expect(pick(parseYamlTree(text))).toEqual({ value: null, problems: [refused], unusable: true });
  else expect(pick(parseYamlTree(text))).toEqual(pick(parseFullYamlTree(text)));
});
