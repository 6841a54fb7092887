/**
 * Runs Cognito user import jobs for the users a plan imports, and finds out what became of each of them.
 *
 * Per CSV part (≤ 500,000 users and ≤ 100 MB): create a job with a name derived from the part's content (so a
 * re-run after a crash finds and adopts its own unfinished job instead of creating another), upload with the SSE
 * header (bounded by a timeout proportional to the size; a lapsed or refused URL means a new job), start
 * (retrying "No csv file was uploaded" and waiting while another job in the account is active), poll with
 * back-off, then confirm every user: line numbers are only a hint, and a Failed job may still have imported some.
 *
 * Two runs at once (two CI runs, a laptop and CI) must never both import. The rule, written out in
 * docs/running-for-real.md. The engine lists the pool's jobs when it finds none active, just before planning: the
 * jobs it then knows. A job that appears later and is not this run's own is a newcomer — another run's. Before
 * creating its job and again just before starting it, a run lists the jobs and yields (ConcurrentImportError) when
 *  - another job is active in the pool, or a newcomer has been started (another run imported since this plan), or
 *  - a newcomer roster job (name prefix `cognito-roster-`) is Created, fresh, and older than this run's job: the
 *    older job goes first, whatever its content (same name or not; ties broken by job id, the same in every run).
 * Yielding starts nothing: this run's Created job is left to expire (Created jobs expire; they never become Failed)
 * and the engine waits for the other job, then plans again from the pool, so nothing is imported or counted twice.
 * Last, StartUserImportJob itself starts a Created job only once: a run whose start is refused because the job is no
 * longer Created (a crashed run's job adopted by two re-runs) yields too; whoever starts a job alone counts it.
 * Only jobs known before the plan (left by a crashed run) are adopted.
 *
 * Waits go through engine/backoff.ts on an injectable clock and say what they wait for. Nothing personal and no
 * pre-signed URL is ever put into progress messages.
 */
import { createHash } from "node:crypto";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { DeclaredUser } from "../core/declared-user";
import type { PoolUser } from "../core/pool-user";
import { splitImportCsv, COGNITO_IMPORT_LIMITS, type ImportCsvLimits, type ImportCsvPart } from "../core/import-csv";
import {
  ACTIVE_STATUSES,
  createImportJob,
  describeImportJob,
  FINISHED_STATUSES,
  type ImportJob,
  listImportJobs,
  startImportJob,
  uploadCsv,
  UploadError,
} from "../aws/import-jobs";
import { errorName } from "../aws/error-name";
import { unansweredErrorName } from "../aws/no-repeat";
import { confirmImport } from "./confirm-import";
import { ServiceClock } from "./service-clock";
import { pollDelayMs } from "../core/read-strategy";
import { byAge, startedElsewhere } from "../core/import-job-contention";
import { type Attempt, type Clock, done, formatDuration, notYet, retryWithBackoff, SYSTEM_CLOCK, type WaitTimeoutError } from "./backoff";

const JOB_NAME_PREFIX = "cognito-roster-";

/** A job is polled again after this fraction of the time it has been running (see jobPollMaxMs). @internal */
export const JOB_POLL_FRACTION = 0.3;

