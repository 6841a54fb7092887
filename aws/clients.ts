/**
 * AWS SDK clients for the roster, built per run (never at module scope: the Pulumi provider is serialised).
 *
 * Region comes from the profile; credentials and endpoint from the environment (AWS_*, AWS_ENDPOINT_URL), as
 * the SDK reads them — which is also how the local emulator is reached. Throttling (TooManyRequestsException)
 * is left to the SDK's adaptive retry strategy, which backs off and rate-limits the client itself.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";

/** Counts the AWS operations a run makes, by operation name (retries of one call count once). */
export class CallCounter {
  private readonly counts: Record<string, number> = {};
  record(operation: string): void {
    this.counts[operation] = (this.counts[operation] ?? 0) + 1;
  }
  total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
  byOperation(): Record<string, number> {
    return { ...this.counts };
  }
}

export interface AwsClients {
  cognito: CognitoIdentityProviderClient;
  logs: CloudWatchLogsClient;
  calls: CallCounter;
  destroy(): void;
}

export const MAX_ATTEMPTS = 10;

function countCalls(client: CognitoIdentityProviderClient | CloudWatchLogsClient, calls: CallCounter): void {
  const stack = client.middlewareStack as CognitoIdentityProviderClient["middlewareStack"];
  stack.add(
    (next, context) => async (args) => {
      calls.record(String(context.commandName ?? "unknown").replace(/Command$/, ""));
      return next(args);
    },
    { step: "initialize", name: "cognitoRosterCallCounter" },
  );
}

export function createAwsClients(region: string, calls = new CallCounter()): AwsClients {
  const options = { region, retryMode: "adaptive", maxAttempts: MAX_ATTEMPTS };
  const cognito = new CognitoIdentityProviderClient(options);
  const logs = new CloudWatchLogsClient(options);
  countCalls(cognito, calls);
  countCalls(logs, calls);
  return {
    cognito,
    logs,
    calls,
    destroy() {
      cognito.destroy();
      logs.destroy();
    },
  };
}
