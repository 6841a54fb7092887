/**
 * Service errors as AWS JSON 1.1 answers them: a code, a message and an HTTP status.
 *
 * Handlers throw `ServiceError`; the router turns it into `{"__type","message"}` plus the
 * `x-amzn-errortype` header. This module builds no responses itself.
 */

export class ServiceError extends Error {
  /** Brand checked instead of `instanceof`, which fails across two copies of a module. */
  readonly isServiceError = true;
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export function isServiceError(e: unknown): e is ServiceError {
  return typeof e === "object" && e !== null && (e as { isServiceError?: unknown }).isServiceError === true;
}

export const poolNotFound = (poolId: string) => new ServiceError("ResourceNotFoundException", `User pool ${poolId} does not exist.`);
export const userNotFound = () => new ServiceError("UserNotFoundException", "User does not exist.");
export const invalidParameter = (message: string) => new ServiceError("InvalidParameterException", message);
export const rateExceeded = () => new ServiceError("TooManyRequestsException", "Rate exceeded");
export const internalError = () => new ServiceError("InternalErrorException", "Internal server error.", 500);
