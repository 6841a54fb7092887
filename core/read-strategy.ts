/**
 * Choosing how to read the pool: point reads (AdminGetUser, one call a user) or one ListUsers scan (60 users a
 * call), whichever finishes sooner under the default AWS request quotas. Pure arithmetic.
 */

/** Default requests per second per account (Cognito quotas: UserRead, UserList). */
export const READ_QUOTAS = { adminGetUser: 120, listUsers: 30 } as const;
export const LIST_USERS_PAGE_SIZE = 60;

export interface ReadStrategy {
  kind: "none" | "point" | "scan";
  /** AWS calls the strategy needs (a scan's count is an estimate from the pool's estimated size). */
  calls: number;
  /** Least time those calls take under the quotas, in seconds. */
  seconds: number;
}

/**
 * @param usersToCheck declared users that must be looked up
 * @param estimatedPoolSize the pool's EstimatedNumberOfUsers
 * @param scanRequired true when a scan is needed anyway (to find removed users by digest)
 */
export function chooseReadStrategy(usersToCheck: number, estimatedPoolSize: number, scanRequired = false): ReadStrategy {
  const scanCalls = Math.max(1, Math.ceil(estimatedPoolSize / LIST_USERS_PAGE_SIZE));
  const scan: ReadStrategy = { kind: "scan", calls: scanCalls, seconds: scanCalls / READ_QUOTAS.listUsers };
  if (scanRequired) return scan;
  if (usersToCheck === 0) return { kind: "none", calls: 0, seconds: 0 };
  const point: ReadStrategy = { kind: "point", calls: usersToCheck, seconds: usersToCheck / READ_QUOTAS.adminGetUser };
  return point.seconds <= scan.seconds ? point : scan;
}
