/**
 * Every Cognito operation the product sends has a quota category in the emulator (developer guide, "Quotas in Amazon
 * Cognito" → "Amazon Cognito user pools API operation categories and request rate quotas"), so no call of the
 * product escapes the rates a test with `quotas: "aws"` enforces. The operations are derived from the code: every
 * `…Command` product code imports from the Cognito SDK client, and the calls Pulumi's `aws.cognito.UserGroup` makes.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { quotaCategoryOf } from "../../emulator/quotas";

const ROOT = path.resolve(__dirname, "../..");
const PRODUCT_DIRS = ["aws", "cli", "core", "engine", "providers", "program"];
/** The Terraform provider's calls for the one Cognito resource the program declares (as in test/iam/policies.test.ts). */
const PULUMI_COGNITO_CALLS: Record<string, string[]> = { "cognito.UserGroup": ["CreateGroup", "GetGroup", "UpdateGroup"] };

function productFiles(): string[] {
  const out = ["index.ts"];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(ROOT, dir))) {
      const rel = `${dir}/${name}`;
      if (statSync(path.join(ROOT, rel)).isDirectory()) walk(rel);
      else if (rel.endsWith(".ts") && !rel.endsWith(".d.ts")) out.push(rel);
    }
  };
  PRODUCT_DIRS.forEach(walk);
  return out;
}

/** The Cognito operations a source text imports as values from the SDK client (type-only imports send nothing). */
function cognitoOperations(text: string): string[] {
  const ops: string[] = [];
  for (const m of text.matchAll(/import\s*(type\s+)?\{([^}]*)\}\s*from\s*["']@aws-sdk\/client-cognito-identity-provider["']/g)) {
    if (m[1]) continue;
    for (const raw of m[2].split(",").map((n) => n.trim())) {
      const name = raw.split(/\s+as\s+/)[0];
      if (!raw.startsWith("type ") && /^[A-Z]\w*Command$/.test(name)) ops.push(name.replace(/Command$/, ""));
    }
  }
  return ops;
}

function pulumiCognitoCalls(text: string): string[] {
  return [...text.matchAll(/new\s+aws\.(cognito\.\w+)\s*\(/g)].flatMap((m) => {
    const calls = PULUMI_COGNITO_CALLS[m[1]];
    if (!calls) throw new Error(`the program declares aws.${m[1]}: add the Cognito calls it makes to PULUMI_COGNITO_CALLS`);
    return calls;
  });
}

const sent = [
  ...new Set(
    productFiles().flatMap((f) => {
      const text = readFileSync(path.join(ROOT, f), "utf8");
      return [...cognitoOperations(text), ...pulumiCognitoCalls(text)];
    }),
  ),
].sort();

test("the derivation finds the product's Cognito calls (the pool read, the import, MFA config, groups)", () => {
  expect(sent).toEqual(
    expect.arrayContaining(["DescribeUserPool", "GetUserPoolMfaConfig", "CreateUserImportJob", "AdminResetUserPassword", "CreateGroup"]),
  );
});

test.each(sent)("%s has a quota category in the emulator", (operation) => {
  expect(quotaCategoryOf(operation)).toMatch(/^User\w+$/);
});

test("GetUserPoolMfaConfig is UserPoolRead, as DescribeUserPool", () => {
  expect(quotaCategoryOf("GetUserPoolMfaConfig")).toBe("UserPoolRead");
  expect(quotaCategoryOf("DescribeUserPool")).toBe("UserPoolRead");
});
