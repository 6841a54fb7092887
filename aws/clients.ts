/**
 * AWS SDK clients for the roster, built per run and destroyed after it (each set counts its own calls).
 *
 * The Region is always explicit — the profile's `aws:region` — and must be the one the pool id names
 * (`eu-west-2_…` ↔ `eu-west-2`): pools are regional, so a client signed for another Region would see another
 * (or no) pool. The SDK's default Region (AWS_REGION, ~/.aws/config) is never used. Credentials and endpoint come
 * from the environment (AWS_*, AWS_ENDPOINT_URL), as the SDK reads them — which is also how the local emulator
 * is reached — unless the caller names them (`endpoint`, `credentials`: a command that started the emulator itself).
 *
 * One retry policy for AWS calls: the SDK's adaptive retry strategy (bounded attempts, client-side rate limiting),
 * wrapped only to say what it waits for ("throttled by Cognito on ListUsers, retrying in 1.2 s") and to give up
 * sooner on an endpoint that cannot be reached at all (a wrong AWS_ENDPOINT_URL must not cost 17 silent seconds).
 * This module must not decide anything else: no planning, no waiting on jobs (engine/backoff.ts does that).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { checkRegion } from "../core/pool-region";
import { isAccountBusy } from "../core/retry-rules";
import { withoutUrlCredentials } from "../core/untrusted-text";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SNSClient } from "@aws-sdk/client-sns";
import { AdaptiveRetryStrategy, isClockSkewError, isThrottlingError, isTransientError } from "@smithy/core/retry";
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryBackoffStrategy, StandardRetryToken } from "@smithy/types";
import { noteAwsCall } from "./aws-failure";
import { errorName } from "./error-name";

/** Counts the AWS operations a run makes, by operation name (retries of one call count once). */
class CallCounter {
  private readonly counts: Record<string, number> = {};
  record(operation: string): void {
    this.counts[operation] = (this.counts[operation] ?? 0) + 1;
  }
  total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
  byOperation(): Record<string, number> {
    return { ...this.counts };
  }
}

export interface AwsClients {
  cognito: CognitoIdentityProviderClient;
  logs: CloudWatchLogsClient;
  /**
   * SES and SNS clients for the Region the pool sends email or SMS through (its EmailConfiguration's SES identity
   * and SmsConfiguration's SnsRegion may name another Region than the pool's): made on first use, one per Region.
   */
  ses(region: string): SESv2Client;
  sns(region: string): SNSClient;
  calls: CallCounter;
  destroy(): void;
}

/** Attempts per AWS call (first try included) for throttling and transient errors. */
const MAX_ATTEMPTS = 10;
/** Attempts per AWS call when the endpoint cannot be reached at all (refused, unknown host, no route). @internal */
export const MAX_CONNECTION_ATTEMPTS = 3;
/**
 * Bounds on one HTTP exchange: a black-holed endpoint fails after CONNECT_TIMEOUT_MS, not the OS's minutes, and an
 * answer that never comes fails the attempt after REQUEST_TIMEOUT_MS. In the locked @smithy/node-http-handler
 * (4.14) `requestTimeout` alone only logs a warning; `throwOnRequestTimeout` makes it fail the attempt (TimeoutError,
 * ETIMEDOUT), which the retry strategy then retries like any transient error — so one call waits at most
 * MAX_ATTEMPTS × (REQUEST_TIMEOUT_MS + the back-off, ≤ 20 s), never forever.
 */
const CONNECT_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 60_000;

/** Receives one line per retry the SDK is about to wait for; no personal data (operation and error names only). */
type RetryReporter = (message: string) => void;

