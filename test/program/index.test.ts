/**
 * The Pulumi program under `pulumi.runtime.setMocks`: what it registers (and does not), with which inputs, and how it
 * stops on bad users files or bad stack config. The mocks never run the dynamic provider; its serialised text is
 * only checked to be there.
 *
 * Each test writes its own users tree in a temporary directory and points the program at it with ROSTER_USERS_DIR /
 * ROSTER_REPO_ROOT, and sets the stack config the way the engine does (namespaced keys, every value a string,
 * structured values as JSON text).
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime";

const ACCOUNT = "123456789012";
const registered: MockResourceArgs[] = [];
const calls: MockCallArgs[] = [];

// Mocks must be in place before the program (and @pulumi/aws) is loaded: the imports below are type-only or
// pure, and the program itself is required in beforeAll.
pulumi.runtime.setMocks(
  {
    newResource(args: MockResourceArgs) {
      registered.push(args);
      const state: Record<string, unknown> = { ...args.inputs };
      if (args.type === "aws:iam/role:Role") state.arn = `arn:aws:iam::${ACCOUNT}:role/${args.name}`;
      if (args.type === "pulumi-nodejs:dynamic/cognito-roster:UserPoolRoster") {
        Object.assign(state, { userPoolId: args.inputs.profile.userPoolId, managedUsers: 2, lastApply: { imported: 2 }, failedUsers: [] });
      }
      if (args.type === "pulumi-nodejs:dynamic/cognito-roster:SignInReminderMarks")
        state.round = { at: args.inputs.runAt, digests: ["d1"] };
      return { id: args.type === "aws:iam/role:Role" ? args.name : `${args.name}-id`, state };
    },
    call(args: MockCallArgs) {
      calls.push(args);
      if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
        return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/ci`, id: ACCOUNT, userId: "AIDAEXAMPLE" };
      }
      throw new Error(`unexpected call ${args.token}`);
    },
  },
  "cognito-roster",
  "dev",
  false,
);

import type { RosterStackOutputs } from "../../program/roster-program";
import { formatDiagnostic } from "../../core/diagnostics";
import { loadRoster } from "../../load/load-roster";
import { profileFromConfig } from "../../core/profile";
import { digestDeclaredUsers, rosterDigest } from "../../core/user-digest";

const ROOT = path.resolve(__dirname, "../..");
type Program = () => Promise<RosterStackOutputs>;
let program: Program;

/** The dev stack's config as the engine hands it to a program: every value a string. */
function devStackConfig(): Record<string, string> {
  const doc = parse(readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc.config)) out[key] = typeof value === "object" ? JSON.stringify(value) : String(value);
  return out;
}

function value<T>(output: pulumi.Output<T>): Promise<T> {
  if (!pulumi.Output.isInstance(output)) {
    // Seen when a resource class declares `public readonly x!: pulumi.Output<T>` and TypeScript emits ES2022 class
    // fields: the field is re-initialised to undefined after super() set it. Such fields need `declare`.
    throw new Error(`expected an Output, got ${String(output)} (is the resource's output field declared with \`declare\`?)`);
  }
  return new Promise((resolve) => output.apply(resolve));
}

const ROSTER_TYPE = "pulumi-nodejs:dynamic/cognito-roster:UserPoolRoster";

/**
 * Waits until the roster resource reaches the mocks. It registers last (it depends on the role policy) and only
 * once its provider has been serialised, which takes a few seconds the first time.
 */
