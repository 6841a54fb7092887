import { MAX_ALIAS_EXPANSIONS } from "../../core/yaml-plain-value";
import { keyNodeAt, nodeAtPath, nodeOffset, parseYamlTree } from "../../core/yaml-tree";

describe("parseYamlTree", () => {
  it("gives plain data and 1-based positions of nodes", () => {
    const tree = parseYamlTree("users:\n  - username: ann\n    email: a@example.com\n");
    expect(tree.problems).toEqual([]);
    expect(JSON.parse(JSON.stringify(tree.value))).toEqual({ users: [{ username: "ann", email: "a@example.com" }] });
    expect(tree.linePos(nodeOffset(nodeAtPath(tree, ["users", 0, "email"]))!)).toEqual({ line: 3, col: 12 });
    expect(tree.linePos(nodeOffset(keyNodeAt(tree, ["users", 0], "email"))!)).toEqual({ line: 3, col: 5 });
    expect(nodeAtPath(tree, ["users", 3])).toBeUndefined();
  });

  it("reports duplicate keys but keeps the document usable", () => {
    const tree = parseYamlTree("a: 1\na: 2\n");
    expect(tree.problems).toMatchObject([{ code: "DUPLICATE_KEY" }]);
    expect(tree.unusable).toBe(false);
    expect((tree.value as Record<string, unknown>).a).toBe(1);
  });

  it("reports syntax errors as values, never throwing", () => {
    const tree = parseYamlTree("users: [\n");
    expect(tree.unusable).toBe(true);
    expect(tree.problems[0].code).toBe("YAML_SYNTAX");
  });

  it("stops a billion-laughs file after a bounded number of alias expansions", () => {
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    let prev = "a";
    for (const name of "bcdefghi") {
      text += `${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]\n`;
      prev = name;
    }
    const started = Date.now();
    const tree = parseYamlTree(text);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(tree.problems).toMatchObject([{ code: "YAML_ALIAS_LIMIT" }]);
    expect(tree.problems[0].message).toContain(String(MAX_ALIAS_EXPANSIONS));
  });

  it("keeps a key named __proto__ as data", () => {
    const tree = parseYamlTree("__proto__: {polluted: true}\n");
    expect(Object.keys(tree.value as object)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
