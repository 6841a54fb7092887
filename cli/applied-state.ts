/**
 * The CLI's memory of its last successful apply: the applied digests (no personal data), per stack, under
 * `.roster/` (git-ignored). The Pulumi provider keeps the same digests in the stack state instead; a file
 * `pulumi stack export` file can be passed with --applied too, so a pull-request plan reads only what changed.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "fs";
import * as path from "path";
import type { AppliedDigests } from "../core/user-digest";

export function defaultAppliedStatePath(repoRoot: string, stack: string): string {
  return path.join(repoRoot, ".roster", `applied-${stack}.json`);
}

/** Undefined when there is no file yet; throws on a file that is not applied state for this pool. */
export function readAppliedState(file: string, userPoolId: string): AppliedDigests | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const data = JSON.parse(text) as { userPoolId?: string; applied?: AppliedDigests } | AppliedDigests | StackExport;
  if (isStackExport(data)) return appliedFromStackExport(data, userPoolId, file);
  if ("applied" in data && typeof data.applied === "object") {
    if (data.userPoolId !== undefined && data.userPoolId !== userPoolId) {
      throw new Error(`${file} records pool ${String(data.userPoolId)}, not ${userPoolId}`);
    }
    return data.applied as AppliedDigests;
  }
  return data as AppliedDigests;
}

/** The shape of `pulumi stack export` this reads: the roster resource's outputs. */
interface StackExport {
  deployment: { resources?: { type?: string; outputs?: { userPoolId?: string; applied?: AppliedDigests } }[] };
}

function isStackExport(data: unknown): data is StackExport {
  return typeof data === "object" && data !== null && "deployment" in data;
}

function appliedFromStackExport(data: StackExport, userPoolId: string, file: string): AppliedDigests | undefined {
  const rosters = (data.deployment.resources ?? []).filter((r) => r.type === "pulumi-nodejs:dynamic/cognito-roster:UserPoolRoster");
  if (rosters.length === 0) return undefined; // the stack has not applied a roster yet
  const mine = rosters.find((r) => r.outputs?.userPoolId === userPoolId);
  if (!mine) throw new Error(`${file} is a stack export with no roster for pool ${userPoolId}`);
  return mine.outputs?.applied ?? {};
}

/** Written to a temporary file and renamed, so an interrupted write never leaves half a file. */
export function writeAppliedState(file: string, userPoolId: string, applied: AppliedDigests): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ userPoolId, applied }));
  renameSync(tmp, file);
}
