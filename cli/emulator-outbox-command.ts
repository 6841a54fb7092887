/**
 * `cognito-roster emulator outbox [--endpoint URL] [--username NAME] [--pool ID] [--format text|json]`: what the local
 * emulator would have sent — reset codes, invitations and SMS MFA codes — read from its outbox (`GET /_emulator/outbox`,
 * emulator/README.md "Outbox"). The endpoint is --endpoint, else AWS_ENDPOINT_URL; only this machine's (an emulator).
 * Text: one message a line, oldest first: `SENT-AT REASON MEDIUM DESTINATION USERNAME CODE`.
 */
import { isLocalEndpointUrl } from "../engine/live-safety";
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, type FlagOptions, parseCommandLine } from "./command-line";

export const OUTBOX_USAGE = "usage: cognito-roster emulator outbox [--endpoint URL] [--username NAME] [--pool ID] [--format text|json]";

const OPTIONS = {
  endpoint: { type: "string" },
  username: { type: "string" },
  pool: { type: "string" },
  format: { type: "string", default: "text" },
} as const satisfies FlagOptions;

interface OutboxMessage {
  UserPoolId: string;
  Username: string;
  Reason: string;
  DeliveryMedium: string;
  Destination: string;
  Code: string;
  SentAt: string;
}

export async function runOutboxCommand(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(
      `${OUTBOX_USAGE}\n\nPrints what the local emulator would have sent (reset codes, invitations, SMS MFA codes), oldest first.\n`,
    );
    return EXIT_OK;
  }
  const parsed = parseCommandLine(args, OPTIONS);
  const usage = (message: string) => {
    process.stderr.write(`cognito-roster emulator outbox: ${message}\n${OUTBOX_USAGE}\n`);
    return EXIT_USAGE;
  };
  if (typeof parsed === "string") return usage(parsed);
  const { endpoint = process.env.AWS_ENDPOINT_URL, username, pool, format } = parsed.values;
  if (format !== "text" && format !== "json") return usage(`--format must be text or json (got ${format})`);
  if (!endpoint) return usage("no emulator endpoint: pass --endpoint http://127.0.0.1:PORT or set AWS_ENDPOINT_URL");
  if (!isLocalEndpointUrl(endpoint)) return usage(`${endpoint} is not on this machine: only the local emulator has an outbox`);
  const url = new URL("/_emulator/outbox", endpoint);
  if (username !== undefined) url.searchParams.set("username", username);
  if (pool !== undefined) url.searchParams.set("userPoolId", pool);
  let messages: OutboxMessage[];
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    messages = ((await response.json()) as { Messages: OutboxMessage[] }).Messages;
  } catch (err) {
    process.stderr.write(
      `cognito-roster emulator outbox: cannot read the outbox at ${url.origin} (${(err as Error).message}): is the emulator running?\n`,
    );
    return EXIT_PROBLEMS;
  }
  if (format === "json") process.stdout.write(`${JSON.stringify(messages, null, 2)}\n`);
  else
    for (const m of messages)
      process.stdout.write(`${m.SentAt} ${m.Reason} ${m.DeliveryMedium} ${m.Destination} ${m.Username} ${m.Code}\n`);
  if (messages.length === 0) process.stderr.write("cognito-roster emulator outbox: no messages\n");
  return EXIT_OK;
}
