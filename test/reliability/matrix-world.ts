/**
 * One fault-matrix scenario's world: an emulator of its own (optionally with a state file, restartable on the same
 * port), the signal proxy in front of it, a throw-away checkout with a stack config naming the scenario's pool, and
 * the ways to run the roster there — in this process through `main(args)` with stdout/stderr captured, or as a
 * process of its own that a scenario can kill. The pool is read back with an unmodified SDK client, straight from
 * the emulator, to count users lost and duplicated.
 *
 * It judges nothing itself: the test decides what a row must read.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  DescribeUserImportJobCommand,
  ListUserImportJobsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import type { PoolProfile } from "../../core/profile";
import { type RunOutput, runInProcess } from "../support/cli-in-process";
import { createPool } from "../support/emulator-pool";
import { makeCheckout, traineeEmail, traineeProfile, type RosterCheckout, type TraineeSpec } from "../support/roster-fixture";
import { SignalProxy } from "./signal-proxy";
import type { FastClock } from "./fast-clock";

const STACK = "matrix";
const CHILD = path.join(__dirname, "roster-child.js");
/** The access key of in-process runs; spawned runs pass their own so the proxy can tell them apart. */
export const MAIN_CLIENT = "matrix-main";

export type { RunOutput } from "../support/cli-in-process";

export interface ChildRun {
  child: ChildProcess;
  done: Promise<RunOutput & { signal: NodeJS.Signals | null }>;
}

export interface WorldOptions {
  clock: FastClock;
  emulator?: Omit<EmulatorOptions, "clock" | "port" | "stateFile">;
  /** Keep the emulator's state in a file in the checkout (needed to restart it mid-job). */
  stateFile?: boolean;
  profile?: Partial<PoolProfile>;
}

export class MatrixWorld {
  emulator!: RunningEmulator;
  proxy!: SignalProxy;
  readonly checkout: RosterCheckout;
  readonly profile: PoolProfile;
  /** Extra environment for the roster's runs (e.g. a default Region that is not the pool's). */
  extraEnv: NodeJS.ProcessEnv = {};
  /** Counts pool rebuilds (replaceWithEmptyPool). */
  poolGeneration = 0;
  private sdk?: CognitoIdentityProviderClient;

  private constructor(private readonly options: WorldOptions) {
    this.checkout = makeCheckout();
    this.profile = traineeProfile({ logsRoleArn: undefined, ...options.profile });
  }

  static async create(options: WorldOptions): Promise<MatrixWorld> {
    const world = new MatrixWorld(options);
    world.emulator = await startEmulator(world.emulatorOptions());
    await createPool(world.emulator, world.profile);
    world.proxy = new SignalProxy(world.emulator.endpoint);
    await world.proxy.start();
    world.writeStack();
    return world;
  }

  private emulatorOptions(port?: number): EmulatorOptions {
    const stateFile = this.options.stateFile ? path.join(this.checkout.repoRoot, ".emulator-state.json") : undefined;
    return { ...this.options.emulator, stateFile, clock: this.options.clock.now, port };
  }

  /** Stops the emulator and starts it again on the same port from its state file (a restart mid-job). */
  async restartEmulator(): Promise<void> {
    const port = this.emulator.port;
    await this.emulator.stop();
    this.emulator = await startEmulator(this.emulatorOptions(port));
  }

  /** Replaces the emulator by a fresh one on the same port, with an empty pool of the same id (a rebuilt pool). */
  async replaceWithEmptyPool(): Promise<void> {
    const port = this.emulator.port;
    await this.emulator.stop();
    rmSync(path.join(this.checkout.repoRoot, ".emulator-state.json"), { force: true });
    this.emulator = await startEmulator(this.emulatorOptions(port));
    await createPool(this.emulator, this.profile);
    this.poolGeneration++;
  }

  /** Deletes the CLI's applied record (a fresh checkout, e.g. a CI runner). */
  removeAppliedRecord(): void {
    rmSync(path.join(this.checkout.repoRoot, ".roster", `applied-${STACK}.json`), { force: true });
  }

