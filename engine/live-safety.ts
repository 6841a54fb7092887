/**
 * Going live cannot import the samples: a plan or apply whose AWS endpoint is not the local emulator refuses
 *   - the emulator's invented pool id (the dev stack's `eu-west-2_Tr41n33s0`, which AWS never assigned to anyone),
 *   - any declared user whose username or email is at a reserved example domain: `example.com`, `example.org`,
 *     `example.net` (RFC 2606 §3) and their subdomains, the TLDs `.example`, `.test`, `.invalid`, `.localhost`
 *     (RFC 2606 §2, RFC 6761), and `example.nhs.uk`, the domain this project's synthetic trainees use.
 * Such a run stops before any AWS call (RosterConfigError: exit 2 in the CLI, a failed `pulumi up`), saying what to
 * do instead. The message names files and lines, never a user.
 *
 * "The local emulator" is an endpoint on this machine (127.0.0.0/8, localhost, [::1]), as the CLI decides it; what
 * counts as the emulator's data is decided in core/emulator-samples.ts.
 */
import type { ClientSite } from "../aws/ports";
import type { DeclaredUser } from "../core/declared-user";
import { emulatorDataOnAws } from "../core/emulator-samples";

/** True when the URL names this machine. */
export function isLocalEndpointUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host === "localhost" || host === "[::1]" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** True when the clients send to the local emulator rather than to AWS (aws/client-site.ts reads the endpoint). @internal */
export async function sendsToLocalEmulator(site: ClientSite): Promise<boolean> {
  const endpoint = await site.endpoint();
  return endpoint !== undefined && isLocalEndpointUrl(endpoint);
}

/** The guard a plan or apply runs first: nothing is checked against the local emulator. */
export async function checkLiveSafety(site: ClientSite, userPoolId: string, users: () => readonly DeclaredUser[]): Promise<void> {
  if (await sendsToLocalEmulator(site)) return;
  const refusal = emulatorDataOnAws(userPoolId, users(), (await site.endpoint()) ?? "AWS");
  if (refusal) throw refusal;
}
