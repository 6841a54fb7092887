/**
 * A tiny HTTP proxy between the roster and the emulator, for the fault matrix: it names every call as it passes
 * (the AWS operation from `X-Amz-Target`, `PreSignedUpload` for the upload PUT, and which client sent it, from the
 * SigV4 access key), and lets a scenario act at an exact point of a run — kill the roster process, restart the
 * emulator, advance its clock, hold a request until another client catches up — before the call reaches the
 * emulator or after the emulator answered but before the roster sees the answer.
 *
 * It changes nothing in what passes except the upload URL's origin (so uploads come through it too). It knows
 * nothing of the product and never decides an outcome; a connection it cannot forward is cut, as a reset is.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface ProxiedCall {
  /** e.g. "CreateUserImportJob", "GetLogEvents", "PreSignedUpload". */
  operation: string;
  /** The SigV4 access key of the caller ("" for the upload, which carries no Authorization). */
  client: string;
  requestBody: string;
}

interface ProxiedAnswer {
  status: number;
  body: string;
}

/**
 * "forward"/"relay" lets the call through; "cut" destroys the caller's connection without an answer; an answer
 * (status and body) is sent instead — before forwarding, the call never reaches the emulator (e.g. an expired
 * token); after, the emulator acted and the caller reads this answer instead of its own (e.g. a malformed body).
 */
type RequestVerdict = "forward" | "cut" | ProxiedAnswer;
type AnswerVerdict = "relay" | "cut" | ProxiedAnswer;

export interface ProxyHooks {
  beforeForward?(call: ProxiedCall): Promise<RequestVerdict | undefined> | RequestVerdict | undefined;
  afterAnswer?(call: ProxiedCall, answer: ProxiedAnswer): Promise<AnswerVerdict | undefined> | AnswerVerdict | undefined;
}

const COGNITO_PREFIX = "AWSCognitoIdentityProviderService.";
const LOGS_PREFIX = "Logs_20140328.";

export class SignalProxy {
  readonly calls: ProxiedCall[] = [];
  hooks: ProxyHooks = {};
  private server?: http.Server;
  private readonly pending = new Set<http.ServerResponse>();
  private ownEndpoint = "";

  constructor(private readonly target: string) {}

  get endpoint(): string {
    return this.ownEndpoint;
  }

  async start(): Promise<string> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 500;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    this.ownEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.ownEndpoint;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Cuts every call still waiting for an answer (what a network that gives up does). */
  cutPending(): void {
    for (const res of this.pending) cut(res);
    this.pending.clear();
  }

  /** Operations seen, in order (optionally only one client's). */
  operations(client?: string): string[] {
    return this.calls.filter((c) => client === undefined || c.client === client).map((c) => c.operation);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.pending.add(res);
    res.on("close", () => this.pending.delete(res));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const call: ProxiedCall = { operation: operationOf(req), client: clientOf(req), requestBody: body.toString("utf8") };
    this.calls.push(call);
    try {
      const before = await this.hooks.beforeForward?.(call);
      if (before === "cut") return cut(res);
      if (typeof before === "object") return reply(res, before.status, { "content-type": "application/x-amz-json-1.1" }, before.body);
      const answer = await this.forward(req, body, res);
      if (!answer) return cut(res);
      const text = answer.body.toString("utf8").split(this.target).join(this.ownEndpoint);
      const after = await this.hooks.afterAnswer?.(call, { status: answer.status, body: text });
      if (after === "cut") return cut(res);
      if (typeof after === "object") return reply(res, after.status, answer.headers, after.body);
      reply(res, answer.status, answer.headers, text);
    } catch {
      cut(res);
    }
  }

  /** Sends the call on; undefined when the emulator cannot be reached or cut the connection. */
  private forward(
    req: http.IncomingMessage,
    body: Buffer,
    res: http.ServerResponse,
  ): Promise<{ status: number; headers: http.OutgoingHttpHeaders; body: Buffer } | undefined> {
    const url = new URL(this.target);
    return new Promise((resolve) => {
      const upstream = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: url.host },
          agent: false,
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on("data", (c: Buffer) => parts.push(c));
          answer.on("end", () => {
            const headers: http.OutgoingHttpHeaders = { ...answer.headers };
            delete headers["content-length"];
            delete headers["transfer-encoding"];
            delete headers.connection;
            resolve({ status: answer.statusCode ?? 502, headers, body: Buffer.concat(parts) });
          });
          answer.on("error", () => resolve(undefined));
        },
      );
      upstream.on("error", () => resolve(undefined));
      // A caller that gives up (e.g. an upload timeout) ends the upstream request too, as a real network would.
      res.on("close", () => {
        if (!res.writableEnded) upstream.destroy();
      });
      upstream.end(body);
    });
  }
}

function operationOf(req: http.IncomingMessage): string {
  const target = String(req.headers["x-amz-target"] ?? "");
  if (target.startsWith(COGNITO_PREFIX)) return target.slice(COGNITO_PREFIX.length);
  if (target.startsWith(LOGS_PREFIX)) return target.slice(LOGS_PREFIX.length);
  if (req.method === "PUT") return "PreSignedUpload";
  return `${req.method ?? "?"} ${req.url ?? ""}`;
}

function clientOf(req: http.IncomingMessage): string {
  return /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ""))?.[1] ?? "";
}

function reply(res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, text: string): void {
  const out = Buffer.from(text, "utf8");
  res.writeHead(status, { ...headers, "content-length": String(out.length) });
  res.end(out);
}

function cut(res: http.ServerResponse): void {
  res.socket?.destroy();
}