  /** Rewrites the CLI's applied record (.roster/applied-<stack>.json) as `edit` says. */
  rewriteAppliedRecord(edit: (text: string) => string): void {
    const file = path.join(this.checkout.repoRoot, ".roster", `applied-${STACK}.json`);
    writeFileSync(file, edit(readFileSync(file, "utf8")));
  }

  async dispose(): Promise<void> {
    this.sdk?.destroy();
    await this.proxy.stop();
    await this.emulator.stop();
    this.checkout.cleanup();
  }

  /** Pulumi.<STACK>.yaml for the scenario's pool; `region` overrides aws:region (a Region mismatch). */
  writeStack(region = this.profile.region): void {
    const p = this.profile;
    const custom = Object.entries(p.customAttributes)
      .map(
        ([name, c]) =>
          `    ${name}:\n      type: ${c.type}\n${c.minLength !== undefined ? `      minLength: ${c.minLength}\n` : ""}${c.maxLength !== undefined ? `      maxLength: ${c.maxLength}\n` : ""}`,
      )
      .join("");
    const text = [
      "config:",
      `  aws:region: ${region}`,
      `  cognito-roster:userPoolId: ${p.userPoolId}`,
      `  cognito-roster:userPoolName: ${p.userPoolName}`,
      `  cognito-roster:autoVerifiedAttributes: [${p.autoVerifiedAttributes.join(", ")}]`,
      `  cognito-roster:mfaConfiguration: "${p.mfaConfiguration}"`,
      `  cognito-roster:requiredAttributes: [${p.requiredAttributes.join(", ")}]`,
      `  cognito-roster:customAttributes:\n${custom.trimEnd()}`,
      `  cognito-roster:usernameCaseSensitive: ${p.usernameCaseSensitive}`,
      `  cognito-roster:usernameMustEqualEmail: ${p.usernameMustEqualEmail}`,
      `  cognito-roster:attributeChanges: ${p.attributeChanges}`,
      `  cognito-roster:removedUsers: ${p.removedUsers}`,
      `  cognito-roster:maxRemovalFraction: ${p.maxRemovalFraction}`,
      ...(p.sendSignInCode === "afterImport" ? ["  cognito-roster:sendSignInCode: afterImport"] : []),
      ...groupsSetting(p),
      "",
    ].join("\n");
    writeFileSync(path.join(this.checkout.repoRoot, `Pulumi.${STACK}.yaml`), text);
  }

  /** The usernames of a group's members (ListUsersInGroup), lower-cased. */
  async groupMembers(group: string): Promise<string[]> {
    const cognito = this.client();
    const members: string[] = [];
    let token: string | undefined;
    do {
      const out = await cognito.send(
        new ListUsersInGroupCommand({ UserPoolId: this.profile.userPoolId, GroupName: group, NextToken: token }),
      );
      members.push(...(out.Users ?? []).map((u) => (u.Username ?? "").toLowerCase()));
      token = out.NextToken;
    } while (token);
    return members;
  }

  writeUsers(trainees: readonly TraineeSpec[]): void {
    this.checkout.reset();
    this.checkout.write("north-west/matrix.yaml", trainees);
  }