export interface ImportTiming {
  /** First and longest wait between checks while waiting for another job or a refused start. */
  pollMinMs: number;
  pollMaxMs: number;
  /**
   * Longest wait between DescribeUserImportJob polls of our own job. Polls follow core/read-strategy's
   * pollDelayMs (a fixed fraction of the job's age, from pollMinMs up to this), so a long job costs few calls:
   * about 26 polls for a 42-minute job, and a finished job is noticed at most 30 % of its running time late.
   */
  jobPollMaxMs: number;
  /** First wait before retrying a start the service refused for now. */
  retryMinMs: number;
  /** Give up waiting for another active job (ours or the account's) after this long. */
  maxWaitMs: number;
  /**
   * Stop waiting for this run's own job after this long (ImportJobTimeoutError: the job id and what to do). A
   * 500,000-row job takes about 42 minutes (BENCHMARKS.md), so a job past this is stuck or starved, not slow.
   */
  ownJobMaxWaitMs: number;
  /** A pre-signed URL is valid 15 minutes; adopt an unfinished job's URL only while it has this much left. */
  urlLifetimeMs: number;
  /** An upload gives up after max(uploadMinMs, size at uploadMinBytesPerSecond): a stalled PUT never waits 300 s. */
  uploadMinMs: number;
  uploadMinBytesPerSecond: number;
  /** Another run's Created job of other content counts as a live contender for this long after its creation. */
  contenderWindowMs: number;
  /** A slow job is reported at least this often even when its counters do not move. */
  reportEveryMs: number;
}

export const DEFAULT_IMPORT_TIMING: ImportTiming = {
  pollMinMs: 1_000,
  pollMaxMs: 15_000,
  jobPollMaxMs: 10 * 60_000,
  retryMinMs: 1_000,
  maxWaitMs: 60 * 60_000,
  ownJobMaxWaitMs: 4 * 60 * 60_000,
  urlLifetimeMs: 14 * 60_000,
  uploadMinMs: 30_000,
  uploadMinBytesPerSecond: 256 * 1024,
  contenderWindowMs: 2 * 60_000,
  reportEveryMs: 30_000,
};

/** Attempts at one upload (the same URL while it is valid, a new job's URL when it lapsed or was refused). */
const MAX_UPLOAD_ATTEMPTS = 4;
/** Retries of a start refused with "No csv file was uploaded" (the upload not visible yet). */
const MAX_NOT_UPLOADED_RETRIES = 6;

type ImportStep = "create" | "upload" | "start";

export interface ImportRunOptions {
  userPoolId: string;
  poolName: string;
  logsRoleArn: string;
  header: readonly string[];
  caseSensitive: boolean;
  /** The pool's UsernameAttributes: accounts are then named by their email or phone (core/sign-in-name.ts). */
  usernameAttributes?: readonly string[];
  timing?: Partial<ImportTiming>;
  limits?: ImportCsvLimits;
  progress?: (message: string) => void;
  /** Called after each step of a job; tests throw from it to simulate a crash at that point. */
  afterStep?: (step: ImportStep, job: ImportJob) => void;
  /** The clock every wait runs on (tests pass a fast one). */
  clock?: Clock;
  /**
   * Jobs this apply created, across its rounds: appended to by the runner. A job this apply left to expire when it
   * yielded is never taken for another run's.
   */
  ownJobIds?: string[];
  /** The pool's jobs listed just before the plan (waitForActiveImports); the first list of the run otherwise. */
  knownJobIds?: readonly string[];
  /** Called once before a job is started, with the users it may create: the sign-in codes they may be owed are written ahead. */
  beforeStart?: (job: ImportJob, users: readonly DeclaredUser[]) => void;
  /** Called when this run yields a job it called beforeStart for without starting it. */
  notStarted?: (job: ImportJob) => void;
}

interface FailedImport {
  user: DeclaredUser;
  reason: string;
}

export interface JobSummary {
  jobId: string;
  jobName: string;
  status: string;
  users: number;
  imported: number;
  skipped: number;
  failed: number;
  completionMessage?: string;
}

export interface ImportOutcome {
  /** Users now in the pool, with the pool's copy. */
  present: { user: DeclaredUser; pool: PoolUser; byThisJob: boolean }[];
  /** Users the pool still lacks, with the reason from the job's log (or the job's completion message). */
  failed: FailedImport[];
  jobs: JobSummary[];
}

/**
 * Another run is importing into this pool (or is about to): this run started nothing and must plan again once
 * that job has finished. Checked by `name`.
 */
