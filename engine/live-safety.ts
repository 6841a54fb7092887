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
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
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

/** The endpoint the client sends to: its own `endpoint`, else AWS_ENDPOINT_URL (the SDK's service-configured endpoint), else AWS. */
async function endpointOf(client: CognitoIdentityProviderClient): Promise<string | undefined> {
  const config = client.config as {
    endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number }>;
    serviceConfiguredEndpoint?: () => Promise<string | undefined>;
  };
  if (config.endpoint) {
    const e = await config.endpoint();
    return `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ""}`;
  }
  return config.serviceConfiguredEndpoint ? await config.serviceConfiguredEndpoint() : undefined;
}

/** True when the client sends to the local emulator rather than to AWS. @internal */
export async function sendsToLocalEmulator(client: CognitoIdentityProviderClient): Promise<boolean> {
  const endpoint = await endpointOf(client);
  return endpoint !== undefined && isLocalEndpointUrl(endpoint);
}

/** The guard a plan or apply runs first: nothing is checked against the local emulator. */
export async function checkLiveSafety(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  users: () => readonly DeclaredUser[],
): Promise<void> {
  if (await sendsToLocalEmulator(client)) return;
  const refusal = emulatorDataOnAws(userPoolId, users(), (await endpointOf(client)) ?? "AWS");
  if (refusal) throw refusal;
}
