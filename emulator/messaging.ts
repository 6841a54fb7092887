/**
 * The account's messaging capacity, as Amazon SES and Amazon SNS report it: SESv2 `GetAccount` (REST-JSON,
 * `GET /v2/email/account`) and SNS `GetSMSSandboxAccountStatus` / `GetSMSAttributes` (the query protocol: a form
 * POST with `Action=…`, answered in XML). Read-only here: the state is set by tests (`emulator.messaging`) or the
 * `messaging` start option, per Region. Defaults are a new account's, as AWS documents them (emulator/README.md):
 * SES in the sandbox, 200 messages per 24 hours, 1 per second; SNS in the SMS sandbox with a $1.00 monthly limit.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface SesAccount {
  productionAccessEnabled: boolean;
  /** -1 = unlimited (SendQuota.Max24HourSend). */
  max24HourSend: number;
  maxSendRate: number;
  sentLast24Hours: number;
}

export interface SnsAccount {
  isInSandbox: boolean;
  /** The MonthlySpendLimit SMS attribute, in USD, as SNS returns it (a string). */
  monthlySpendLimit: string;
}

export interface MessagingSettings {
  ses?: Partial<SesAccount>;
  sns?: Partial<SnsAccount>;
  /** Operations (GetAccount, GetSMSSandboxAccountStatus, GetSMSAttributes) answered as a caller without permission. */
  denied?: string[];
}

export interface Messaging {
  /** Sets the account's messaging state in `region` (merged with what is set; every Region when absent). */
  set(settings: MessagingSettings, region?: string): void;
}

/**
 * One `--messaging KEY=VALUE` of `cognito-roster emulator`: `ses-production=true|false`, `ses-max-24h=N` (-1 unlimited),
 * `ses-max-rate=N`, `ses-sent-24h=N`, `sms-sandbox=true|false`, `sms-spend-limit=USD`, `deny=Operation`. Throws on
 * anything else.
 */
export function messagingSpec(spec: string, into: MessagingSettings = {}): MessagingSettings {
  const at = spec.indexOf("=");
  const [key, value] = at < 0 ? [spec, ""] : [spec.slice(0, at), spec.slice(at + 1)];
  const flag = () => {
    if (value !== "true" && value !== "false") throw new Error(`--messaging ${key} takes true or false`);
    return value === "true";
  };
  const number = () => {
    if (!/^-?\d+(\.\d+)?$/.test(value)) throw new Error(`--messaging ${key} takes a number`);
    return Number(value);
  };
  const ses = { ...into.ses };
  const sns = { ...into.sns };
  if (key === "ses-production") ses.productionAccessEnabled = flag();
  else if (key === "ses-max-24h") ses.max24HourSend = number();
  else if (key === "ses-max-rate") ses.maxSendRate = number();
  else if (key === "ses-sent-24h") ses.sentLast24Hours = number();
  else if (key === "sms-sandbox") sns.isInSandbox = flag();
  else if (key === "sms-spend-limit") sns.monthlySpendLimit = String(number());
  else if (key === "deny" && ["GetAccount", "GetSMSSandboxAccountStatus", "GetSMSAttributes"].includes(value))
    return { ...into, denied: [...(into.denied ?? []), value] };
  else throw new Error(`unknown --messaging ${spec} (emulator/README.md, "Messaging capacity")`);
  return { ...into, ses, sns };
}

const NEW_SES: SesAccount = { productionAccessEnabled: false, max24HourSend: 200, maxSendRate: 1, sentLast24Hours: 0 };
const NEW_SNS: SnsAccount = { isInSandbox: true, monthlySpendLimit: "1" };

/** Per-Region messaging state; `"*"` holds what applies to every Region not set on its own. */
export class MessagingRegistry implements Messaging {
  private readonly byRegion = new Map<string, { ses: SesAccount; sns: SnsAccount; denied: Set<string> }>();

  set(settings: MessagingSettings, region = "*"): void {
    const current = this.of(region);
    this.byRegion.set(region, {
      ses: { ...current.ses, ...settings.ses },
      sns: { ...current.sns, ...settings.sns },
      denied: settings.denied ? new Set(settings.denied) : current.denied,
    });
  }