async function rosterRegistered(timeoutMs = 30000): Promise<MockResourceArgs> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const roster = registered.find((r) => r.type === ROSTER_TYPE);
    if (roster) return roster;
    if (Date.now() > deadline) throw new Error(`the roster was not registered within ${timeoutMs} ms (registered: ${types().join(", ")})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const VALID_USERS = `defaults:
  mfa_enabled: true
  email_verified: true
users:
  - username: ada.testperson@example.nhs.uk
    email: ada.testperson@example.nhs.uk
    given_name: Ada
    family_name: Testperson
    phone_number: "+447700900101"
    custom:tisId: "900101"
  - username: bram.fictional@example.com
    email: bram.fictional@example.com
    given_name: Bram
    family_name: Fictional
    phone_number: "+447700900102"
    custom:tisId: "900102"
`;

/** Two users with problems of their own, and a duplicate across files. */
const INVALID_USERS = `users:
  - username: cleo.madeup@example.com
    email: someone.else@example.com
    custom:tisId: "900103"
  - username: ada.testperson@example.nhs.uk
    email: ada.testperson@example.nhs.uk
    custom:tisId: "this tis id is far too long to be one"
`;

let repo: string;

function writeUsers(files: Record<string, string>): void {
  rmSync(path.join(repo, "users"), { recursive: true, force: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, "users", file)), { recursive: true });
    writeFileSync(path.join(repo, "users", file), text);
  }
}

function types(): string[] {
  return registered.map((r) => r.type).sort();
}

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), "roster-program-"));
  process.env.ROSTER_REPO_ROOT = repo;
  process.env.ROSTER_USERS_DIR = "users";
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after setMocks on purpose
  program = require("../../index") as Program;
});

afterAll(() => {
  delete process.env.ROSTER_REPO_ROOT;
  delete process.env.ROSTER_USERS_DIR;
  rmSync(repo, { recursive: true, force: true });
});

/** Forgets what earlier runs registered and restores the dev stack config; each run of the program starts here. */
function reset(): void {
  registered.length = 0;
  calls.length = 0;
  pulumi.runtime.setAllConfig(devStackConfig());
}

describe("the program with the dev stack and valid users", () => {
  let outputs: RosterStackOutputs;

  beforeAll(async () => {
    reset();
    writeUsers({ "london/intake.yaml": VALID_USERS });
    outputs = await program();
    await rosterRegistered();
  }, 60000);

  it("creates no IAM resource: the groups and one roster resource", () => {
    expect(registered.map((r) => r.type).sort()).toEqual([
      // The dev stack's groups (cognito-roster:groups: trainees, kss-admins): program/user-groups.ts.
      "aws:cognito/userGroup:UserGroup",
      "aws:cognito/userGroup:UserGroup",
      "pulumi-nodejs:dynamic/cognito-roster:RosterFailures",
      "pulumi-nodejs:dynamic/cognito-roster:UserPoolRoster",
    ]);
    expect(calls).toEqual([]);
  });

  it("registers the roster for the pool with the profile, the role and the digest of the declared users", () => {
    const roster = registered.find((r) => r.type === ROSTER_TYPE)!;
    const profile = profileFromConfig(devStackConfig()).profile!;
    const users = loadRoster({ usersDir: path.join(repo, "users"), repoRoot: repo, profile }).users;
    expect(roster.name).toBe("eu-west-2_Tr41n33s0-users");
    expect(roster.inputs).toMatchObject({
      usersDir: "users",
      logsRoleArn: `arn:aws:iam::${ACCOUNT}:role/roster-import-logs`,
      rosterDigest: rosterDigest(digestDeclaredUsers(profile.userPoolId, users, profile.usernameCaseSensitive)),
    });
    // Undefined optional settings are dropped on the wire, as they are for the engine.
    expect(roster.inputs.profile).toEqual(JSON.parse(JSON.stringify(profile)));
    expect(typeof roster.inputs.__provider).toBe("string");
    expect(roster.inputs.__provider).toContain("exports.handler");
  });

  it("exports a summary without personal data", async () => {
    expect(await value(outputs.userPoolId)).toBe("eu-west-2_Tr41n33s0");
    expect(await value(outputs.logsRoleArn)).toBe(`arn:aws:iam::${ACCOUNT}:role/roster-import-logs`);
    expect(await value(outputs.managedUsers)).toBe(2);
    expect(await value(outputs.lastApply)).toEqual({ imported: 2 });
    expect(outputs).toMatchObject({ usersDir: "users", declaredUsers: 2, usersFiles: 1 });
    expect(JSON.stringify({ ...outputs, userPoolId: undefined })).not.toContain("example");
  });
});

describe("a stack with signInReminders", () => {
  it("registers the reminder marks after the roster and the sends after the marks, fed the marks' round of this run", async () => {
    reset();
    writeUsers({ "london/intake.yaml": VALID_USERS });
    pulumi.runtime.setAllConfig({ ...devStackConfig(), "cognito-roster:signInReminders": '{"everyDays":7,"maxReminders":3}' });
    await program();
    const deadline = Date.now() + 30000;
    while (!registered.some((r) => r.type.endsWith(":SignInReminderSends")) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const marks = registered.find((r) => r.type.endsWith(":SignInReminderMarks"));
    const sends = registered.find((r) => r.type.endsWith(":SignInReminderSends"));
    expect(marks?.name).toBe("eu-west-2_Tr41n33s0-reminder-marks");
    expect(marks?.inputs).toMatchObject({ usersDir: "users", profile: { signInReminders: { everyDays: 7, maxReminders: 3 } } });
    expect(typeof marks?.inputs.runAt).toBe("number");
    expect(sends?.inputs).toMatchObject({ runAt: marks?.inputs.runAt, round: { at: marks?.inputs.runAt, digests: ["d1"] } });
    // Registered in dependency order: roster, then marks, then sends.
    const order = registered.map((r) => r.type.split(":").pop());
    expect(order.indexOf("SignInReminderMarks")).toBeGreaterThan(order.indexOf("UserPoolRoster"));
    expect(order.indexOf("SignInReminderSends")).toBeGreaterThan(order.indexOf("SignInReminderMarks"));
  }, 60000);

  it("without the setting registers neither", async () => {
    reset();
    writeUsers({ "london/intake.yaml": VALID_USERS });
    await program();
    await rosterRegistered();
    expect(types().filter((t) => t.includes("SignInReminder"))).toEqual([]);
  });
});

describe("a stack that names its own logs role", () => {
  it("uses that role and creates nothing else", async () => {
    reset();
    writeUsers({ "london/intake.yaml": VALID_USERS });
    const existing = `arn:aws:iam::${ACCOUNT}:role/existing-cognito-import-logs`;
    pulumi.runtime.setAllConfig({ ...devStackConfig(), "cognito-roster:logsRoleArn": existing });
    const outputs = await program();
    expect(await value(outputs.logsRoleArn)).toBe(existing);
    await rosterRegistered();
    expect(types().sort()).toEqual([
      "aws:cognito/userGroup:UserGroup",
      "aws:cognito/userGroup:UserGroup",
      "pulumi-nodejs:dynamic/cognito-roster:RosterFailures",
      "pulumi-nodejs:dynamic/cognito-roster:UserPoolRoster",
    ]);
    expect(registered.find((r) => r.type.endsWith(":UserPoolRoster"))?.inputs.logsRoleArn).toBe(existing);
    expect(calls).toEqual([]);
  });

  it("without logsRoleArn, stops before anything is registered and says how to make the role", async () => {
    reset();
    writeUsers({ "london/intake.yaml": VALID_USERS });
    const { "cognito-roster:logsRoleArn": _role, ...withoutRole } = devStackConfig();
    pulumi.runtime.setAllConfig(withoutRole);
    const error = (await program().catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^cognito-roster:logsRoleArn is not set: .*The CloudWatch Logs role/);
    expect(registered).toEqual([]);
  });
});

describe("invalid users files", () => {
  it("stop the program with every diagnostic, before anything is registered", async () => {
    reset();
    writeUsers({ "london/intake.yaml": VALID_USERS, "kss/intake.yaml": INVALID_USERS });
    const profile = profileFromConfig(devStackConfig()).profile!;
    const expected = loadRoster({ usersDir: path.join(repo, "users"), repoRoot: repo, profile }).diagnostics.filter(
      (d) => d.severity === "error",
    );
    expect(expected.length).toBeGreaterThanOrEqual(3);

    const error = await program().catch((e: unknown) => e);
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    const lines = (error as Error).message.split("\n");
    for (const d of expected) expect(lines).toContain(formatDiagnostic(d));
    for (const line of lines.slice(1)) expect(line).toMatch(/^users\/[\w./-]+:\d+:\d+: (error|warning) [A-Z_]+ /);
    expect((error as Error).message).not.toMatch(/\n\s+at /);
    expect(registered).toEqual([]);
    expect(calls).toEqual([]);
  });

  it("a missing users directory stops the program too (a typo in ROSTER_USERS_DIR must not forget every user)", async () => {
    reset();
    rmSync(path.join(repo, "users"), { recursive: true, force: true });
    const error = await program().catch((e: unknown) => e);
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("users: error USERS_DIR_NOT_FOUND");
    expect(registered).toEqual([]);
  });
});

describe("invalid stack config", () => {
  it("stops with every config problem and registers nothing", async () => {
    reset();
    writeUsers({ "london/intake.yaml": VALID_USERS });
    const config = devStackConfig();
    delete config["cognito-roster:userPoolId"];
    config["cognito-roster:mfaConfiguration"] = "SOMETIMES";
    config["cognito-roster:colour"] = "blue";
    pulumi.runtime.setAllConfig(config);
    const error = await program().catch((e: unknown) => e);
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain("Pulumi.dev.yaml:1:1: error CONFIG_INVALID cognito-roster:userPoolId: is required");
    expect(message).toContain("cognito-roster:mfaConfiguration: must be one of ON, OFF, OPTIONAL");
    expect(message).toContain("error CONFIG_UNKNOWN_KEY cognito-roster:colour");
    expect(registered).toEqual([]);
  });
});
