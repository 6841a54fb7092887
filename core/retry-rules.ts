/**
 * Which AWS errors the SDK's retry strategy must not retry, for the roster's reasons (aws/clients.ts applies them).
 * Pure: an operation name and an error name in, a decision out.
 */

/**
 * The SDK counts LimitExceededException as throttling, but on StartUserImportJob it means another import job is
 * active in the account — a wait of minutes that the engine reports and paces itself, not a burst to retry.
 */
export function isAccountBusy(operation: string, errorName: string): boolean {
  return operation === "StartUserImportJob" && errorName === "LimitExceededException";
}