class ConcurrentImportError extends Error {
  readonly name = "ConcurrentImportError";
  readonly kind = "transient";
  constructor(
    message: string,
    /** The other run's job. */
    readonly jobId: string,
  ) {
    super(message);
  }
}

export async function runImports(
  cognito: CognitoIdentityProviderClient,
  logs: CloudWatchLogsClient,
  users: readonly DeclaredUser[],
  options: ImportRunOptions,
): Promise<ImportOutcome> {
  const outcome: ImportOutcome = { present: [], failed: [], jobs: [] };
  if (users.length === 0) return outcome;
  const timing = { ...DEFAULT_IMPORT_TIMING, ...options.timing };
  const say = options.progress ?? (() => undefined);
  const parts = splitImportCsv(users, options.header, options.limits ?? COGNITO_IMPORT_LIMITS);

  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const label = `import ${i + 1}/${parts.length} (${part.users.length} users)`;
    const jobName = importJobName(part, i, parts.length);
    const finished = await runOneJob(cognito, part, jobName, label, options, timing, say);
    outcome.jobs.push({ ...summarise(finished), users: part.users.length });
    say(
      `${label}: job ${finished.jobId} ${finished.status}: ${finished.imported} imported, ${finished.skipped} skipped, ${finished.failed} failed`,
    );

    // Counters first, then log lines, then consistent point reads for rows in doubt (engine/confirm-import).
    const clock = options.clock;
    const confirmed = await confirmImport(cognito, logs, {
      userPoolId: options.userPoolId,
      poolName: options.poolName,
      caseSensitive: options.caseSensitive,
      ...(options.usernameAttributes ? { usernameAttributes: options.usernameAttributes } : {}),
      users: part.users,
      job: finished,
      progress: say,
      clock,
    });
    for (const entry of confirmed.present) outcome.present.push(entry);
    for (const entry of confirmed.failed) outcome.failed.push(entry);
  }
  return outcome;
}

/**
 * Waits until none of the pool's import jobs is active: an unfinished run must end before a new plan. Returns the
 * jobs it saw then (newest first): the jobs known before the plan.
 */
export async function waitForActiveImports(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  options: { timing?: Partial<ImportTiming>; progress?: (message: string) => void; clock?: Clock },
): Promise<ImportJob[]> {
  const timing = { ...DEFAULT_IMPORT_TIMING, ...options.timing };
  return waitOrExplain(
    { firstMs: timing.pollMinMs, maxMs: timing.pollMaxMs, factor: 1.5, limitMs: timing.maxWaitMs },
    async () => {
      const jobs = await listImportJobs(cognito, userPoolId, 1);
      const active = jobs.find((j) => ACTIVE_STATUSES.includes(j.status));
      return active
        ? notYet(`waiting for import job ${active.jobId} (${active.status}${ownedBy(active)}) to finish before planning`)
        : done(jobs);
    },
    options,
  );
}

/**
 * Waits until another run's job no longer stands in the way: finished, or still Created and older than the
 * contender window (abandoned by a run that crashed; it will expire on its own).
 */
export async function waitForOtherRun(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  jobId: string,
  options: { timing?: Partial<ImportTiming>; progress?: (message: string) => void; clock?: Clock },
): Promise<void> {
  const timing = { ...DEFAULT_IMPORT_TIMING, ...options.timing };
  const service = new ServiceClock(options.clock ?? SYSTEM_CLOCK);
  await waitOrExplain(
    { firstMs: timing.pollMinMs, maxMs: timing.pollMaxMs, factor: 1.5, limitMs: timing.maxWaitMs },
    async () => {
      const job = await describeImportJob(cognito, userPoolId, jobId);
      service.observe(job);
      if (FINISHED_STATUSES.includes(job.status)) return done(undefined);
      if (job.status === "Created" && !service.isRecent(job, timing.contenderWindowMs)) return done(undefined);
      return notYet(
        `waiting for import job ${job.jobId} of another run (${job.status}, ${processed(job)} rows processed) before planning again`,
      );
    },
    options,
  );
}

