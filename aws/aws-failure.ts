/**
 * What AWS support asks about a failed call: the operation, the user pool and the AWS request id
 * (`$metadata.requestId`, from the x-amzn-RequestId header). The clients' middleware (aws/clients.ts) notes them on
 * every error a call throws; the boundaries (the CLI's reportFailure, the provider's errors) print them with the
 * message. Noted as a field, never in the message: per-user failure reasons stay as they were recorded.
 */

interface AwsCall {
  operation: string;
  userPoolId?: string;
  requestId?: string;
}

/** Notes the call on the error it threw (the first note stands: an inner call's is the more precise). */
export function noteAwsCall(err: unknown, operation: string, input: unknown): void {
  if (typeof err !== "object" || err === null || "awsCall" in err) return;
  const pool = (input as { UserPoolId?: unknown } | undefined)?.UserPoolId;
  const requestId = (err as { $metadata?: { requestId?: unknown } }).$metadata?.requestId;
  const call: AwsCall = {
    operation,
    ...(typeof pool === "string" ? { userPoolId: pool } : {}),
    ...(typeof requestId === "string" && requestId !== "" ? { requestId } : {}),
  };
  Object.defineProperty(err, "awsCall", { value: call, enumerable: false, configurable: true });
}

/** `AdminGetUser on pool eu-west-2_AbC, AWS request id 1d2e…`, or undefined for an error no AWS call threw. */
export function describeAwsCall(err: unknown): string | undefined {
  const call = (err as { awsCall?: AwsCall } | undefined)?.awsCall;
  if (call === undefined) return undefined;
  const pool = call.userPoolId === undefined ? "" : ` on pool ${call.userPoolId}`;
  const request = call.requestId === undefined ? ", no AWS request id (no answer)" : `, AWS request id ${call.requestId}`;
  return `${call.operation}${pool}${request}`;
}
