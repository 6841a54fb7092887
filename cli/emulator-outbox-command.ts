/**
 * `cognito-roster emulator outbox [--endpoint URL] [--username NAME] [--pool ID] [--format text|json]`: what the local
 * emulator would have sent — reset codes, invitations and SMS MFA codes — read from its outbox (`GET /_emulator/outbox`,
 * emulator/README.md "Outbox"). The endpoint is --endpoint, else AWS_ENDPOINT_URL; only this machine's (an emulator).
 * Text: one message a line, oldest first: `SENT-AT REASON MEDIUM DESTINATION USERNAME CODE`.
 */
import { isLocalEndpointUrl } from "../engine/live-safety";
import { parseCommandLine, usageError } from "./command-line";
import { wantsHelp } from "../core/command-line-problems";
import { EXIT_OK, EXIT_PROBLEMS } from "../core/exit-codes";
import { commandTable, helpText } from "../core/flag-table";

export const OUTBOX = commandTable({
  name: "emulator outbox",
  summary: "what the local emulator would have sent (reset codes, invitations, SMS MFA codes)",
  about: ["Prints what the local emulator would have sent (reset codes, invitations, SMS MFA codes), oldest first."],
  flags: {
    endpoint: { type: "string", value: "URL", help: "the emulator's endpoint (default AWS_ENDPOINT_URL); only this machine's" },
    username: { type: "string", value: "NAME", help: "only the messages to this user" },
    pool: { type: "string", value: "ID", help: "only the messages of this user pool" },
    format: { type: "string", default: "text", choices: ["text", "json"], help: "text (default: one message a line) or json" },
  },
});

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
  if (wantsHelp(args)) {
    process.stdout.write(`${helpText(OUTBOX)}\n`);
    return EXIT_OK;
  }
  const parsed = parseCommandLine(args, OUTBOX);
  const usage = (message: string) => usageError(OUTBOX, message);
  if (typeof parsed === "string") return usage(parsed);
  const { endpoint = process.env.AWS_ENDPOINT_URL, username, pool, format } = parsed.values;
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
