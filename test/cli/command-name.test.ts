/**
 * The command is the package's own name (issue 19): `npx roster` outside the checkout would run an unrelated npm
 * package that creates and deletes operating-system accounts. So the only bin is `cognito-roster`, and no workflow,
 * document or help text tells anyone to run `roster` (the README's one warning against it aside).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));

test("the only command is the package's own name", () => {
  expect(pkg.name).toBe("cognito-roster");
  expect(pkg.bin).toEqual({ "cognito-roster": "bin/cognito-roster.js" });
});

test("nothing tells anyone to run `roster`: workflows, docs, scripts and help name cognito-roster", () => {
  const tracked = execFileSync("git", ["ls-files", "*.md", "*.yml", "*.ts", "*.js", "*.json"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter((f) => f !== "" && !f.startsWith("test/fixtures/") && f !== "package-lock.json" && f !== "test/cli/command-name.test.ts");
  const bare =
    /(^|[^-\w./@$])(npx |npm exec )roster\b|(^|[^-\w./@$])roster (validate|plan|apply|export|intake|emulator|start|init|activation) --?\w/m;
  const offenders = tracked.filter((f) => {
    const text = readFileSync(path.join(ROOT, f), "utf8").replace("Never `npx roster`", "");
    return bare.test(text);
  });
  expect(offenders).toEqual([]);
  const help = execFileSync(process.execPath, [path.join(ROOT, "bin", "cognito-roster.js"), "help"], { cwd: ROOT, encoding: "utf8" });
  expect(help).toMatch(/^usage: cognito-roster /m);
  expect(help).not.toMatch(/(^|[^-])\broster (validate|plan|apply) /m);
});