export interface ClientOptions {
  calls?: CallCounter;
  /** Told about each retry before the SDK waits for it. */
  onRetry?: RetryReporter;
  /** Overrides MAX_ATTEMPTS (tests). */
  maxAttempts?: number;
  /** Overrides REQUEST_TIMEOUT_MS (tests). */
  requestTimeoutMs?: number;
  /** The endpoint to send to instead of AWS_ENDPOINT_URL or AWS's (the local emulator a command started). */
  endpoint?: string;
  /** Credentials instead of the SDK's search (placeholder keys for the local emulator, which accepts any signature). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * What a retry decision needs to know about the call it is for, kept with the set of clients it serves.
 */
interface CallScope {
  /** The operation (e.g. "ListUsers") a call is for, visible to the retry strategy of that call. */
  operation: AsyncLocalStorage<string>;
  /** The retry being decided, visible to the back-off calculator inside the SDK's strategy. */
  retry: AsyncLocalStorage<{ operation: string; errorInfo: RetryErrorInfo; attempt: number }>;
}

function newCallScope(): CallScope {
  return { operation: new AsyncLocalStorage(), retry: new AsyncLocalStorage() };
}

/**
 * Clients for the pool's Region. `userPoolId` is checked against `region` first (RosterConfigError otherwise).
 */
export function createAwsClients(region: string, userPoolId: string, options: ClientOptions = {}): AwsClients {
  checkRegion(region, userPoolId);
  const calls = options.calls ?? new CallCounter();
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  const scope = newCallScope();
  const config = {
    region,
    maxAttempts,
    retryStrategy: reportingRetryStrategy(maxAttempts, options.onRetry ?? (() => undefined), scope),
    requestHandler: {
      connectionTimeout: CONNECT_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  };
  const cognito = new CognitoIdentityProviderClient(config);
  const logs = new CloudWatchLogsClient(config);
  trackCalls(cognito, calls, scope);
  trackCalls(logs, calls, scope);
  const made: { destroy(): void }[] = [];
  const perRegion = <C extends SESv2Client | SNSClient>(make: (r: string) => C) => {
    const byRegion = new Map<string, C>();
    return (r: string): C => {
      let client = byRegion.get(r);
      if (!client) {
        client = make(r);
        trackCalls(client, calls, scope);
        byRegion.set(r, client);
        made.push(client);
      }
      return client;
    };
  };
  return {
    cognito,
    logs,
    ses: perRegion((r) => new SESv2Client({ ...config, region: r })),
    sns: perRegion((r) => new SNSClient({ ...config, region: r })),
    calls,
    destroy() {
      cognito.destroy();
      logs.destroy();
      for (const client of made) client.destroy();
    },
  };
}

/** Counts each call once and makes its operation name visible to the retry strategy for the call's duration. */
function trackCalls(
  client: CognitoIdentityProviderClient | CloudWatchLogsClient | SESv2Client | SNSClient,
  calls: CallCounter,
  scope: CallScope,
): void {
  const stack = client.middlewareStack as CognitoIdentityProviderClient["middlewareStack"];
  stack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? "unknown").replace(/Command$/, "");
      calls.record(operation);
      return scope.operation.run(operation, async () => {
        try {
          return await next(args);
        } catch (err) {
          noteAwsCall(err, operation, args.input);
          throw err;
        }
      });
    },
    { step: "initialize", name: "cognitoRosterCallTracker" },
  );
}

/**
 * The SDK's adaptive strategy, unchanged in what it decides, except that a connection that cannot be made at all
 * is tried MAX_CONNECTION_ATTEMPTS times, and that each wait is reported before it starts.
 */
function reportingRetryStrategy(maxAttempts: number, report: RetryReporter, scope: CallScope = newCallScope()): RetryStrategyV2 {
  const backoff = reportingBackoff(maxAttempts, report, scope);
  const inner = new AdaptiveRetryStrategy(maxAttempts, { maxAttempts, backoff });
  return {
    acquireInitialRetryToken: (scope: string) => inner.acquireInitialRetryToken(scope),
    recordSuccess: (token: StandardRetryToken) => inner.recordSuccess(token),
    async refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
      const attempt = token.getRetryCount() + 1;
      const operation = scope.operation.getStore() ?? "an AWS call";
      if (isUnreachable(errorInfo.error) && attempt >= MAX_CONNECTION_ATTEMPTS) {
        report(`${unreachableText(errorInfo.error)} on ${operation}: giving up after ${attempt} attempts`);
        throw new Error("no retry: endpoint unreachable"); // the SDK then throws the call's own error
      }
      if (isAccountBusy(operation, errorName(errorInfo.error))) throw new Error("no retry: the engine waits for the other job");
      if (isAnswerAfterSkewCorrection(errorInfo)) throw new Error("no retry: the service answered; only the clock offset changed");
      return (await scope.retry.run({ operation, errorInfo, attempt }, () =>
        inner.refreshRetryTokenForRetry(token, errorInfo),
      )) as StandardRetryToken;
    },
  } as RetryStrategyV2;
}

