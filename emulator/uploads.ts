/**
 * The pre-signed upload URLs: path `/cognito-import-uploads/<poolId>/<jobId>` on the emulator's own listener,
 * S3-style query (`X-Amz-Algorithm`, `X-Amz-Date`, `X-Amz-Expires=900`, `X-Amz-SignedHeaders=host;x-amz-server-side-encryption`,
 * `X-Amz-Signature`), and the PUT handler answering as S3 does: 403 SignatureDoesNotMatch without
 * `x-amz-server-side-encryption: aws:kms` or with a tampered signature, 403 AccessDenied "Request has expired",
 * 400 EntityTooLarge over 100 MB — read as a stream, never buffered beyond the limit.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import type { ImportJob } from "./emulator-state";
import { MAX_FILE_BYTES } from "./import-csv-parser";

export const UPLOAD_PREFIX = "/cognito-import-uploads/";

export function preSignedUrl(endpoint: string, job: ImportJob): string {
  const q = new URLSearchParams({
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Date": job.urlDate,
    "X-Amz-SignedHeaders": "host;x-amz-server-side-encryption",
    "X-Amz-Expires": "900",
    "X-Amz-Credential": `ASIAEMULATOR/${job.urlDate.slice(0, 8)}/${job.UserPoolId.split("_")[0]}/s3/aws4_request`,
    "X-Amz-Signature": job.urlSignature,
  });
  return `${endpoint}${UPLOAD_PREFIX}${encodeURIComponent(job.UserPoolId)}/${encodeURIComponent(job.JobId)}?${q.toString()}`;
}

function s3ErrorXml(code: string, message: string, extra: Record<string, string> = {}): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const fields = Object.entries(extra)
    .map(([k, v]) => `<${k}>${esc(v)}</${k}>`)
    .join("");
  const requestId = randomBytes(8).toString("hex").toUpperCase();
  const hostId = randomBytes(24).toString("base64");
  const ids = `<RequestId>${requestId}</RequestId><HostId>${hostId}</HostId>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${esc(message)}</Message>${fields}${ids}</Error>`;
}

function sendXml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "Content-Type": "application/xml", "Content-Length": Buffer.byteLength(body), Connection: "close" });
  res.end(body);
}

export interface UploadHooks {
  findJob(poolId: string, jobId: string): ImportJob | undefined;
  signatureFor(job: ImportJob): string;
  clock(): number;
  takeUploadFault(): "fail" | "stall" | undefined;
  /** Stores the bytes; called once the whole body has arrived. */
  store(job: ImportJob, bytes: Buffer): void;
  /** Stalled responses are kept here so `stop()` can end them. */
  stalled: Set<ServerResponse>;
}

export function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL, hooks: UploadHooks): void {
  const parts = url.pathname.slice(UPLOAD_PREFIX.length).split("/").map(decodeURIComponent);
  const job = parts.length === 2 ? hooks.findJob(parts[0], parts[1]) : undefined;
  if (!job) return refuse(req, res, s3ErrorXml("AccessDenied", "Access Denied"));
  const refusal = refusalOf(req, url.searchParams, job, hooks);
  if (refusal !== undefined) return refuse(req, res, refusal);
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_FILE_BYTES) {
    sendTooLarge(res, declared);
    req.destroy();
    return;
  }
  receiveUpload(req, res, job, hooks);
}

/** Answers 403 with `body`, discarding the request body so the client can finish sending it. */
function refuse(req: IncomingMessage, res: ServerResponse, body: string): void {
  req.resume();
  sendXml(res, 403, body);
}

function signatureMismatch(): string {
  return s3ErrorXml(
    "SignatureDoesNotMatch",
    "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
  );
}

/** The 403 body S3 answers a request for this job's URL with, in S3's order of checks; undefined when it may upload. */
function refusalOf(req: IncomingMessage, q: URLSearchParams, job: ImportJob, hooks: UploadHooks): string | undefined {
  // The method is part of what was signed: any other method fails the signature check, as S3 answers it.
  if (req.method !== "PUT") return signatureMismatch();
  const now = hooks.clock();
  if (
    q.get("X-Amz-Expires") !== "900" ||
    q.get("X-Amz-Date") !== job.urlDate ||
    q.get("X-Amz-SignedHeaders") !== "host;x-amz-server-side-encryption" ||
    q.get("X-Amz-Signature") !== hooks.signatureFor(job)
  )
    return signatureMismatch();
  if (now > job.urlExpires) {
    return s3ErrorXml("AccessDenied", "Request has expired", {
      "X-Amz-Expires": "900",
      Expires: new Date(job.urlExpires).toISOString(),
      ServerTime: new Date(now).toISOString(),
    });
  }
  // The encryption header is one of the signed headers.
  if (req.headers["x-amz-server-side-encryption"] !== "aws:kms") return signatureMismatch();
  if (job.Status !== "Created") return s3ErrorXml("AccessDenied", "Access Denied");
  return undefined;
}

function sendTooLarge(res: ServerResponse, size: number): void {
  sendXml(
    res,
    400,
    s3ErrorXml("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", {
      ProposedSize: String(size),
      MaxSizeAllowed: String(MAX_FILE_BYTES),
    }),
  );
}

/** Reads the body as it streams, never holding more than the limit, then stores it (or plays the injected fault). */
function receiveUpload(req: IncomingMessage, res: ServerResponse, job: ImportJob, hooks: UploadHooks): void {
  const fault = hooks.takeUploadFault();
  const chunks: Buffer[] = [];
  let size = 0;
  let aborted = false;
  req.on("data", (chunk: Buffer) => {
    if (aborted) return;
    size += chunk.length;
    if (size > MAX_FILE_BYTES) {
      aborted = true;
      chunks.length = 0;
      sendTooLarge(res, size);
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => {
    if (aborted) return;
    if (fault === undefined) storeUpload(res, job, hooks, Buffer.concat(chunks, size));
    else answerUploadFault(res, fault, hooks);
  });
}

function answerUploadFault(res: ServerResponse, fault: "fail" | "stall", hooks: UploadHooks): void {
  if (fault === "fail") {
    sendXml(res, 500, s3ErrorXml("InternalError", "We encountered an internal error. Please try again."));
    return;
  }
  hooks.stalled.add(res);
  res.on("close", () => hooks.stalled.delete(res));
}

function storeUpload(res: ServerResponse, job: ImportJob, hooks: UploadHooks, bytes: Buffer): void {
  hooks.store(job, bytes);
  res.writeHead(200, { ETag: `"${randomBytes(16).toString("hex")}"`, "x-amz-server-side-encryption": "aws:kms", "Content-Length": 0 });
  res.end();
}
