/**
 * Where a set of clients sends: its Region and endpoint, read from the SDK client's own configuration (the
 * engine's checks in engine/reconcile.ts and engine/live-safety.ts need them and must not know the SDK's shapes).
 */
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { ClientSite } from "./ports";

/** The client's Region and endpoint, as the engine asks for them. */
export function clientSite(client: CognitoIdentityProviderClient): ClientSite {
  return { signingRegion: () => clientRegion(client), endpoint: () => clientEndpoint(client) };
}

/** The Region the client signs for. */
async function clientRegion(client: CognitoIdentityProviderClient): Promise<string> {
  return client.config.region();
}

/** The endpoint the client sends to: its own `endpoint`, else AWS_ENDPOINT_URL (the SDK's service-configured endpoint), else AWS. */
async function clientEndpoint(client: CognitoIdentityProviderClient): Promise<string | undefined> {
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
