/**
 * Programmable faults, from tests (`emulator.faults`) and from the command line (`--fault SPEC`).
 *
 * SPEC syntax (one per `--fault`):
 *   throttle:<Operation|*>[:K]      next K calls (default 1) → TooManyRequestsException "Rate exceeded"
 *   error:<Operation|*>[:K]         next K calls → HTTP 500 InternalErrorException
 *   drop:<Operation|*>[:K]          next K calls → the connection is destroyed without a response
 *   drop-after:<Operation|*>[:K]    next K calls are carried out, then the connection is destroyed (answer lost)
 *   hang:<Operation|*>[:K]          next K calls are never answered (until the client gives up or the emulator stops)
 *   upload-fail[:K]                 next K uploads → HTTP 500 S3 InternalError
 *   upload-stall[:K]                next K uploads → no response until the client gives up or the emulator stops
 *   job-fail-after:N                the next job to run ends Failed after N rows
 *   reject-rows:N                   the next N rows jobs reach (and would import) fail, as a row Cognito refuses
 *   active-job                      pretend another job is active in the account (until cleared)
 *   logs-role-unassumable[:ARN]     the logs role (or only this ARN) cannot be assumed: jobs fail as a whole
 *   list-users-lag:MS               ListUsers sees writes only MS ms (emulator clock) after they happen
 *   list-users-short-pages[:K]      the next K ListUsers pages mid-scan hold fewer than Limit users (some none)
 *   log-partial-pages[:K]           the next K GetLogEvents pages mid-stream are partial (some empty)
 *   log-ingestion-delay:MS          log events become readable MS ms (emulator clock) after they are written
 * An optional K of 0 means "every call until cleared"; the two page faults default to 0, the others to 1.
 * The lag, short pages, partial pages and ingestion delay are documented behaviours of AWS (ListUsers API
 * reference; CloudWatch Logs GetLogEvents reference); they are off by default so that a test opts in.
 */

export type CallFault = "throttle" | "error" | "drop" | "drop-after" | "hang";
export type UploadFault = "fail" | "stall";

export interface Faults {
  throttle(operation: string, count?: number): void;
  internalError(operation: string, count?: number): void;
  dropConnection(operation: string, count?: number): void;
  /** The next `count` calls are carried out (the service acts), then their connection is destroyed: the answer is lost. */
  dropAnswer(operation: string, count?: number): void;
  /** The next `count` calls are never answered (the service does nothing); their connection stays open. */
  hang(operation: string, count?: number): void;
  failUpload(count?: number): void;
  stallUpload(count?: number): void;
  failJobAfterRows(rows: number): void;
  /** The next `rows` rows that jobs would import fail instead ("[FAILED] … InternalErrorException"). */
  rejectRows(rows: number): void;
  setOtherJobActive(active: boolean): void;
  setLogsRoleUnassumable(active: boolean, roleArn?: string): void;
  /** ListUsers returns the pool as it was `ms` ago (emulator clock); AdminGetUser stays consistent. 0 = off. */
  setListUsersLag(ms: number): void;
  /** The next `count` ListUsers pages that are not the last are short: alternately empty and half full (0 = every page until cleared). */
  shortListUsersPages(count?: number): void;
  /**
   * The next `count` GetLogEvents pages that are not the end are partial: alternately empty and half full (0 = every
   * page until cleared).
   */
  partialLogPages(count?: number): void;
  /** Log events written from now on become readable `ms` after they are written (emulator clock). 0 = off. */
  setLogIngestionDelay(ms: number): void;
  /** Applies one SPEC string (the command-line syntax). Throws on a malformed spec. */
  apply(spec: string): void;
  clear(): void;
}

interface Counter {
  remaining: number;
}

