/**
 * Every diagnostic code is documented (issue 22.7): the members of core/diagnostic-codes.ts's `DiagnosticCode` union
 * (read with the TypeScript compiler, so the list is the type tsc checks against) each appear, as `CODE`, in
 * docs/users-files.md — the page a person reading `file:line:col: error CODE …` is sent to. And the page names no
 * code the product cannot report.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");

function unionMembers(): string[] {
  const file = path.join(ROOT, "core", "diagnostic-codes.ts");
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const alias = source.statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === "DiagnosticCode",
  );
  if (alias === undefined || !ts.isUnionTypeNode(alias.type)) throw new Error("core/diagnostic-codes.ts has no DiagnosticCode union");
  return alias.type.types.map((member) => {
    if (!ts.isLiteralTypeNode(member) || !ts.isStringLiteral(member.literal))
      throw new Error(`not a string literal: ${member.getText(source)}`);
    return member.literal.text;
  });
}

const codes = unionMembers();
const page = readFileSync(path.join(ROOT, "docs", "users-files.md"), "utf8");

test("the union is read whole: 102 codes, none twice", () => {
  expect(codes).toHaveLength(102);
  expect(new Set(codes).size).toBe(codes.length);
});

test("every code is documented in docs/users-files.md", () => {
  expect(codes.filter((code) => !page.includes(`\`${code}\``))).toEqual([]);
});

test("docs/users-files.md names only codes the product has", () => {
  const inTables = [...page.matchAll(/^\| ((?:`[A-Z0-9_]+`(?:, )?)+)/gm)].flatMap((m) => m[1].match(/[A-Z0-9_]+/g) ?? []);
  expect(inTables.length).toBeGreaterThan(90);
  expect(inTables.filter((code) => !codes.includes(code))).toEqual([]);
});