/** A name Cognito accepts ([\w\s+=,.@-]+, ≤ 128) that identifies the part's content. */
function importJobName(part: ImportCsvPart, index: number, count: number): string {
  const digest = createHash("sha256").update(part.csv).digest("hex").slice(0, 16);
  return `${JOB_NAME_PREFIX}${digest}-part${index + 1}of${count}`;
}

/** Everything one job's steps need. */
interface JobContext {
  cognito: CognitoIdentityProviderClient;
  options: ImportRunOptions;
  timing: ImportTiming;
  clock: Clock;
  label: string;
  say: (message: string) => void;
  /** Job ids listed before the plan: not another live run's. */
  known: readonly string[];
  /** "Now" on the service's clock, for job ages (engine/service-clock.ts). */
  service: ServiceClock;
}

async function runOneJob(
  cognito: CognitoIdentityProviderClient,
  part: ImportCsvPart,
  jobName: string,
  label: string,
  options: ImportRunOptions,
  timing: ImportTiming,
  say: (message: string) => void,
): Promise<ImportJob> {
  const jobs = await listImportJobs(cognito, options.userPoolId, 1);
  const known = options.knownJobIds ?? jobs.map((j) => j.jobId);
  const clock = options.clock ?? SYSTEM_CLOCK;
  const service = new ServiceClock(clock);
  service.observe(jobs[0]);
  const ctx: JobContext = { cognito, options, timing, clock, label, say, known, service };
  yieldToOtherRuns(jobs, undefined, ctx);
  let job = await adoptOrCreate(jobs, jobName, ctx);
  job = await uploadWithRetry(part, job, ctx);
  options.afterStep?.("upload", job);
  options.beforeStart?.(job, part.users);
  try {
    job = await startOrYield(job, ctx);
  } catch (err) {
    // Yielding: this run did not start the job (another run did, or will plan again), so it creates nobody for us.
    if (errorName(err) === "ConcurrentImportError") options.notStarted?.(job);
    throw err;
  }
  options.afterStep?.("start", job);
  return pollUntilFinished(job, ctx);
}

/**
 * Our job for this content: the oldest fresh Created job of the same name that was there before the plan (left by
 * a run that crashed after creating or uploading) or that this apply created, or a new one.
 */
async function adoptOrCreate(jobs: readonly ImportJob[], jobName: string, ctx: JobContext): Promise<ImportJob> {
  const { options, say, label } = ctx;
  const own = options.ownJobIds ?? [];
  const existing = jobs
    .filter((j) => j.jobName === jobName && j.status === "Created" && ctx.service.isRecent(j, ctx.timing.urlLifetimeMs))
    .filter((j) => ctx.known.includes(j.jobId) || own.includes(j.jobId))
    .sort(byAge)[0];
  if (existing) {
    say(`${label}: adopting job ${existing.jobId}, created by an earlier run and not started`);
    return existing;
  }
  const created = await createOwnJob(jobName, ctx);
  say(`${label}: created job ${created.jobId}`);
  options.afterStep?.("create", created);
  return created;
}

/**
 * CreateUserImportJob, recorded as this run's own. When its answer is lost (aws/no-repeat.ts: never repeated), the
 * job it may have created is looked for: a Created job of this name that was not there before the plan and is not
 * already ours is taken as this run's (a lost answer must not make a run yield to its own job); none means the
 * call did nothing, and it is made once more.
 */
