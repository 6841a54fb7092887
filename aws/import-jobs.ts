/**
 * Cognito user import jobs: a narrow adapter over GetCSVHeader, Create/Start/Describe/ListUserImportJobs and
 * the pre-signed upload. It performs single steps; the import runner decides order, waiting and recovery.
 */
import {
  type CognitoIdentityProviderClient,
  CreateUserImportJobCommand,
  DescribeUserImportJobCommand,
  GetCSVHeaderCommand,
  ListUserImportJobsCommand,
  StartUserImportJobCommand,
  type UserImportJobType,
} from "@aws-sdk/client-cognito-identity-provider";
import { LIST_PAGE_SIZE } from "../core/cognito-quotas";
import { neverRepeatUnanswered } from "./no-repeat";

export type ImportJobStatus = "Created" | "Pending" | "InProgress" | "Stopping" | "Stopped" | "Succeeded" | "Failed" | "Expired";

export interface ImportJob {
  jobId: string;
  jobName: string;
  status: ImportJobStatus;
  /** Never printed or logged: whoever holds it can upload users into the pool. */
  preSignedUrl?: string;
  createdAt?: Date;
  /** StartDate and CompletionDate (the service's clock): a user created between them was created by this job. */
  startedAt?: Date;
  completedAt?: Date;
  /** The service's time when it gave this answer (its Date header), if it said: job ages are judged on this clock. */
  serviceNow?: Date;
  imported: number;
  skipped: number;
  failed: number;
  completionMessage?: string;
}

export const ACTIVE_STATUSES: readonly ImportJobStatus[] = ["Pending", "InProgress", "Stopping"];
export const FINISHED_STATUSES: readonly ImportJobStatus[] = ["Stopped", "Succeeded", "Failed", "Expired"];

export async function getCsvHeader(cognito: CognitoIdentityProviderClient, userPoolId: string): Promise<string[]> {
  const out = await cognito.send(new GetCSVHeaderCommand({ UserPoolId: userPoolId }));
  return out.CSVHeader ?? [];
}

export async function createImportJob(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  jobName: string,
  logsRoleArn: string,
): Promise<ImportJob> {
  // Never repeated after a lost answer (aws/no-repeat.ts): the runner looks for the job the lost call created.
  const command = new CreateUserImportJobCommand({ UserPoolId: userPoolId, JobName: jobName, CloudWatchLogsRoleArn: logsRoleArn });
  const date = serviceDate(command);
  const out = await cognito.send(neverRepeatUnanswered(command, "CreateUserImportJob"));
  return toImportJob(out.UserImportJob, date());
}

export async function startImportJob(cognito: CognitoIdentityProviderClient, userPoolId: string, jobId: string): Promise<ImportJob> {
  // Never repeated after a lost answer (aws/no-repeat.ts): the runner asks the job whether it started.
  const command = new StartUserImportJobCommand({ UserPoolId: userPoolId, JobId: jobId });
  const date = serviceDate(command);
  const out = await cognito.send(neverRepeatUnanswered(command, "StartUserImportJob"));
  return toImportJob(out.UserImportJob, date());
}

export async function describeImportJob(cognito: CognitoIdentityProviderClient, userPoolId: string, jobId: string): Promise<ImportJob> {
  const command = new DescribeUserImportJobCommand({ UserPoolId: userPoolId, JobId: jobId });
  const date = serviceDate(command);
  const out = await cognito.send(command);
  return toImportJob(out.UserImportJob, date());
}

/**
 * The pool's jobs, newest first; `pages` bounds how far back to look (60 jobs a page). A loop of its own: the SDK
 * has no paginator for ListUserImportJobs (none in client-cognito-identity-provider's pagination/), and each page's
 * answer also gives the service's Date header (`serviceDate`).
 */
