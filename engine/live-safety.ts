/**
 * Going live cannot import the samples: a plan or apply whose AWS endpoint is not the local emulator refuses
 *   - the emulator's invented pool id (the dev stack's `eu-west-2_Tr41n33s0`, which AWS never assigned to anyone),
 *   - any declared user whose username or email is at a reserved example domain: `example.com`, `example.org`,
 *     `example.net` (RFC 2606 §3) and their subdomains, the TLDs `.example`, `.test`, `.invalid`, `.localhost`
 *     (RFC 2606 §2, RFC 6761), and `example.nhs.uk`, the domain this project's synthetic trainees use.
 * Such a run stops before any AWS call (RosterConfigError: exit 2 in the CLI, a failed `pulumi up`), saying what to
 * do instead. The message names files and lines, never a user.
 *
 * "The local emulator" is an endpoint on this machine (127.0.0.0/8, localhost, [::1]), as the CLI decides it.
 */
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { RosterConfigError } from "../core/roster-errors";
import type { DeclaredUser } from "../core/declared-user";

/** Pool ids that exist only in the local emulator: the dev stack's (Pulumi.dev.yaml) and the test fixtures'. */
const EMULATOR_POOL_IDS: ReadonlySet<string> = new Set(["eu-west-2_Tr41n33s0"]);

const RESERVED_DOMAINS = ["example.com", "example.org", "example.net", "example.nhs.uk"];
const RESERVED_TLDS = ["example", "test", "invalid", "localhost"];

/** True when the address's domain is a reserved example domain (or below one). @internal */
export function isReservedExampleAddress(address: string): boolean {
  const at = address.lastIndexOf("@");
  if (at < 0) return false;
  const domain = address
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, "");
  if (RESERVED_TLDS.some((tld) => domain === tld || domain.endsWith(`.${tld}`))) return true;
  return RESERVED_DOMAINS.some((d) => domain === d || domain.endsWith(`.${d}`));
}

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

/** Throws RosterConfigError when a run against AWS names the emulator's pool or declares users at example domains. */
function refuseEmulatorDataOnAws(userPoolId: string, users: readonly DeclaredUser[], endpoint: string): void {
  if (EMULATOR_POOL_IDS.has(userPoolId)) {
    throw new RosterConfigError(
      `pool ${userPoolId} is the local emulator's invented pool (the dev stack), but this run sends to ${endpoint}: ` +
        "nothing was changed. Going live needs a stack of your own for the real pool: `cognito-roster init --stack NAME --pool ID` " +
        "(docs/running-for-real.md)",
    );
  }
  const samples = users.filter((u) => isReservedExampleAddress(u.username) || isReservedExampleAddress(String(u.attributes.email ?? "")));
  if (samples.length === 0) return;
  const where = samples
    .slice(0, 3)
    .map((u) => `${u.source.file}:${u.source.line}`)
    .join(", ");
  throw new RosterConfigError(
    `${samples.length} declared user(s) at reserved example domains (example.com, example.nhs.uk, …), e.g. ${where}, ` +
      `but this run sends to ${endpoint}: nothing was changed. These are samples, not trainees: remove them from the users ` +
      "folder (the samples belong in examples/users, for the local emulator)",
  );
}

/** The guard a plan or apply runs first: nothing is checked against the local emulator. */
export async function checkLiveSafety(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  users: () => readonly DeclaredUser[],
): Promise<void> {
  if (await sendsToLocalEmulator(client)) return;
  refuseEmulatorDataOnAws(userPoolId, users(), (await endpointOf(client)) ?? "AWS");
}
