/**
 * The CI helper that turns `cognito-roster validate --format json` into GitHub annotations: escaping per GitHub's
 * workflow-command rules, one annotation plus one plain log line per diagnostic, failure on any error.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import type { Diagnostic, DiagnosticCode } from "../../core/diagnostics";

const SCRIPT = path.resolve(__dirname, "../../.github/scripts/diagnostics-to-annotations.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain Node script, no types of its own
const { annotation, toAnnotations } = require(SCRIPT) as {
  annotation(d: Diagnostic): string;
  toAnnotations(ds: Diagnostic[]): { lines: string[]; failed: boolean };
};

const error: Diagnostic = {
  file: "users/london/2026-08, intake.yaml",
  line: 14,
  col: 7,
  severity: "error",
  code: "DUPLICATE_USERNAME",
  message: "ada.testperson@example.nhs.uk is also declared at users/kss/intake.yaml:3:5\n100% sure",
};
const warning: Diagnostic = {
  file: "users/kss/intake.yaml",
  line: 3,
  col: 5,
  severity: "warning",
  code: "UNUSED_DEFAULT" as DiagnosticCode, // made up: annotations show any code
  message: "defaults.locale is never used",
};

it("escapes properties and data as GitHub requires", () => {
  expect(annotation(error)).toBe(
    "::error file=users/london/2026-08%2C intake.yaml,line=14,col=7,title=DUPLICATE_USERNAME::ada.testperson@example.nhs.uk is also declared at users/kss/intake.yaml:3:5\\x0a100%25 sure",
  );
  expect(annotation(warning)).toBe("::warning file=users/kss/intake.yaml,line=3,col=5,title=UNUSED_DEFAULT::defaults.locale is never used");
});

it("fails only when there is an error", () => {
  expect(toAnnotations([warning]).failed).toBe(false);
  expect(toAnnotations([warning, error])).toMatchObject({ failed: true });
  expect(toAnnotations([warning]).lines).toEqual([
    annotation(warning),
    "users/kss/intake.yaml:3:5: warning UNUSED_DEFAULT defaults.locale is never used",
  ]);
});

it("as a pipe: exit 1 on errors, 0 on none, 1 when roster printed no JSON", () => {
  const run = (input: string) => spawnSync(process.execPath, [SCRIPT], { input, encoding: "utf8" });
  const failing = run(JSON.stringify([error]));
  expect(failing.status).toBe(1);
  expect(failing.stdout).toContain("::error file=");
  expect(run("[]").status).toBe(0);
  const broken = run("Pulumi.dev.yaml:1:1: error STACK_NOT_FOUND no stack config\n");
  expect(broken.status).toBe(1);
  expect(broken.stdout).toContain("STACK_NOT_FOUND");
});