async function createOwnJob(jobName: string, ctx: JobContext): Promise<ImportJob> {
  const { cognito, options, say, label } = ctx;
  const own = options.ownJobIds ?? [];
  let job: ImportJob | undefined;
  try {
    job = await createImportJob(cognito, options.userPoolId, jobName, options.logsRoleArn);
  } catch (err) {
    const lost = unansweredErrorName(err);
    if (lost === undefined) throw err;
    const jobs = await listImportJobs(cognito, options.userPoolId, 1);
    ctx.service.observe(jobs[0]);
    job = jobs.find((j) => j.jobName === jobName && j.status === "Created" && !ctx.known.includes(j.jobId) && !own.includes(j.jobId));
    say(
      job
        ? `${label}: the answer to CreateUserImportJob was lost (${lost}); job ${job.jobId} of this run's name appeared since the plan: taking it as this run's`
        : `${label}: the answer to CreateUserImportJob was lost (${lost}) and no job was created; creating it again`,
    );
    job ??= await createImportJob(cognito, options.userPoolId, jobName, options.logsRoleArn);
  }
  ctx.service.observe(job, true);
  options.ownJobIds?.push(job.jobId);
  return job;
}

/**
 * Uploads the part, bounded by a timeout proportional to its size. A timeout or a server error is retried with
 * the same URL while it has time left; a refused (403) or lapsed URL needs a new job — unless the job was started
 * meanwhile by another run, which then owns the import.
 */
async function uploadWithRetry(part: ImportCsvPart, job: ImportJob, ctx: JobContext): Promise<ImportJob> {
  const { timing, clock, say, label, service } = ctx;
  const timeoutMs = Math.max(timing.uploadMinMs, Math.ceil((part.bytes / timing.uploadMinBytesPerSecond) * 1000));
  let current = job;
  let lastError: unknown;
  const uploadOnce = async (attempt: number): Promise<Attempt<ImportJob>> => {
    try {
      if (!current.preSignedUrl || !service.isRecent(current, timing.urlLifetimeMs - timeoutMs)) {
        throw new UploadError(`the upload URL of job ${current.jobId} has lapsed or is missing`, 403, "UrlLapsed");
      }
      say(`${label}: uploading ${kib(part.bytes)} to job ${current.jobId} (gives up after ${formatDuration(timeoutMs)})`);
      await uploadCsv(current.preSignedUrl, part.csv, { timeoutMs });
      say(`${label}: uploaded ${kib(part.bytes)} to job ${current.jobId}`);
      return done(current);
    } catch (err) {
      const status = errorName(err) === "UploadError" ? (err as UploadError).httpStatus : 0;
      if (status >= 400 && status < 500 && status !== 403) throw err;
      lastError = err;
      const reason = err instanceof Error ? err.message : String(err);
      if (status !== 403) return notYet(`${label}: ${reason}; retrying the upload (attempt ${attempt + 1} of ${MAX_UPLOAD_ATTEMPTS})`);
      current = await renewJob(current, reason, ctx);
      return notYet(`${label}: uploading to job ${current.jobId} instead`, true);
    }
  };
  const policy = {
    firstMs: timing.retryMinMs,
    maxMs: timing.retryMinMs * 2 ** (MAX_UPLOAD_ATTEMPTS - 2),
    factor: 2,
    maxAttempts: MAX_UPLOAD_ATTEMPTS,
  };
  try {
    return await retryWithBackoff(policy, uploadOnce, { clock, progress: say });
  } catch (err) {
    // Out of attempts: the last upload's own error says more than "gave up".
    throw errorName(err) === "WaitTimeoutError" ? lastError : err;
  }
}

/** A new job for a fresh upload URL — unless another run started this one meanwhile (then we yield). */
async function renewJob(job: ImportJob, reason: string, ctx: JobContext): Promise<ImportJob> {
  const { cognito, options, say, label } = ctx;
  const now = await describeImportJob(cognito, options.userPoolId, job.jobId);
  // An Expired job was never started (cognito-import.md §3): nobody else has it, and a fresh job is what it needs.
  if (now.status !== "Created" && now.status !== "Expired") throw new ConcurrentImportError(startedElsewhere(job, now), job.jobId);
  const renewed = await createOwnJob(job.jobName, ctx);
  say(`${label}: ${reason}; created job ${renewed.jobId} for a fresh upload URL (job ${job.jobId} is left to expire)`);
  return renewed;
}

