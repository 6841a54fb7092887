/**
 * The pool decides; the applied record is a cache. An applied record (the CLI's `.roster/applied-<stack>.json`,
 * the provider's state outputs) is bound to the pool it describes — the pool's ARN and CreationDate from
 * DescribeUserPool, plus how many users the record manages — and is trusted only while the pool still matches.
 *
 * Pure: it compares a record's binding with a DescribeUserPool answer and says why they disagree. It must not
 * call AWS or read files; the engine hands it the one DescribeUserPool answer of the run.
 */

/** The fields of a DescribeUserPool answer (aws/pool-users.ts PoolDescription) a binding is made from and checked against. */
export interface DescribedPool {
  arn: string;
  /** CreationDate, ms since epoch. */
  createdAt: number;
  /** EstimatedNumberOfUsers. */
  estimatedUsers: number;
}

export interface PoolBinding {
  userPoolId: string;
  /** DescribeUserPool Arn. */
  arn: string;
  /** DescribeUserPool CreationDate, ms since epoch: a pool deleted and re-created under the same id differs here. */
  createdAt: number;
  /** Users the record says the roster put (and keeps) in this pool. */
  managedUsers: number;
}

/**
 * How far EstimatedNumberOfUsers may fall below the record's count before the record is distrusted. The estimate
 * lags and is documented only as an estimate, so a small shortfall is tolerated (users deleted out of band in small
 * numbers are found by `--full` / `pulumi refresh`); an empty pool against a non-empty record always fails.
 * @internal exported for its tests
 */
export const ESTIMATE_TOLERANCE = 0.1;

export function bindingOf(userPoolId: string, pool: Pick<DescribedPool, "arn" | "createdAt">, managedUsers: number): PoolBinding {
  return { userPoolId, arn: pool.arn, createdAt: pool.createdAt, managedUsers };
}

/** Why the record cannot be trusted for this pool, or undefined when it can (or when there is no record). */
export function bindingMismatch(
  userPoolId: string,
  record: { applied?: Record<string, string>; binding?: PoolBinding },
  pool: DescribedPool,
): string | undefined {
  if (record.applied === undefined) return undefined; // no record: every declared user is looked up anyway
  const managed = Object.keys(record.applied).length;
  const { binding } = record;
  if (!binding) return "the applied record is not bound to a pool (written by an older version)";
  if (binding.userPoolId !== userPoolId) return `the applied record describes pool ${binding.userPoolId}`;
  if (binding.arn !== pool.arn || binding.createdAt !== pool.createdAt) {
    return "the pool is not the one the applied record describes (its ARN or creation date differ: rebuilt, restored or another account)";
  }
  const expected = Math.max(managed, binding.managedUsers);
  if (expected > 0 && pool.estimatedUsers === 0) return `the pool is empty, but the applied record manages ${expected} users`;
  if (pool.estimatedUsers < Math.floor(expected * (1 - ESTIMATE_TOLERANCE))) {
    return `the pool holds about ${pool.estimatedUsers} users, fewer than the ${expected} the applied record manages`;
  }
  return undefined;
}
