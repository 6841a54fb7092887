/**
 * What the commands that reach the pool share: the stack profile, the users folder, the applied state file, the AWS
 * clients (`commandClients`: the local emulator reached without touching process.env), and turning engine errors
 * into a clean message and exit code.
 */
import * as path from "node:path";
import { existsSync, statSync } from "node:fs";
import { describeAwsCall } from "../aws/aws-failure";
import { formatDiagnostic } from "../core/diagnostics";
import { errorKind } from "../core/roster-errors";
import { logLine, withoutUrlCredentials } from "../core/untrusted-text";
import type { PoolProfile } from "../core/profile";
import { loadStackProfile } from "../load/stack-profile";
import { type AwsClients, type ClientOptions, createAwsClients } from "../aws/clients";
import { defaultAppliedStatePath } from "./applied-state";
import { exitCodeFor } from "../core/exit-codes";

/** The role the local emulator accepts for import jobs (account 000000000000); it stands for the one Pulumi creates. */
export const EMULATOR_LOGS_ROLE = "arn:aws:iam::000000000000:role/cognito-roster-import-logs";

/**
 * The CloudWatch Logs role for import jobs: --logs-role-arn, else the stack's cognito-roster:logsRoleArn, else —
 * only when AWS_ENDPOINT_URL points at this machine, i.e. at the local emulator — the emulator's role.
 * Against AWS there is no safe guess: the engine then stops with a message saying what to set.
 */
export function resolveLogsRole(flag: string | undefined, profile: PoolProfile): string | undefined {
  if (flag) return flag;
  if (profile.logsRoleArn) return profile.logsRoleArn;
  return endpointIsLocal() ? EMULATOR_LOGS_ROLE : undefined;
}

/** True when AWS_ENDPOINT_URL points at this machine: the local emulator, never AWS. */
function endpointIsLocal(): boolean {
  return /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/.test(process.env.AWS_ENDPOINT_URL ?? "");
}

/**
 * The clients a command reaches the pool with. The emulator accepts any signature, but the SDK must sign with
 * something: against the local emulator (AWS_ENDPOINT_URL on this machine) with no credentials set, placeholder keys
 * are given to the clients, never written to the environment.
 */
export function commandClients(profile: Pick<PoolProfile, "region" | "userPoolId">, options: ClientOptions = {}): AwsClients {
  const env = process.env;
  const placeholder = endpointIsLocal() && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE;
  return createAwsClients(profile.region, profile.userPoolId, {
    ...options,
    ...(placeholder ? { credentials: { accessKeyId: "emulator", secretAccessKey: "emulator" } } : {}),
  });
}

/** Runs one engine call with clients of its own (each call counts its own AWS calls), destroyed afterwards. */
export function withCommandClients<T>(
  profile: PoolProfile,
  progress: (message: string) => void,
  work: (aws: AwsClients) => Promise<T>,
): Promise<T> {
  return withClients(commandClients(profile, { onRetry: progress }), work);
}

/** Runs `work` with `aws` and destroys the clients afterwards, whatever happens. */
export async function withClients<T>(aws: AwsClients, work: (aws: AwsClients) => Promise<T>): Promise<T> {
  try {
    return await work(aws);
  } finally {
    aws.destroy();
  }
}

export interface CommandContext {
  repoRoot: string;
  usersDir: string;
  stack: string;
  profile: PoolProfile;
  appliedStatePath: string;
}

/**
 * Loads the stack profile and checks the users directory; on a config problem prints it and returns undefined
 * (exit 2). A missing users directory is a configuration problem in every command, named by its path.
 */
export function commandContext(
  values: { users?: string; stack?: string; applied?: string },
  command = "roster",
): CommandContext | undefined {
  const repoRoot = process.cwd();
  const stack = values.stack ?? "dev";
  const result = loadStackProfile(repoRoot, stack);
  if (!result.profile) {
    for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    return undefined;
  }
  const usersDir = path.resolve(repoRoot, values.users ?? "users");
  if (!existsSync(usersDir) || !statSync(usersDir).isDirectory()) {
    process.stderr.write(`${command}: the users directory ${values.users ?? "users"} does not exist\n`);
    return undefined;
  }
  return {
    repoRoot,
    stack,
    usersDir,
    profile: result.profile,
    appliedStatePath: values.applied ? path.resolve(repoRoot, values.applied) : defaultAppliedStatePath(repoRoot, stack),
  };
}

/** Prints an engine or AWS error without a stack trace and gives the exit code of its kind. */
export function reportFailure(command: string, err: unknown): number {
  describeFailure(command, err);
  return exitCodeFor(err);
}

function describeFailure(command: string, err: unknown): void {
  const e = err as { name?: string; message?: string; diagnostics?: Parameters<typeof formatDiagnostic>[0][] };
  const kind = errorKind(err);
  if (kind === "validation" && e.diagnostics) {
    for (const d of e.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stderr.write(`cognito-roster ${command}: the users files have errors; nothing was changed\n`);
    return;
  }
  if (e.name === "CredentialsProviderError") {
    // The SDK searched the environment, ~/.aws and the instance/container metadata, and found nothing: say what to set.
    process.stderr.write(
      `cognito-roster ${command}: no AWS credentials found (the SDK looked in the environment, ~/.aws and instance metadata). ` +
        "Sign in first: `aws sso login --profile NAME` then AWS_PROFILE=NAME, or set AWS_ACCESS_KEY_ID and " +
        "AWS_SECRET_ACCESS_KEY; for the local emulator set AWS_ENDPOINT_URL=http://127.0.0.1:PORT " +
        '(docs/running-for-real.md, "AWS credentials")\n',
    );
    return;
  }
  if (kind === "config") {
    // A configuration problem (e.g. aws:region not the pool id's Region): one line, exit 2.
    process.stderr.write(`cognito-roster ${command}: ${e.message}\n`);
    return;
  }
  // An AWS failure also names its call, pool and request id: what AWS support asks for.
  const call = describeAwsCall(err);
  const message = `${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message ?? String(err)}${call ? ` (${call})` : ""}`;
  // An SDK or network error may quote the endpoint, credentials and all: shown without them, on one line.
  process.stderr.write(`${logLine(`cognito-roster ${command}: ${withoutUrlCredentials(message)}`)}\n`);
  if (e.name === "ResourceNotFoundException" && endpointIsLocal()) {
    process.stderr.write(
      `cognito-roster ${command}: the local emulator has no such pool; ` +
        "start it with `cognito-roster emulator --stack <stack>` to create the stack's pool\n",
    );
  }
}