export async function listImportJobs(cognito: CognitoIdentityProviderClient, userPoolId: string, pages = 2): Promise<ImportJob[]> {
  const jobs: ImportJob[] = [];
  let token: string | undefined;
  for (let page = 0; page < pages; page++) {
    const command = new ListUserImportJobsCommand({ UserPoolId: userPoolId, MaxResults: LIST_PAGE_SIZE, PaginationToken: token });
    const date = serviceDate(command);
    const out = await cognito.send(command);
    jobs.push(...(out.UserImportJobs ?? []).map((job) => toImportJob(job, date())));
    token = out.PaginationToken;
    if (!token) break;
  }
  return jobs;
}

export class UploadError extends Error {
  readonly name = "UploadError";
  readonly kind = "aws";
  constructor(
    message: string,
    readonly httpStatus: number,
    /** S3's error code (e.g. AccessDenied for an expired URL, SignatureDoesNotMatch). */
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * PUT the CSV to the job's pre-signed URL. The SSE header is part of the URL's signature: without it S3 answers
 * 403. `timeoutMs` bounds the whole exchange: a stalled upload fails with UploadError code "Timeout" (status 0).
 */
export async function uploadCsv(preSignedUrl: string, csv: string, options: { timeoutMs?: number } = {}): Promise<void> {
  const abort = new AbortController();
  const timer = options.timeoutMs !== undefined ? setTimeout(() => abort.abort(), options.timeoutMs) : undefined;
  try {
    const response = await fetch(preSignedUrl, {
      method: "PUT",
      headers: { "x-amz-server-side-encryption": "aws:kms", "content-type": "text/csv" },
      body: csv,
      signal: abort.signal,
    });
    if (!response.ok) {
      const body = await response.text().catch(() => "");
      const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? `HTTP${response.status}`;
      throw new UploadError(`upload of the import CSV failed: HTTP ${response.status} ${code}`, response.status, code);
    }
  } catch (err) {
    if (abort.signal.aborted) {
      throw new UploadError(
        `upload of the import CSV stalled: no answer within ${Math.round((options.timeoutMs ?? 0) / 100) / 10} s`,
        0,
        "Timeout",
      );
    }
    if (err instanceof UploadError) throw err;
    // Network failure (reset, refused): no HTTP status. The message names the cause, never the URL.
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new UploadError(`upload of the import CSV failed: ${cause}`, 0, cause);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * Reads the answer's Date header (the service's time) for one command. Seconds only, so a job's age judged on it is
 * at most a second young — well inside the minute the runner keeps in hand on a 15-minute upload URL.
 */
function serviceDate(command: { middlewareStack: { add(m: unknown, o: object): void } }): () => Date | undefined {
  let seen: Date | undefined;
  const middleware =
    (next: (args: unknown) => Promise<{ response: unknown }>) =>
    async (args: unknown): Promise<{ response: unknown }> => {
      const out = await next(args);
      const header = (out.response as { headers?: Record<string, string | undefined> } | undefined)?.headers?.date;
      const date = header ? new Date(header) : undefined;
      if (date && !Number.isNaN(date.getTime())) seen = date;
      return out;
    };
  command.middlewareStack.add(middleware, { step: "deserialize", name: "cognitoRosterServiceDate" });
  return () => seen;
}

function toImportJob(job: UserImportJobType | undefined, serviceNow?: Date): ImportJob {
  return {
    jobId: job?.JobId ?? "",
    jobName: job?.JobName ?? "",
    status: (job?.Status ?? "Created") as ImportJobStatus,
    preSignedUrl: job?.PreSignedUrl,
    createdAt: job?.CreationDate,
    ...(job?.StartDate ? { startedAt: job.StartDate } : {}),
    ...(job?.CompletionDate ? { completedAt: job.CompletionDate } : {}),
    imported: job?.ImportedUsers ?? 0,
    skipped: job?.SkippedUsers ?? 0,
    failed: job?.FailedUsers ?? 0,
    completionMessage: job?.CompletionMessage,
    ...(serviceNow ? { serviceNow } : {}),
  };
}
