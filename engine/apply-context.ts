/**
 * One apply under way (engine/apply-roster.ts applyOnce): the plan it carries out, and the users it has failed or not
 * converged so far. Every apply step (engine/apply-imports.ts, engine/apply-access-changes.ts, reconcile's own)
 * takes it and adds to it.
 */
import type { DeclaredUser } from "../core/declared-user";
import { scrubUser } from "../core/scrub-personal-data";
import type { PoolPorts } from "../aws/ports";
import type { CodeLedger } from "./code-ledger";
import type { PlanResult, RosterRun } from "./reconcile";

/** A user the apply could not bring to their declared state, and why (no personal data in `reason`). */
export interface FailedUser {
  username: string;
  file: string;
  line: number;
  reason: string;
}

/**
 * One apply under way: the plan it carries out, and the users it has failed or not converged so far. Its fields are
 * readonly: a step that changes the plan (a replace held after the import) hands on a new context, which shares
 * `failed` and `notConverged` (the lists the steps add to) with the one before.
 */
export interface ApplyContext {
  readonly ports: PoolPorts;
  readonly run: RosterRun;
  readonly planned: PlanResult;
  readonly poolId: string;
  readonly say: (message: string) => void;
  readonly failed: FailedUser[];
  /** Left out of `applied`, so the next run looks at them again. */
  readonly notConverged: Set<string>;
  /** With `sendSignInCode: afterImport`: who is owed a code, written ahead of each job's start. */
  readonly ledger?: CodeLedger;
}

/** A user this apply failed: reported with its file and line, and left out of the record (not converged). */
export function failUser(apply: ApplyContext, user: DeclaredUser, reason: string): void {
  // AWS messages and import log lines can echo the username: the reason reaches CI logs and the Pulumi state.
  apply.failed.push({ username: user.username, file: user.source.file, line: user.source.line, reason: scrubUser(reason, user) });
  apply.notConverged.add(user.username);
}