/**
 * Starts the job unless another run goes first. StartUserImportJob succeeds once per job: a refusal because the
 * job is no longer Created means another run started it, and that run alone counts its results.
 */
async function startOrYield(job: ImportJob, ctx: JobContext): Promise<ImportJob> {
  const { cognito, options, timing, label, say } = ctx;
  let notUploaded = 0;
  return waitOrExplain(
    { firstMs: timing.retryMinMs, maxMs: timing.pollMaxMs, factor: 2, limitMs: timing.maxWaitMs },
    async (): Promise<Attempt<ImportJob>> => {
      const jobs = await listImportJobs(cognito, options.userPoolId, 1);
      ctx.service.observe(jobs[0]);
      yieldToOtherRuns(jobs, job, ctx);
      try {
        const started = await startImportJob(cognito, options.userPoolId, job.jobId);
        say(`${label}: started job ${started.jobId}`);
        return done(started);
      } catch (err) {
        const name = errorName(err);
        if (name === "LimitExceededException")
          return notYet(`${label}: another import job is active in the account; waiting to start job ${job.jobId}`);
        // The service does not document the error for starting a job that is no longer Created: ask the job.
        const now = await describeImportJob(cognito, options.userPoolId, job.jobId);
        const lost = unansweredErrorName(err);
        if (lost !== undefined && now.status !== "Created") {
          // Our own start went through and its answer was lost (it is never repeated: aws/no-repeat.ts).
          say(`${label}: the answer to StartUserImportJob was lost (${lost}); job ${job.jobId} is ${now.status}: started by this run`);
          return done(now);
        }
        if (lost !== undefined)
          return notYet(`${label}: the answer to StartUserImportJob was lost (${lost}); job ${job.jobId} did not start; starting it again`);
        if (now.status !== "Created") throw new ConcurrentImportError(startedElsewhere(job, now), job.jobId);
        if (name !== "PreconditionNotMetException" || ++notUploaded > MAX_NOT_UPLOADED_RETRIES) throw err;
        return notYet(`${label}: the upload to job ${job.jobId} is not visible yet`);
      }
    },
    ctx,
  );
}

/**
 * Throws ConcurrentImportError when another run goes first (see the header): another job active in the pool, a
 * newcomer started since the plan, or a fresh newcomer roster job Created before ours (before now, when we have none).
 */
function yieldToOtherRuns(jobs: readonly ImportJob[], ours: ImportJob | undefined, ctx: JobContext): void {
  const own = ctx.options.ownJobIds ?? [];
  const others = jobs.filter((j) => j.jobId !== ours?.jobId && !own.includes(j.jobId));
  const active = others.find((j) => ACTIVE_STATUSES.includes(j.status));
  if (active) {
    throw new ConcurrentImportError(
      `import job ${active.jobId}${ownedBy(active)} is ${active.status} in this pool; this run imports nothing and plans again once it has finished`,
      active.jobId,
    );
  }
  const newcomers = others.filter((j) => !ctx.known.includes(j.jobId));
  const started = newcomers.find((j) => j.status !== "Created" && j.status !== "Expired");
  if (started) {
    throw new ConcurrentImportError(
      `import job ${started.jobId}${ownedBy(started)} ran in this pool since this plan was made (${started.status}); this run imports nothing and plans again`,
      started.jobId,
    );
  }
  const older = newcomers
    .filter((j) => j.jobName.startsWith(JOB_NAME_PREFIX) && j.status === "Created" && ctx.service.isRecent(j, ctx.timing.contenderWindowMs))
    .filter((j) => ours === undefined || byAge(j, ours) < 0)
    .sort(byAge)[0];
  if (older) {
    throw new ConcurrentImportError(
      `another roster run created job ${older.jobId} first; this run imports nothing and plans again once it has finished`,
      older.jobId,
    );
  }
}

