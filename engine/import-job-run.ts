/**
 * One import job's life, for one CSV part (engine/import-runner.ts has the rule for two runs at once): list the
 * pool's jobs and yield to another run's, adopt this run's unfinished job or create one, upload (bounded, on a new
 * job when the URL lapsed or was refused), start unless another run goes first, and poll until it finishes.
 */
import type { ImportCsvPart } from "../core/import-csv";
import { byAge, isRosterJob, ownedBy, startedElsewhere } from "../core/import-job-contention";
import { pollDelayMs } from "../core/read-strategy";
import { ACTIVE_STATUSES, FINISHED_STATUSES, type ImportJob, UploadError } from "../aws/import-jobs";
import { errorName } from "../aws/error-name";
import { unansweredErrorName } from "../aws/no-repeat";
import type { ImportJobsPort } from "../aws/ports";
import { type Attempt, type Clock, done, notYet, retryWithBackoff, SYSTEM_CLOCK, type WaitTimeoutError } from "./backoff";
import { formatDuration } from "../core/durations";
import { type ImportRunOptions, type ImportTiming, JOB_POLL_FRACTION } from "./import-run-options";
import { processed, waitOrExplain } from "./import-waits";
import { ServiceClock } from "./service-clock";

/** Attempts at one upload (the same URL while it is valid, a new job's URL when it lapsed or was refused). */
const MAX_UPLOAD_ATTEMPTS = 4;
/** Retries of a start refused with "No csv file was uploaded" (the upload not visible yet). */
const MAX_NOT_UPLOADED_RETRIES = 6;

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

/** Everything one job's steps need. */
interface JobContext {
  importJobs: ImportJobsPort;
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

export async function runOneJob(
  importJobs: ImportJobsPort,
  part: ImportCsvPart,
  jobName: string,
  label: string,
  options: ImportRunOptions,
  timing: ImportTiming,
  say: (message: string) => void,
): Promise<ImportJob> {
  const jobs = await importJobs.listImportJobs(1);
  const known = options.knownJobIds ?? jobs.map((j) => j.jobId);
  const clock = options.clock ?? SYSTEM_CLOCK;
  const service = new ServiceClock(clock);
  service.observe(jobs[0]);
  const ctx: JobContext = { importJobs, options, timing, clock, label, say, known, service };
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
  const { importJobs, options, say, label } = ctx;
  const own = options.ownJobIds ?? [];
  let job: ImportJob | undefined;
  try {
    job = await importJobs.createImportJob(jobName, options.logsRoleArn);
  } catch (err) {
    const lost = unansweredErrorName(err);
    if (lost === undefined) throw err;
    const jobs = await importJobs.listImportJobs(1);
    ctx.service.observe(jobs[0]);
    job = jobs.find((j) => j.jobName === jobName && j.status === "Created" && !ctx.known.includes(j.jobId) && !own.includes(j.jobId));
    say(
      job
        ? `${label}: the answer to CreateUserImportJob was lost (${lost}); ` +
            `job ${job.jobId} of this run's name appeared since the plan: taking it as this run's`
        : `${label}: the answer to CreateUserImportJob was lost (${lost}) and no job was created; creating it again`,
    );
    job ??= await importJobs.createImportJob(jobName, options.logsRoleArn);
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
      await ctx.importJobs.uploadCsv(current.preSignedUrl, part.csv, { timeoutMs });
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
  const { importJobs, say, label } = ctx;
  const now = await importJobs.describeImportJob(job.jobId);
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
  const { importJobs, timing, label, say } = ctx;
  let notUploaded = 0;
  return waitOrExplain(
    { firstMs: timing.retryMinMs, maxMs: timing.pollMaxMs, factor: 2, limitMs: timing.maxWaitMs },
    async (): Promise<Attempt<ImportJob>> => {
      const jobs = await importJobs.listImportJobs(1);
      ctx.service.observe(jobs[0]);
      yieldToOtherRuns(jobs, job, ctx);
      try {
        const started = await importJobs.startImportJob(job.jobId);
        say(`${label}: started job ${started.jobId}`);
        return done(started);
      } catch (err) {
        const name = errorName(err);
        if (name === "LimitExceededException")
          return notYet(`${label}: another import job is active in the account; waiting to start job ${job.jobId}`);
        // The service does not document the error for starting a job that is no longer Created: ask the job.
        const now = await importJobs.describeImportJob(job.jobId);
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
      `import job ${active.jobId}${ownedBy(active)} is ${active.status} in this pool; ` +
        "this run imports nothing and plans again once it has finished",
      active.jobId,
    );
  }
  const newcomers = others.filter((j) => !ctx.known.includes(j.jobId));
  const started = newcomers.find((j) => j.status !== "Created" && j.status !== "Expired");
  if (started) {
    throw new ConcurrentImportError(
      `import job ${started.jobId}${ownedBy(started)} ran in this pool since this plan was made (${started.status}); ` +
        "this run imports nothing and plans again",
      started.jobId,
    );
  }
  const older = newcomers
    .filter((j) => isRosterJob(j) && j.status === "Created" && ctx.service.isRecent(j, ctx.timing.contenderWindowMs))
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
  const { importJobs, timing, clock, label } = ctx;
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
      if (n > 1) current = await importJobs.describeImportJob(job.jobId);
      seen(current);
      if (FINISHED_STATUSES.includes(current.status)) return done(current);
      const report = `${current.status} ${processed(current)}`;
      const quiet = report === lastReport && clock.now() - lastReportAt < timing.reportEveryMs;
      if (!quiet) {
        lastReport = report;
        lastReportAt = clock.now();
      }
      return notYet(
        `${label}: waiting for job ${current.jobId} (at most ${limit}): ${current.status}, ` +
          `${current.imported} imported, ${current.skipped} skipped, ${current.failed} failed so far`,
        quiet,
      );
    },
    ctx,
  );
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
