/**
 * `cognito-roster emulator --stack NAME`: the CLI creates the stack's pool in the emulator through the SDK
 * (cli/emulator-pool.ts), signed for the stack's Region; a restart on the same state keeps the pool.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { runRosterEmulatorCommand } from "../../cli/emulator-command";
import { splitStackFlag } from "../../core/emulator-stack-flag";
import { createUserPoolInput } from "../../cli/emulator-pool";
import { loadStackProfile } from "../../load/stack-profile";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-emulator-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the command until it prints its endpoint; returns the endpoint and the promise of its exit code. */
async function launch(args: string[]): Promise<{ endpoint: string; exit: Promise<number>; restore(): void }> {
  const out: string[] = [];
  const stdout = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  const exit = runRosterEmulatorCommand(args);
  let endpoint: string | undefined;
  for (let i = 0; i < 500 && !endpoint; i++) {
    endpoint = out.map((s) => s.trim()).find((s) => s.startsWith("http://127.0.0.1:"));
    await new Promise((r) => setTimeout(r, 10));
  }
  const restore = () => {
    stdout.mockRestore();
    stderr.mockRestore();
  };
  if (!endpoint) {
    restore();
    throw new Error("no endpoint printed");
  }
  return { endpoint, exit, restore };
}

test("--stack dev creates the dev pool (id, name, schema, MFA, case sensitivity) with CreateUserPool; a restart on the same state keeps it", async () => {
  const state = path.join(dir, "state.ndjson");
  for (let run = 0; run < 2; run++) {
    const { endpoint, exit, restore } = await launch(["--port", "0", "--stack", "dev", "--state", state]);
    try {
      const client = new CognitoIdentityProviderClient({ endpoint, region: "eu-west-2", credentials, maxAttempts: 1 });
      const pool = (await client.send(new DescribeUserPoolCommand({ UserPoolId: "eu-west-2_Tr41n33s0" }))).UserPool;
      expect(pool).toMatchObject({
        Name: "trainee-information-system",
        MfaConfiguration: "ON",
        AutoVerifiedAttributes: ["email"],
        UsernameConfiguration: { CaseSensitive: false },
      });
      expect(pool?.Arn).toBe("arn:aws:cognito-idp:eu-west-2:000000000000:userpool/eu-west-2_Tr41n33s0");
      expect(pool?.SchemaAttributes?.find((a) => a.Name === "custom:tisId")?.StringAttributeConstraints).toEqual({
        MinLength: "1",
        MaxLength: "20",
      });
      expect(pool?.SchemaAttributes?.find((a) => a.Name === "email")?.Required).toBe(true);
      // The dev stack's second factor is SMS (mfaFactors: [sms]): SMS MFA with an SMS configuration, no authenticator app.
      const mfa = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: "eu-west-2_Tr41n33s0" }));
      expect(mfa.SmsMfaConfiguration?.SmsConfiguration?.SnsCallerArn).toMatch(/^arn:aws:iam::\d{12}:role\//);
      expect(mfa.SoftwareTokenMfaConfiguration?.Enabled).toBe(false);
      client.destroy();
      process.emit("SIGTERM");
      expect(await exit).toBe(0);
    } finally {
      restore();
    }
  }
});

test("an unknown stack or a --stack without a name is a configuration/usage error (exit 2)", async () => {
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    expect(await runRosterEmulatorCommand(["--stack", "no-such-stack"])).toBe(2);
    expect(await runRosterEmulatorCommand(["--stack"])).toBe(2);
  } finally {
    stderr.mockRestore();
  }
  expect(splitStackFlag(["--port", "0", "--stack=dev", "--fault", "x"])).toEqual({ stack: "dev", rest: ["--port", "0", "--fault", "x"] });
});

test("the CreateUserPool request names the stack's fixed id in the emulator's tag and leaves MFA to SetUserPoolMfaConfig", () => {
  const profile = loadStackProfile(process.cwd(), "dev").profile;
  expect(profile).toBeDefined();
  const input = createUserPoolInput(profile!);
  expect(input.UserPoolTags).toEqual({ "cognito-roster-emulator:user-pool-id": "eu-west-2_Tr41n33s0" });
  expect(input.MfaConfiguration).toBeUndefined();
  expect(input.Schema).toEqual(
    expect.arrayContaining([
      { Name: "tisId", AttributeDataType: "String", Mutable: true, StringAttributeConstraints: { MinLength: "1", MaxLength: "20" } },
    ]),
  );
});