/**
 * This run's own job did not finish within ownJobMaxWaitMs. The job goes on in Cognito: the message says which,
 * how far it got, and what to do. Checked by `name`.
 */
class ImportJobTimeoutError extends Error {
  readonly name = "ImportJobTimeoutError";
  readonly kind = "transient";
}

async function pollUntilFinished(job: ImportJob, ctx: JobContext): Promise<ImportJob> {
  const { label, options } = ctx;
  let current = job;
  try {
    return await pollJob(job, ctx, (seen) => {
      current = seen;
    });
  } catch (err) {
    if (errorName(err) !== "WaitTimeoutError") throw err;
    const waited = formatDuration((err as WaitTimeoutError).waitedMs);
    throw new ImportJobTimeoutError(
      `${label}: import job ${current.jobId} is still ${current.status} after ${waited} (${processed(current)} of its rows processed); ` +
        "this run stops waiting and changes nothing more. The job goes on in Cognito: the next `cognito-roster apply` waits for it, " +
        "confirms its users and sends the sign-in codes it owes; to stop it instead: aws cognito-idp stop-user-import-job " +
        `--user-pool-id ${options.userPoolId} --job-id ${current.jobId}`,
    );
  }
}

async function pollJob(job: ImportJob, ctx: JobContext, seen: (job: ImportJob) => void): Promise<ImportJob> {
  const { cognito, options, timing, clock, label } = ctx;
  let lastReport = "";
  let lastReportAt = clock.now();
  let current = job;
  const limit = formatDuration(timing.ownJobMaxWaitMs);
  return waitOrExplain(
    {
      firstMs: timing.pollMinMs,
      maxMs: timing.jobPollMaxMs,
      factor: 1.5,
      limitMs: timing.ownJobMaxWaitMs,
      delayFor: (waitedMs) =>
        pollDelayMs(waitedMs, { pollMinMs: timing.pollMinMs, elapsedFraction: JOB_POLL_FRACTION, pollCeilingMs: timing.jobPollMaxMs }),
    },
    async (n) => {
      if (n > 1) current = await describeImportJob(cognito, options.userPoolId, job.jobId);
      seen(current);
      if (FINISHED_STATUSES.includes(current.status)) return done(current);
      const report = `${current.status} ${processed(current)}`;
      const quiet = report === lastReport && clock.now() - lastReportAt < timing.reportEveryMs;
      if (!quiet) {
        lastReport = report;
        lastReportAt = clock.now();
      }
      return notYet(
        `${label}: waiting for job ${current.jobId} (at most ${limit}): ${current.status}, ${current.imported} imported, ${current.skipped} skipped, ${current.failed} failed so far`,
        quiet,
      );
    },
    ctx,
  );
}

/** retryWithBackoff whose timeout says what was waited for, as an ImportJobError-free plain message. */
function waitOrExplain<T>(
  policy: Parameters<typeof retryWithBackoff>[0],
  attempt: (n: number) => Promise<Attempt<T>>,
  options: { progress?: (message: string) => void; say?: (message: string) => void; clock?: Clock },
): Promise<T> {
  return retryWithBackoff(policy, attempt, { clock: options.clock, progress: options.progress ?? options.say });
}

function ownedBy(job: ImportJob): string {
  return job.jobName.startsWith(JOB_NAME_PREFIX) ? ", a roster job" : ", not a roster job";
}

function processed(job: ImportJob): number {
  return job.imported + job.skipped + job.failed;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function summarise(job: ImportJob): Omit<JobSummary, "users"> {
  return {
    jobId: job.jobId,
    jobName: job.jobName,
    status: job.status,
    imported: job.imported,
    skipped: job.skipped,
    failed: job.failed,
    completionMessage: job.completionMessage,
  };
}