/**
 * The SDK classes any error as transient when its answer's Date header moved the client's clock offset
 * (`$metadata.clockSkewCorrected`) — and the locked SDK does not keep the corrected offset from one call to the next,
 * so with the local clock minutes off the service's, every answered error (UserNotFoundException for an absent
 * user, a log stream not there yet) was retried up to MAX_ATTEMPTS times, with real back-off. A retry helps only
 * when the request was refused for its signing time (the SDK's clock-skew codes) or the error is transient anyway;
 * any other answer is the service's answer, and final.
 */
function isAnswerAfterSkewCorrection(info: RetryErrorInfo): boolean {
  const error = info.error;
  if (!error || info.errorType !== "TRANSIENT" || error.$metadata?.clockSkewCorrected !== true || isClockSkewError(error)) return false;
  // The same error without the skew flag (its name, code and cause read through the prototype).
  const unflagged = Object.create(error, { $metadata: { value: { ...error.$metadata, clockSkewCorrected: undefined } } }) as typeof error;
  return !isTransientError(unflagged) && !isThrottlingError(unflagged);
}

/** The SDK's own back-off formula (full jitter, capped), reporting each delay it chooses. */
function reportingBackoff(maxAttempts: number, report: RetryReporter, scope: CallScope): StandardRetryBackoffStrategy {
  let base = 100;
  return {
    setDelayBase(delay: number) {
      base = delay;
    },
    computeNextBackoffDelay(retryAttempt: number): number {
      const delay = Math.floor(Math.random() * Math.min(base * 2 ** retryAttempt, 20_000));
      const retry = scope.retry.getStore();
      if (retry)
        report(
          `${retryReason(retry.errorInfo)} on ${retry.operation}, retrying in ${seconds(delay)} ` +
            `(attempt ${retry.attempt + 1} of ${maxAttempts})`,
        );
      return delay;
    },
  };
}

function retryReason(info: RetryErrorInfo): string {
  const error = info.error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (info.errorType === "THROTTLING") return `throttled by AWS (${error.name ?? "TooManyRequestsException"})`;
  if (isUnreachable(info.error)) return unreachableText(info.error);
  if ((info.error as { code?: string }).code === "ETIMEDOUT") return "no answer within the request timeout";
  const status = error.$metadata?.httpStatusCode;
  return `AWS answered ${error.name ?? "an error"}${status ? ` (HTTP ${status})` : ""}`;
}

/** Connection errors that mean the endpoint cannot be reached at all (a wrong AWS_ENDPOINT_URL, no network). */
const UNREACHABLE_CODES = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"];

/** The connection error's code, when the endpoint could not be reached at all; undefined otherwise. */
function unreachableCode(error: unknown): string | undefined {
  const e = error as { code?: string; name?: string; message?: string } | undefined;
  if (UNREACHABLE_CODES.includes(e?.code ?? "")) return e?.code;
  // The SDK may wrap an error from another realm in a plain Error whose message keeps the code.
  const inMessage = UNREACHABLE_CODES.find((code) => String(e?.message ?? "").includes(code));
  if (inMessage) return inMessage;
  if (e?.name === "TimeoutError" && /connect/i.test(String(e.message))) return "connection timeout";
  return undefined;
}

function isUnreachable(error: unknown): boolean {
  return unreachableCode(error) !== undefined;
}

function unreachableText(error: unknown): string {
  // The endpoint may carry credentials (https://user:secret@host): never printed.
  const endpoint = process.env.AWS_ENDPOINT_URL ? withoutUrlCredentials(process.env.AWS_ENDPOINT_URL) : undefined;
  return `cannot reach ${endpoint ? `the endpoint ${endpoint}` : "AWS"} (${unreachableCode(error) ?? "connection error"})`;
}

/** The endpoint could not be reached after MAX_CONNECTION_ATTEMPTS: one clear line instead of the socket error. */
class EndpointUnreachableError extends Error {
  readonly name = "EndpointUnreachableError";
  readonly kind = "transient";
}

/** `err` as an EndpointUnreachableError when it is a connection failure; unchanged otherwise. */
export function explainUnreachable(err: unknown): unknown {
  if (!isUnreachable(err)) return err;
  const where = process.env.AWS_ENDPOINT_URL ? "check AWS_ENDPOINT_URL" : "check the network and the Region";
  return new EndpointUnreachableError(`${unreachableText(err)} after ${MAX_CONNECTION_ATTEMPTS} attempts: ${where}`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
