/**
 * The CLI's memory of its last successful apply: the applied digests (no personal data), per stack, under
 * `.roster/` (git-ignored). The Pulumi provider keeps the same digests in the stack state instead; a file
 * `pulumi stack export` file can be passed with --applied too, so a pull-request plan reads only what changed.
 *
 * The record is a cache, bound to the pool it describes (engine/pool-binding.ts): the file is
 * `{"userPoolId", "applied": {digest: digest}, "pool": {"userPoolId", "arn", "createdAt", "managedUsers"}}`.
 * Older files without `pool` (and bare digest maps) still read; the engine treats them as unbound.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "fs";
import * as path from "path";
import type { AppliedDigests } from "../core/user-digest";
import type { PoolBinding } from "../engine/pool-binding";

/** What a record holds: the digests, and the pool they were applied to when the record says so. */
export interface AppliedRecord {
  applied: AppliedDigests;
  binding?: PoolBinding;
}

export function defaultAppliedStatePath(repoRoot: string, stack: string): string {
  return path.join(repoRoot, ".roster", `applied-${stack}.json`);
}

/** Undefined when there is no file yet; throws on a file that is not applied state for this pool. */
export function readAppliedState(file: string, userPoolId: string): AppliedDigests | undefined {
  return readAppliedRecord(file, userPoolId)?.applied;
}

/** The digests and the pool binding; undefined when there is no file yet. */
export function readAppliedRecord(file: string, userPoolId: string): AppliedRecord | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const data = JSON.parse(text) as { userPoolId?: string; applied?: AppliedDigests; pool?: PoolBinding } | AppliedDigests | StackExport;
  if (isStackExport(data)) return appliedFromStackExport(data, userPoolId, file);
  if ("applied" in data && typeof data.applied === "object") {
    if (data.userPoolId !== undefined && data.userPoolId !== userPoolId) {
      throw new Error(`${file} records pool ${String(data.userPoolId)}, not ${userPoolId}`);
    }
    const binding = isBinding(data.pool) ? data.pool : undefined;
    return { applied: data.applied as AppliedDigests, ...(binding ? { binding } : {}) };
  }
  return { applied: data as AppliedDigests };
}

function isBinding(value: unknown): value is PoolBinding {
  const b = value as Partial<PoolBinding> | undefined;
  return typeof b === "object" && b !== null && typeof b.arn === "string" && typeof b.createdAt === "number" && typeof b.managedUsers === "number";
}

/** The shape of `pulumi stack export` this reads: the roster resource's outputs. */
interface StackExport {
  deployment: { resources?: { type?: string; outputs?: { userPoolId?: string; applied?: AppliedDigests; pool?: PoolBinding } }[] };
}

function isStackExport(data: unknown): data is StackExport {
  return typeof data === "object" && data !== null && "deployment" in data;
}

function appliedFromStackExport(data: StackExport, userPoolId: string, file: string): AppliedRecord | undefined {
  const rosters = (data.deployment.resources ?? []).filter((r) => r.type === "pulumi-nodejs:dynamic/cognito-roster:UserPoolRoster");
  if (rosters.length === 0) return undefined; // the stack has not applied a roster yet
  const mine = rosters.find((r) => r.outputs?.userPoolId === userPoolId);
  if (!mine) throw new Error(`${file} is a stack export with no roster for pool ${userPoolId}`);
  const binding = isBinding(mine.outputs?.pool) ? mine.outputs?.pool : undefined;
  return { applied: mine.outputs?.applied ?? {}, ...(binding ? { binding } : {}) };
}

/** Written to a temporary file and renamed, so an interrupted write never leaves half a file. */
export function writeAppliedState(file: string, userPoolId: string, applied: AppliedDigests, binding?: PoolBinding): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ userPoolId, applied, ...(binding ? { pool: binding } : {}) }));
  renameSync(tmp, file);
}
