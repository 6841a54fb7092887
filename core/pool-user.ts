/**
 * A user as the pool reports it (ListUsers / AdminGetUser), reduced to what planning compares.
 * Pure data: the AWS adapter builds it, the planner reads it.
 */

export interface PoolUser {
  username: string;
  /** Attribute values as Cognito returns them: strings ("true"/"false" for booleans). */
  attributes: Record<string, string>;
  enabled: boolean;
  /** Cognito's UserStatus, e.g. RESET_REQUIRED, CONFIRMED. */
  status: string;
  /** UserCreateDate, ms since epoch (the service's clock): tells which import job created the user. */
  createdAt?: number;
}