/** The fault registry. `take*` methods are for the emulator's own modules; tests use the `Faults` interface. */
export class FaultRegistry implements Faults {
  private readonly calls = new Map<string, { kind: CallFault; counter: Counter }[]>();
  private readonly uploads: { kind: UploadFault; counter: Counter }[] = [];
  private jobFailAfter: number | undefined;
  private rowsToReject = 0;
  otherJobActive = false;
  private readonly unassumable = new Set<string>();
  private allRolesUnassumable = false;
  listUsersLagMs = 0;
  logIngestionDelayMs = 0;
  private readonly shortPages = { listUsers: { remaining: 0 }, logs: { remaining: 0 } };
  /** Alternates empty and half-full short pages. */
  private shortPageTurn = 0;

  private addCall(kind: CallFault, operation: string, count = 1): void {
    const list = this.calls.get(operation) ?? [];
    list.push({ kind, counter: { remaining: count === 0 ? Infinity : count } });
    this.calls.set(operation, list);
  }
  throttle(operation: string, count?: number): void {
    this.addCall("throttle", operation, count);
  }
  internalError(operation: string, count?: number): void {
    this.addCall("error", operation, count);
  }
  dropConnection(operation: string, count?: number): void {
    this.addCall("drop", operation, count);
  }
  dropAnswer(operation: string, count?: number): void {
    this.addCall("drop-after", operation, count);
  }
  hang(operation: string, count?: number): void {
    this.addCall("hang", operation, count);
  }
  failUpload(count = 1): void {
    this.uploads.push({ kind: "fail", counter: { remaining: count === 0 ? Infinity : count } });
  }
  stallUpload(count = 1): void {
    this.uploads.push({ kind: "stall", counter: { remaining: count === 0 ? Infinity : count } });
  }
  failJobAfterRows(rows: number): void {
    this.jobFailAfter = rows;
  }
  rejectRows(rows: number): void {
    this.rowsToReject = rows;
  }
  setOtherJobActive(active: boolean): void {
    this.otherJobActive = active;
  }
  setLogsRoleUnassumable(active: boolean, roleArn?: string): void {
    if (roleArn === undefined) {
      this.allRolesUnassumable = active;
      if (!active) this.unassumable.clear();
    } else if (active) this.unassumable.add(roleArn);
    else this.unassumable.delete(roleArn);
  }
  setListUsersLag(ms: number): void {
    this.listUsersLagMs = nonNegative(ms, "ListUsers lag");
  }
  shortListUsersPages(count = 0): void {
    this.shortPages.listUsers.remaining = count === 0 ? Infinity : count;
  }
  partialLogPages(count = 0): void {
    this.shortPages.logs.remaining = count === 0 ? Infinity : count;
  }
  setLogIngestionDelay(ms: number): void {
    this.logIngestionDelayMs = nonNegative(ms, "log ingestion delay");
  }
  clear(): void {
    this.listUsersLagMs = 0;
    this.logIngestionDelayMs = 0;
    this.shortPages.listUsers.remaining = 0;
    this.shortPages.logs.remaining = 0;
    this.calls.clear();
    this.uploads.length = 0;
    this.jobFailAfter = undefined;
    this.rowsToReject = 0;
    this.otherJobActive = false;
    this.unassumable.clear();
    this.allRolesUnassumable = false;
  }

