/**
 * The reconcile engine, shared by the Pulumi provider and the CLI: load and validate the files, look up what
 * changed in the pool, plan, and (for apply) carry the plan out and say what the roster now manages.
 *
 * It owns ordering and bookkeeping only; pure decisions live in core/, AWS calls in aws/. It prints nothing:
 * progress goes to the caller's callback, without personal data. Here: what a run is and returns, and the ports
 * it runs with (the pool's Region, the live-safety check, errors scrubbed of personal data); planning is
 * engine/plan-roster.ts, applying engine/apply-roster.ts.
 */
import type { DeclaredUser } from "../core/declared-user";
import { loadRoster } from "../load/load-roster";
import type { RosterPlan } from "../core/plan";
import type { PoolProfile } from "../core/profile";
import type { AppliedDigests } from "../core/user-digest";
import type { FailedUser } from "./apply-context";
import type { ApplyCounts } from "../core/apply-counts";
import type { SeenSubs } from "../core/applied-subs";
import { checkLiveSafety } from "./live-safety";
import { explainUnreachable } from "../aws/clients";
import { openRunPorts } from "./run-ports";
import type { PoolDescription } from "../aws/pool-users";
import type { PoolPorts } from "../aws/ports";
import type { BaseDeclaration } from "../core/base-users";
import type { JobSummary } from "./import-runner";
import type { ImportRunOptions, ImportTiming } from "./import-run-options";
import type { Clock } from "./backoff";
import type { PoolBinding } from "../core/pool-binding";
import { scrubErrorOfDeclaredUsers } from "../core/scrub-roster";
import type { SignInCodesOutcome } from "./send-sign-in-codes";
import type { ReminderRecord } from "../core/sign-in-reminders";
import type { LedgerChange, SignInCodeRecord } from "../core/sign-in-code-record";
import { loadValidUsers, planWith } from "./plan-roster";
import { applyWith } from "./apply-roster";

export interface RosterRun {
  profile: PoolProfile;
  /** The users directory, and the root that paths in diagnostics are relative to. */
  usersDir: string;
  repoRoot: string;
  /** Digests of the last successful apply, if any. */
  previous?: AppliedDigests;
  /**
   * The pool `previous` was applied to (stored with it). Checked against DescribeUserPool before `previous` is
   * trusted; a record without it is unbound and costs one full observation.
   */
  binding?: PoolBinding;
  /** Look up every declared user, not only those changed since the last apply. */
  full?: boolean;
  progress?: (message: string) => void;
  timing?: Partial<ImportTiming>;
  afterStep?: ImportRunOptions["afterStep"];
  /** Per-job CSV limits; Cognito's (500,000 users, 100 MB) unless a test sets smaller ones. */
  limits?: ImportRunOptions["limits"];
  /** Users already loaded and validated (the Pulumi program's copy); loaded from usersDir otherwise. */
  users?: readonly DeclaredUser[];
  /** The clock the engine's own waits run on (tests pass a fast one). */
  clock?: Clock;
  /** Who was sent a first sign-in code (or is owed one), from the last apply's record (digests only). */
  signInCodes?: SignInCodeRecord;
  /** Persists the sign-in code record as codes are sent, so a crash never causes a second code. */
  saveSignInCodes?: (record: SignInCodeRecord) => void;
  /**
   * The pull request's base declarations by username digest (`--base-users`): users no longer declared are then
   * found by name, one AdminGetUser each, instead of by a ListUsers scan.
   */
  base?: ReadonlyMap<string, BaseDeclaration>;
  /**
   * The day (yyyy-mm-dd, in the stack's time zone) whose access the run applies (`startDate`/`endDate`); from the
   * run's calendar when absent. The Pulumi program fixes it once per `up`, so its digest and the provider's agree.
   */
  today?: string;
  /**
   * The instant whose date in the stack's time zone decides `startDate`/`endDate` (the system clock when absent).
   * Apart from `clock`, whose time must agree with the pool's for import-job deadlines; tests move this one across midnight.
   */
  calendar?: Pick<Clock, "now">;
  /** Persists only what each save changed (O(changes) per batch; core/sign-in-code-record.ts). */
  appendSignInCodes?: (change: LedgerChange) => void;
  /** The stack state's record of sign-in reminders (`signInReminders`), for the plan's messaging capacity. */
  reminders?: ReminderRecord;
}

export interface PlanResult {
  plan: RosterPlan;
  users: DeclaredUser[];
  poolName: string;
  readStrategy: string;
  awsCalls: number;
  /** The run's one DescribeUserPool answer. */
  pool: PoolDescription;
  /** Set when every declared user was looked up although --full was not asked for: why the record was distrusted. */
  fullObservationReason?: string;
  /** The pool's import jobs, counted when the plan imports (core/import-job-budget.ts). */
  importJobsUsed?: number;
  /** The `sub` of each user the observation saw, for the applied record (engine/subs-of-applied-users.ts). */
  subs?: SeenSubs;
}

/** What an apply did: its plan, the counts (core/apply-counts.ts) and the record to keep. */
export interface ApplyResult extends PlanResult, ApplyCounts {
  failed: FailedUser[];
  jobs: JobSummary[];
  /** What the roster manages after this apply: to be stored and passed as `previous` next time. */
  applied: AppliedDigests;
  /** The pool `applied` describes: to be stored with it and passed as `binding` next time. */
  binding: PoolBinding;
  awsCallsByOperation: Record<string, number>;
  /** With `sendSignInCode: afterImport`: the codes sent and the record to keep (passed as `signInCodes` next time). */
  signInCodes?: SignInCodesOutcome;
}

/** Read-only: what an apply would do now, through the pool's ports (aws/ports.ts; the run's own when none are given). */
export function planRoster(run: RosterRun, ports?: PoolPorts): Promise<PlanResult> {
  return withPorts(run, ports, planWith);
}

/**
 * Runs `work` with the given ports, or with ports over clients of its own that it destroys afterwards. The ports
 * must be the pool's and the Region the pool's (RosterConfigError otherwise), whoever made them (engine/run-ports.ts).
 */
async function withPorts<T>(
  run: RosterRun,
  given: PoolPorts | undefined,
  work: (ports: PoolPorts, run: RosterRun) => Promise<T>,
): Promise<T> {
  const { ports, close } = await openRunPorts(run.profile, given, run.progress);
  try {
    // Against AWS, never the emulator's pool or the samples (engine/live-safety.ts); the users are loaded once.
    let users: DeclaredUser[] | undefined;
    await checkLiveSafety(ports.site, run.profile.userPoolId, () => (users = loadValidUsers(run)));
    return await work(ports, users ? { ...run, users } : run);
  } catch (err) {
    // An AWS error can echo the user it was about, who is not known here: every declared user is scrubbed from it.
    throw explainUnreachable(
      scrubErrorOfDeclaredUsers(
        err,
        run.users,
        () => loadRoster({ usersDir: run.usersDir, repoRoot: run.repoRoot, profile: run.profile }).users,
      ),
    );
  } finally {
    close();
  }
}

/** Plans and applies. Per-user failures are reported in the result, not thrown; they stay out of `applied`. */
export function applyRoster(run: RosterRun, ports?: PoolPorts): Promise<ApplyResult> {
  return withPorts(run, ports, applyWith);
}
