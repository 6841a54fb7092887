/**
 * `cognito-roster init --stack NAME --pool ID [--region R] [--force]`: the first step of going live. Reads the pool's
 * configuration (DescribeUserPool, GetUserPoolMfaConfig) and writes `Pulumi.NAME.yaml` (core/init-stack.ts decides
 * its text), then checks the file with the project's own stack parser. Never overwrites without --force.
 *
 * A thin shell: flags, two AWS reads, one file, output and exit codes. Results (the file written) go to stdout.
 */
import { existsSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { formatDiagnostic } from "../core/diagnostics";
import { USER_POOL_ID } from "../core/identifier-patterns";
import { renderInitStack, unsupportedSettings } from "../core/init-stack";
import { compareStackWithPool, formatSettingMismatch } from "../core/pool-settings";
import { parseStackProfile } from "../core/profile";
import { RosterConfigError } from "../core/roster-errors";
import { poolPorts } from "../aws/ports";
import { commandClients, reportFailure } from "./command-context";
import { parseCommandLine, usageError } from "./command-line";
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from "../core/exit-codes";
import { commandTable } from "../core/flag-table";

export const INIT = commandTable({
  name: "init",
  summary: "write Pulumi.NAME.yaml from a live pool (the first step of going live)",
  about: [
    "Reads the pool's configuration (DescribeUserPool, GetUserPoolMfaConfig) and writes Pulumi.NAME.yaml:",
    "every setting that describes the pool, each with a comment naming where it came from, and the roster's",
    "own policies at their defaults. The file is checked with the project's stack parser before it is written.",
    "An existing file is never overwritten without --force.",
  ],
  flags: {
    stack: { type: "string", value: "NAME", required: true, help: "the stack to write Pulumi.NAME.yaml for (required)" },
    pool: { type: "string", value: "ID", required: true, help: "the user pool id, REGION_ID (required)" },
    region: { type: "string", value: "R", help: "the pool's Region (must be the one the pool id names; default: that one)" },
    force: { type: "boolean", default: false, help: "overwrite Pulumi.NAME.yaml if it exists" },
  },
});

interface InitRequest {
  stack: string;
  userPoolId: string;
  region: string;
  file: string;
  force: boolean;
}

export async function runInitCommand(args: string[]): Promise<number> {
  const request = initRequest(args);
  if (typeof request === "string") return usageError(INIT, request);
  if (existsSync(request.file) && !request.force) {
    process.stderr.write(`cognito-roster init: ${path.basename(request.file)} exists: not overwritten (pass --force to replace it)\n`);
    return EXIT_USAGE;
  }
  let text: string;
  try {
    text = await stackTextFromPool(request);
  } catch (err) {
    return reportFailure("init", err);
  }
  return writeChecked(request, text);
}

function initRequest(args: string[]): InitRequest | string {
  const parsed = parseCommandLine(args, INIT);
  if (typeof parsed === "string") return parsed;
  const { stack, pool, region, force } = parsed.values;
  if (!stack) return "--stack NAME is required";
  if (!/^[\w.-]+$/.test(stack)) return `--stack ${JSON.stringify(stack)} is not a stack name (letters, digits, _ . -)`;
  if (!pool) return "--pool ID is required";
  if (!USER_POOL_ID.test(pool)) return `--pool ${JSON.stringify(pool)} is not a user pool id (region_id, e.g. eu-west-2_AbC123xyZ)`;
  const poolRegion = pool.slice(0, pool.indexOf("_"));
  if (region !== undefined && region !== poolRegion) return `pool ${pool} is in ${poolRegion}, not --region ${region}`;
  return { stack, userPoolId: pool, region: poolRegion, file: path.resolve(process.cwd(), `Pulumi.${stack}.yaml`), force: force ?? false };
}

/** The stack file for the live pool; refuses a pool the stack file cannot describe. */
async function stackTextFromPool(request: InitRequest): Promise<string> {
  const aws = commandClients(
    { region: request.region, userPoolId: request.userPoolId },
    { onRetry: (m) => process.stderr.write(`cognito-roster init: ${m}\n`) },
  );
  try {
    const { users } = poolPorts(aws, request.userPoolId);
    const pool = await users.describePool();
    const unsupported = unsupportedSettings(pool.settings);
    if (unsupported.length > 0)
      throw new RosterConfigError(`pool ${request.userPoolId} cannot be described by a stack file: ${unsupported.join("; ")}`);
    const mfaFactors = pool.settings.mfaConfiguration === "OFF" ? undefined : await users.mfaFactors();
    const text = renderInitStack({
      stack: request.stack,
      region: request.region,
      userPoolId: request.userPoolId,
      settings: pool.settings,
      mfaFactors,
    });
    checkRoundTrip(text, request, pool.settings);
    return text;
  } finally {
    aws.destroy();
  }
}

/** Every file our commands write passes our own validation, and describes the pool it was read from. */
function checkRoundTrip(text: string, request: InitRequest, settings: Parameters<typeof compareStackWithPool>[1]): void {
  const parsed = parseStackProfile(text, path.basename(request.file));
  if (!parsed.profile)
    throw new RosterConfigError(`the stack file would not be valid:\n${parsed.diagnostics.map(formatDiagnostic).join("\n")}`);
  const mismatches = compareStackWithPool(parsed.profile, settings);
  if (mismatches.length > 0)
    throw new RosterConfigError(`the stack file would not describe the pool:\n${mismatches.map(formatSettingMismatch).join("\n")}`);
}

function writeChecked(request: InitRequest, text: string): number {
  try {
    const temporary = `${request.file}.roster-init-${process.pid}`;
    writeFileSync(temporary, text, { flag: "wx" });
    renameSync(temporary, request.file);
  } catch (err) {
    process.stderr.write(`cognito-roster init: could not write ${path.basename(request.file)}: ${(err as Error).message}\n`);
    return EXIT_PROBLEMS;
  }
  process.stdout.write(`wrote ${path.basename(request.file)} from pool ${request.userPoolId}\n`);
  return EXIT_OK;
}