  apply(spec: string): void {
    const parts = spec.split(":");
    const kind = parts[0];
    const count = (s: string | undefined, fallback: number): number => specCount(spec, s, fallback);
    switch (kind) {
      case "throttle":
      case "error":
      case "drop":
      case "drop-after":
      case "hang": {
        const op = parts[1];
        if (!op) throw new Error(`fault "${spec}": expected ${kind}:<Operation|*>[:K]`);
        this.addCall(kind, op, count(parts[2], 1));
        return;
      }
      case "upload-fail":
        this.failUpload(count(parts[1], 1));
        return;
      case "upload-stall":
        this.stallUpload(count(parts[1], 1));
        return;
      case "job-fail-after":
        if (parts[1] === undefined) throw new Error(`fault "${spec}": expected job-fail-after:N`);
        this.failJobAfterRows(count(parts[1], 0));
        return;
      case "reject-rows":
        if (parts[1] === undefined) throw new Error(`fault "${spec}": expected reject-rows:N`);
        this.rejectRows(count(parts[1], 0));
        return;
      case "active-job":
        this.setOtherJobActive(true);
        return;
      case "logs-role-unassumable": {
        const arn = parts.length > 1 ? parts.slice(1).join(":") : undefined;
        this.setLogsRoleUnassumable(true, arn);
        return;
      }
      case "list-users-lag":
      case "log-ingestion-delay": {
        if (parts[1] === undefined || parts.length > 2) throw new Error(`fault "${spec}": expected ${kind}:MS`);
        const ms = count(parts[1], 0);
        if (kind === "list-users-lag") this.setListUsersLag(ms);
        else this.setLogIngestionDelay(ms);
        return;
      }
      case "list-users-short-pages":
        this.shortListUsersPages(count(parts[1], 0));
        return;
      case "log-partial-pages":
        this.partialLogPages(count(parts[1], 0));
        return;
      default:
        throw new Error(`unknown fault "${spec}" (${FAULT_SPEC_FORMS})`);
    }
  }

  /** Consumes the next call fault for this operation, if any. */
  takeCallFault(operation: string): CallFault | undefined {
    for (const key of [operation, "*"]) {
      const list = this.calls.get(key);
      if (!list) continue;
      while (list.length > 0 && list[0].counter.remaining <= 0) list.shift();
      const f = list[0];
      if (f) {
        f.counter.remaining--;
        return f.kind;
      }
    }
    return undefined;
  }

  takeUploadFault(): UploadFault | undefined {
    while (this.uploads.length > 0 && this.uploads[0].counter.remaining <= 0) this.uploads.shift();
    const f = this.uploads[0];
    if (!f) return undefined;
    f.counter.remaining--;
    return f.kind;
  }

  /** Whether the row a job is about to import fails instead (consumes one of the rows to reject). */
  takeRowRejection(): boolean {
    if (this.rowsToReject <= 0) return false;
    this.rowsToReject--;
    return true;
  }

  /** The row count after which the next job fails; consumed by the job that takes it. */
  takeJobFailAfter(): number | undefined {
    const n = this.jobFailAfter;
    this.jobFailAfter = undefined;
    return n;
  }

  isRoleUnassumable(roleArn: string): boolean {
    return this.allRolesUnassumable || this.unassumable.has(roleArn);
  }

  /**
   * How many items a page that could hold `full` items (and is not the last) should hold: `full` when no short-page
   * fault is armed, else alternately 0 and half of `full` (at least 1, so a scan always progresses).
   */
  takeShortPage(which: "listUsers" | "logs", full: number): number {
    const f = this.shortPages[which];
    if (f.remaining <= 0 || full <= 0) return full;
    f.remaining--;
    this.shortPageTurn++;
    return this.shortPageTurn % 2 === 1 ? 0 : Math.max(1, Math.floor(full / 2));
  }
}

function nonNegative(ms: number, what: string): number {
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`${what} must be a number of milliseconds ≥ 0`);
  return ms;
}

/** The forms a fault spec takes, as the error for an unknown one lists them. */
const FAULT_SPEC_FORMS =
  "throttle|error|drop|drop-after|hang:<Operation>[:K], upload-fail[:K], upload-stall[:K], " +
  "job-fail-after:N, reject-rows:N, active-job, logs-role-unassumable[:ARN], list-users-lag:MS, " +
  "list-users-short-pages[:K], log-partial-pages[:K], log-ingestion-delay:MS";

/** A count in a fault spec: a whole number, or `fallback` when it is left out. */
function specCount(spec: string, s: string | undefined, fallback: number): number {
  if (s === undefined || s === "") return fallback;
  if (!/^\d+$/.test(s)) throw new Error(`fault "${spec}": "${s}" is not a whole number`);
  return Number(s);
}