  of(region: string): { ses: SesAccount; sns: SnsAccount; denied: Set<string> } {
    return this.byRegion.get(region) ?? this.byRegion.get("*") ?? { ses: NEW_SES, sns: NEW_SNS, denied: new Set() };
  }
}

const SES_ACCOUNT_PATH = "/v2/email/account";
const SNS_XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";

/** Whether the request is one of SES's or SNS's (so the caller routes it here). */
export function isMessagingRequest(req: IncomingMessage): boolean {
  const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
  if (path === SES_ACCOUNT_PATH) return true;
  return req.method === "POST" && String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
}

/** Answers one SES or SNS request; `count` records the operation as the other services' calls are counted. */
export function handleMessaging(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  account: ReturnType<MessagingRegistry["of"]>,
  count: (operation: string) => void,
): void {
  const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
  if (path === SES_ACCOUNT_PATH) {
    count("GetAccount");
    if (req.method !== "GET") return sendJson(res, 404, { message: "Not Found" }, "NotFoundException");
    if (account.denied.has("GetAccount"))
      return sendJson(res, 403, { message: "User is not authorized to perform: ses:GetAccount" }, "AccessDeniedException");
    return sendJson(res, 200, sesAccountJson(account.ses));
  }
  const action = new URLSearchParams(body).get("Action") ?? "";
  count(action || "UnknownAction");
  if (action !== "GetSMSSandboxAccountStatus" && action !== "GetSMSAttributes")
    return sendXml(res, 400, errorXml("Sender", "InvalidAction", `Could not find operation ${action}`));
  if (account.denied.has(action))
    return sendXml(res, 403, errorXml("Sender", "AuthorizationError", `User is not authorized to perform: SNS:${action}`));
  if (action === "GetSMSSandboxAccountStatus")
    return sendXml(res, 200, resultXml(action, `<IsInSandbox>${account.sns.isInSandbox}</IsInSandbox>`));
  return sendXml(res, 200, resultXml(action, smsAttributesXml(new URLSearchParams(body), account.sns)));
}

/** SESv2 GetAccountResponse: the sending quota and whether the account is out of the sandbox. */
function sesAccountJson(ses: SesAccount): object {
  return {
    DedicatedIpAutoWarmupEnabled: false,
    EnforcementStatus: "HEALTHY",
    ProductionAccessEnabled: ses.productionAccessEnabled,
    SendQuota: { Max24HourSend: ses.max24HourSend, MaxSendRate: ses.maxSendRate, SentLast24Hours: ses.sentLast24Hours },
    SendingEnabled: true,
  };
}

/** The requested SMS attributes (`attributes.member.N`), or every attribute the emulator knows when none is named. */
function smsAttributesXml(form: URLSearchParams, sns: SnsAccount): string {
  const known: Record<string, string> = { MonthlySpendLimit: sns.monthlySpendLimit };
  const asked = [...form.entries()].filter(([k]) => /^attributes\.member\.\d+$/.test(k)).map(([, v]) => v);
  const names = asked.length > 0 ? asked.filter((n) => Object.hasOwn(known, n)) : Object.keys(known);
  const entries = names.map((n) => `<entry><key>${escapeXml(n)}</key><value>${escapeXml(known[n])}</value></entry>`).join("");
  return `<attributes>${entries}</attributes>`;
}

function resultXml(action: string, inner: string): string {
  const metadata = `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>`;
  return `<${action}Response xmlns="${SNS_XMLNS}"><${action}Result>${inner}</${action}Result>${metadata}</${action}Response>`;
}

function errorXml(type: string, code: string, message: string): string {
  const error = `<Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`;
  return `<ErrorResponse xmlns="${SNS_XMLNS}">${error}<RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function sendXml(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "Content-Type": "text/xml", "Content-Length": Buffer.byteLength(text), "x-amzn-RequestId": randomUUID() });
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, body: object, errorType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "x-amzn-RequestId": randomUUID(),
    ...(errorType ? { "x-amzn-ErrorType": errorType } : {}),
  });
  res.end(text);
}
