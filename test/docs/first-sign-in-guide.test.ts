/**
 * docs/first-sign-in.md, "Try it on the local emulator", runs as written (issue 19.5): its shell block is taken from
 * the page, run by bash in a scratch copy of the repository's dev stack and examples/users, with only two
 * substitutions — a free port instead of 4599, and this checkout's command for `npx cognito-roster` / `node bin/cognito-roster.js`.
 * The AWS CLI is the real one when installed; otherwise test/support/aws-cli-shim.js (the same commands through the
 * unmodified SDK). The transcript must show each step of the page: the refusal, the code read from the outbox, the
 * password set, the SMS_MFA challenge, its code read from the outbox, and the answer that signs in.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const ROSTER = path.join(ROOT, "bin", "cognito-roster.js");

function guideBlock(): string {
  const page = readFileSync(path.join(ROOT, "docs", "first-sign-in.md"), "utf8");
  const block = /<!-- guide:emulator:start -->\n```sh\n([\s\S]*?)```\n<!-- guide:emulator:end -->/.exec(page);
  if (!block) throw new Error("docs/first-sign-in.md has no guide:emulator block");
  return block[1];
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "roster-guide-"));
  cpSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(scratch, "Pulumi.dev.yaml"));
  cpSync(path.join(ROOT, "examples"), path.join(scratch, "examples"), { recursive: true });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test("the emulator walk-through of docs/first-sign-in.md runs as written", async () => {
  const port = await freePort();
  const roster = `${JSON.stringify(process.execPath)} ${JSON.stringify(ROSTER)}`;
  const script = guideBlock()
    .replaceAll("4599", String(port))
    .replaceAll("npx cognito-roster", roster)
    .replaceAll("node bin/cognito-roster.js", roster);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: scratch };
  for (const key of Object.keys(env)) if (key.startsWith("AWS_")) delete env[key];
  const hasAwsCli = spawnSync("aws", ["--version"], { encoding: "utf8" }).status === 0;
  if (!hasAwsCli) {
    const bin = path.join(scratch, "bin");
    mkdirSync(bin);
    writeFileSync(
      path.join(bin, "aws"),
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(ROOT, "test", "support", "aws-cli-shim.js"))} "$@"\n`,
    );
    chmodSync(path.join(bin, "aws"), 0o755);
    env.PATH = `${bin}${path.delimiter}${env.PATH}`;
    env.NODE_PATH = path.join(ROOT, "node_modules");
  }
  const r = spawnSync("bash", ["-e", "-c", script], { cwd: scratch, env, encoding: "utf8", timeout: 120_000 });
  const transcript = `${r.stdout}\n${r.stderr}`;
  expect({ status: r.status, tail: r.status === 0 ? "" : transcript.slice(-1500) }).toEqual({ status: 0, tail: "" });
  expect(r.stdout).toMatch(/applied to eu-west-2_Tr41n33s0: 12 imported/);
  expect(r.stderr).toMatch(/An error occurred \(PasswordResetRequiredException\) when calling the InitiateAuth operation/);
  expect(r.stdout).toMatch(/"DeliveryMedium": "EMAIL"/);
  expect(r.stdout).toMatch(/^\S+Z ForgotPassword EMAIL finn\.notreal@example\.nhs\.uk finn\.notreal@example\.nhs\.uk \d{6}$/m);
  expect(r.stdout).toMatch(/^SMS_MFA$/m);
  // The SMS MFA code from the outbox, to the trainee's mobile, and the answer that signs in.
  expect(r.stdout).toMatch(/^\S+Z SMS_MFA SMS \+447700900\d{3} finn\.notreal@example\.nhs\.uk \d{6}$/m);
  expect(r.stdout.trim().split("\n").at(-1)).toBe("Bearer");
}, 180_000);
