/**
 * The emulator's outbox: every message Cognito would have sent — password-reset codes (ForgotPassword,
 * AdminResetUserPassword), invitations (AdminCreateUser's temporary password, unless MessageAction SUPPRESS) and
 * SMS MFA codes at sign-in (SMS_MFA, auth-sessions.ts) —
 * kept in memory, oldest first, and readable at `GET /_emulator/outbox` (a documented extension of the emulator,
 * emulator/README.md "Outbox"; no AWS API has it). Nothing is delivered anywhere: this is how a person following
 * docs/first-sign-in.md on the emulator reads the code a trainee would receive.
 *
 * Query parameters narrow the list: `userPoolId`, `username` (exact). The answer is JSON:
 * `{"Messages":[{"UserPoolId","Username","Reason","DeliveryMedium","Destination","Code","SentAt"}]}` (SentAt ISO 8601).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SentCode } from "./emulator-state";

export const OUTBOX_PATH = "/_emulator/outbox";

export function handleOutbox(req: IncomingMessage, res: ServerResponse, url: URL, sent: readonly SentCode[]): void {
  if (req.method !== "GET") {
    res.writeHead(405, { Allow: "GET", "Content-Type": "text/plain" });
    res.end("the outbox is read with GET\n");
    return;
  }
  const pool = url.searchParams.get("userPoolId");
  const username = url.searchParams.get("username");
  const messages = sent
    .filter((m) => (pool === null || m.userPoolId === pool) && (username === null || m.username === username))
    .map((m) => ({
      UserPoolId: m.userPoolId,
      Username: m.username,
      Reason: m.reason,
      DeliveryMedium: m.deliveryMedium,
      Destination: m.destination,
      Code: m.code,
      SentAt: new Date(m.sentAt).toISOString(),
    }));
  const text = JSON.stringify({ Messages: messages });
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