  /** The environment a run gets: the proxy as AWS_ENDPOINT_URL, placeholder keys, no default Region. */
  env(client = MAIN_CLIENT): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ENDPOINT_URL: this.proxy.endpoint,
      AWS_ACCESS_KEY_ID: client,
      AWS_SECRET_ACCESS_KEY: "matrix",
    };
    delete env.AWS_REGION;
    delete env.AWS_DEFAULT_REGION;
    delete env.AWS_PROFILE;
    env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
    return { ...env, ...this.extraEnv };
  }

  /** `cognito-roster <args> --stack matrix` in this process, from the checkout, with its output captured. */
  async run(...args: string[]): Promise<RunOutput> {
    return runInProcess(this.checkout.repoRoot, this.env(), [...args, "--stack", STACK]);
  }

  apply(): Promise<RunOutput> {
    return this.run("apply", "--yes");
  }

  /** `cognito-roster <args> --stack matrix` as a process of its own. */
  spawn(client: string, ...args: string[]): ChildRun {
    const child = spawn(process.execPath, [CHILD, ...args, "--stack", STACK], {
      cwd: this.checkout.repoRoot,
      env: this.env(client),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr?.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const done = new Promise<RunOutput & { signal: NodeJS.Signals | null }>((resolve) =>
      child.on("close", (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr })),
    );
    return { child, done };
  }

  /** An unmodified SDK client, straight to the emulator (not through the proxy), signed for the pool's Region. */
  client(): CognitoIdentityProviderClient {
    this.sdk?.destroy();
    this.sdk = new CognitoIdentityProviderClient({
      region: this.profile.region,
      endpoint: this.emulator.endpoint,
      credentials: { accessKeyId: "observer", secretAccessKey: "x" },
    });
    return this.sdk;
  }

  /** Every pool user, by a full ListUsers scan (faults cleared first: the lag would hide recent writes). */
  async poolUsers(): Promise<UserType[]> {
    const cognito = this.client();
    const users: UserType[] = [];
    let token: string | undefined;
    do {
      const out = await cognito.send(new ListUsersCommand({ UserPoolId: this.profile.userPoolId, PaginationToken: token }));
      users.push(...(out.Users ?? []));
      token = out.PaginationToken;
    } while (token);
    return users;
  }

  /** The user as AdminGetUser (the consistent read) returns it; undefined when it is not in the pool. */
  async poolUser(username: string): Promise<{ enabled: boolean; attributes: Record<string, string> } | undefined> {
    try {
      const out = await this.client().send(new AdminGetUserCommand({ UserPoolId: this.profile.userPoolId, Username: username }));
      return {
        enabled: out.Enabled !== false,
        attributes: Object.fromEntries((out.UserAttributes ?? []).map((a) => [a.Name ?? "", a.Value ?? ""])),
      };
    } catch (err) {
      if ((err as Error).name === "UserNotFoundException") return undefined;
      throw err;
    }
  }

  /** True when AdminGetUser (the consistent read) finds the user. */
  /** The user's enabled state and UserStatus (AdminGetUser), or undefined when the pool has no such user. */
  async poolUserStatus(username: string): Promise<{ enabled: boolean; status: string } | undefined> {
    try {
      const out = await this.client().send(new AdminGetUserCommand({ UserPoolId: this.profile.userPoolId, Username: username }));
      return { enabled: out.Enabled ?? true, status: out.UserStatus ?? "" };
    } catch (err) {
      if ((err as Error).name === "UserNotFoundException") return undefined;
      throw err;
    }
  }

  async exists(username: string): Promise<boolean> {
    try {
      await this.client().send(new AdminGetUserCommand({ UserPoolId: this.profile.userPoolId, Username: username }));
      return true;
    } catch (err) {
      if ((err as Error).name === "UserNotFoundException") return false;
      throw err;
    }
  }

  async jobs(): Promise<{ JobId?: string; JobName?: string; Status?: string; ImportedUsers?: number }[]> {
    const out = await this.client().send(new ListUserImportJobsCommand({ UserPoolId: this.profile.userPoolId, MaxResults: 60 }));
    return out.UserImportJobs ?? [];
  }

  async job(jobId: string): Promise<{ Status?: string; ImportedUsers?: number }> {
    const out = await this.client().send(new DescribeUserImportJobCommand({ UserPoolId: this.profile.userPoolId, JobId: jobId }));
    return out.UserImportJob ?? {};
  }
}

/** The stack's `cognito-roster:groups` lines (block style, as Pulumi.dev.yaml writes them); none without groups. */
function groupsSetting(p: PoolProfile): string[] {
  if (!p.groups) return [];
  const lines = ["  cognito-roster:groups:"];
  for (const [name, g] of Object.entries(p.groups)) {
    lines.push(`    ${name}:`);
    if (g.precedence !== undefined) lines.push(`      precedence: ${g.precedence}`);
  }
  return lines;
}

export { traineeEmail };
