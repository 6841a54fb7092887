/**
 * The one HTTP listener: routes `X-Amz-Target: AWSCognitoIdentityProviderService.*` and `Logs_20140328.*`
 * (AWS JSON 1.1) to their handlers, PUTs under the upload prefix to `uploads.ts`, and SES's `GET /v2/email/account`
 * and SNS's form POSTs to `messaging.ts`. Applies, in order:
 * call counting, faults, quotas, then the handler; writes `x-amzn-requestid`, and on errors
 * `x-amzn-errortype: <Code>:` with `{"__type","message"}` (500 for InternalErrorException).
 */
import { handleOutbox, OUTBOX_PATH } from "./outbox";
import type { SentCode } from "./emulator-state";
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { ServiceError, internalError, isServiceError, rateExceeded } from "./errors";
import { cognitoHandler, type CognitoContext } from "./cognito-operations";
import type { FaultRegistry } from "./faults";
import { describeLogStreams, filterLogEvents, getLogEvents } from "./logs";
import type { QuotaTracker } from "./quotas";
import { UPLOAD_PREFIX, handleUpload, type UploadHooks } from "./uploads";
import { handleMessaging, isMessagingRequest, type MessagingRegistry } from "./messaging";

const COGNITO_PREFIX = "AWSCognitoIdentityProviderService.";
const LOGS_PREFIX = "Logs_20140328.";
/** JSON request bodies are small; anything bigger is refused rather than buffered. */
const MAX_JSON_BODY = 1024 * 1024;

export interface RouterDeps {
  context(region: string, regionNamed: boolean): CognitoContext;
  faults: FaultRegistry;
  quotas: QuotaTracker;
  count(operation: string): void;
  uploads: UploadHooks;
  accountId: string;
  /** Messages "sent" so far (emulator/outbox.ts). */
  outbox(): readonly SentCode[];
  /** SES's and SNS's messaging capacity, per Region (emulator/messaging.ts). */
  messaging: MessagingRegistry;
}

/**
 * The Region the request is for: the SigV4 credential scope (`Credential=AKID/date/REGION/service/aws4_request`),
 * else a regional host name (`cognito-idp.REGION.amazonaws.com`), else us-east-1. Everything the emulator holds is
 * scoped by it.
 */
function regionOf(req: IncomingMessage): string {
  return namedRegion(req) ?? "us-east-1";
}

function namedRegion(req: IncomingMessage): string | undefined {
  const m = /Credential=[^/]+\/\d+\/([a-z0-9-]+)\//.exec(String(req.headers.authorization ?? ""));
  if (m) return m[1];
  const host = /^(?:cognito-idp|logs)\.([a-z0-9-]+)\.amazonaws\.com(?::\d+)?$/.exec(String(req.headers.host ?? ""));
  return host ? host[1] : undefined;
}

function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/x-amz-json-1.1",
    "Content-Length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
    ...extra,
  });
  res.end(text);
}

function sendError(res: ServerResponse, e: ServiceError): void {
  send(res, e.status, { __type: e.code, message: e.message }, { "x-amzn-errortype": `${e.code}:` });
}

export function createRequestListener(deps: RouterDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === OUTBOX_PATH) {
      handleOutbox(req, res, url, deps.outbox());
      return;
    }
    if (url.pathname.startsWith(UPLOAD_PREFIX)) {
      deps.count("PreSignedUpload");
      handleUpload(req, res, url, deps.uploads);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_JSON_BODY) tooBig = true;
      else chunks.push(c);
    });
    req.on("end", () => {
      if (tooBig) return sendError(res, new ServiceError("SerializationException", "Request body too large"));
      if (!req.headers["x-amz-target"] && isMessagingRequest(req))
        return handleMessaging(req, res, Buffer.concat(chunks).toString("utf8"), deps.messaging.of(regionOf(req)), deps.count);
      dispatch(deps, req, res, Buffer.concat(chunks).toString("utf8"));
    });
  };
}

function dispatch(deps: RouterDeps, req: IncomingMessage, res: ServerResponse, body: string): void {
  const target = String(req.headers["x-amz-target"] ?? "");
  let service: "cognito" | "logs" | undefined;
  let operation = "";
  if (target.startsWith(COGNITO_PREFIX)) {
    service = "cognito";
    operation = target.slice(COGNITO_PREFIX.length);
  } else if (target.startsWith(LOGS_PREFIX)) {
    service = "logs";
    operation = target.slice(LOGS_PREFIX.length);
  }
  const region = regionOf(req);
  const ctx = deps.context(region, namedRegion(req) !== undefined);
  // The service's time, as AWS answers carry it (the emulator's clock, which tests may move or skew).
  res.setHeader("Date", new Date(ctx.clock()).toUTCString());
  const logsRead = { region, now: ctx.clock(), pageSize: (full: number) => deps.faults.takeShortPage("logs", full) };
  const logsHandlers: Record<string, (input: Record<string, unknown>) => unknown> = {
    DescribeLogStreams: (input) => describeLogStreams(ctx.state.logs, input, deps.accountId, logsRead),
    GetLogEvents: (input) => getLogEvents(ctx.state.logs, input, logsRead),
    FilterLogEvents: (input) => filterLogEvents(ctx.state.logs, input, logsRead),
  };
  const cognito = service === "cognito" ? cognitoHandler(operation) : undefined;
  const logs = service === "logs" && Object.hasOwn(logsHandlers, operation) ? logsHandlers[operation] : undefined;
  if (!cognito && !logs) {
    // What Coral-based JSON services answer for a target they do not know.
    send(res, 400, { __type: "com.amazon.coral.service#UnknownOperationException" }, { "x-amzn-errortype": "UnknownOperationException:" });
    return;
  }
  deps.count(operation);
  const fault = deps.faults.takeCallFault(operation);
  if (fault === "drop") {
    req.socket.destroy();
    return;
  }
  if (fault === "hang") return; // never answered: the client's own timeout, or stop(), ends the connection
  // The service acts, then the answer is lost on the way back: the caller cannot tell this from "drop".
  const reply = fault === "drop-after" ? () => void req.socket.destroy() : undefined;
  try {
    if (fault === "error") throw internalError();
    if (fault === "throttle") throw rateExceeded();
    let input: unknown;
    try {
      input = body.trim() === "" ? {} : JSON.parse(body);
    } catch {
      throw new ServiceError("SerializationException", "Start of structure or map found where not expected.");
    }
    if (typeof input !== "object" || input === null || Array.isArray(input))
      throw new ServiceError("SerializationException", "Start of structure or map found where not expected.");
    const record = input as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === "string" ? v : undefined);
    deps.quotas.admit(operation, region, text(record.UserPoolId), text(record.Username));
    const out = cognito ? cognito(ctx, record) : (logs as (i: Record<string, unknown>) => unknown)(record);
    if (reply) return reply();
    send(res, 200, out ?? {});
  } catch (e) {
    if (reply) return reply();
    if (isServiceError(e)) sendError(res, e);
    else sendError(res, new ServiceError("InternalErrorException", "Internal server error.", 500));
  }
}
