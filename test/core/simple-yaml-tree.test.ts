/**
 * The fast path must build exactly the tree the yaml package builds — same plain value, same node offsets at
 * every path — or decline. Checked on every users file in the repository and its fixtures, on generated
 * trainees, and on hand-written edge cases.
 */
import { readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";
import { parseSimpleYamlTree } from "../../core/simple-yaml-tree";
import { keyNodeAt, nodeAtPath, nodeOffset, parseFullYamlTree, parseYamlTree, screenYamlText, type YamlTree } from "../../core/yaml-tree";
import { usersFileText, range } from "../support/roster-fixture";

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

/** Every path in a plain value, with whether its last segment is a mapping key. */
function paths(value: unknown, prefix: (string | number)[] = []): { path: (string | number)[]; key?: string }[] {
  const out: { path: (string | number)[]; key?: string }[] = [{ path: prefix }];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push({ path: prefix, key: k });
      out.push(...paths(v, [...prefix, k]));
    }
  }
  return out;
}

function expectSameTree(text: string): boolean {
  const fast = parseSimpleYamlTree(text);
  if (fast === undefined) return false;
  const full = parseFullYamlTree(text);
  expect(full.problems).toEqual([]);
  expect(fast.value).toEqual(full.value);
  const fastTree = parseYamlTree(text);
  for (const p of paths(full.value)) {
    const at = (tree: YamlTree) => nodeOffset(p.key === undefined ? nodeAtPath(tree, p.path) : keyNodeAt(tree, p.path, p.key));
    expect({ path: p, offset: at(fastTree) }).toEqual({ path: p, offset: at(full) });
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
  ["comments, extra spaces, quotes", "# head\ndefaults:   # c\n  mfa_enabled: true # c\nusers:\n  - username:   a@example.com   # c\n    name: 'It''s'\n    nickname: \"q # not a comment\"\n"],
  ["a compact sequence at the key's indent", "users:\n- username: a@example.com\n  email: a@example.com\n- username: b@example.com\n"],
  ["core-schema scalars", "a: 12\nb: -3.5\nc: 0x1F\nd: 0o17\ne: 1e3\nf: .inf\ng: ~\nh: TRUE\ni: False\nj: 1985-02-01\nk: +447700900123\nl: null\n"],
  ["keys with colons and values with colons or hashes", "custom:tisId: \"47165\"\nwebsite: https://example.com/a#b\nx: a:b\n"],
  ["nested sequences of scalars", "users:\n  - a\n  - 'b'\n  - \"c\"\n  - 3\n"],
  ["trailing spaces and no final newline", "users:   \n  - username: a@example.com   "],
  ["CRLF line ends", "users:\r\n  - a\r\n  - b: 'c'  \r\n"],
  ["Unicode spaces kept at the end of plain scalars", "a: b\u00a0\nc: d \u00a0\ne: f\u2028\ng: h\u200b\ni: \u3000j\n"],
])("equal trees: %s", (_name, text) => {
  expect(expectSameTree(text)).toBe(true);
});

test.each([
  ["a flow sequence", "users: [a, b]\n"],
  ["a flow mapping", "users:\n  - {username: a}\n"],
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
