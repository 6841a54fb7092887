/**
 * Request-rate quotas per account (the developer guide's default rates per category), enforced only with
 * `quotas: "aws"`: a one-second fixed window per category, plus the 5 requests/s cap per operation per pool
 * for the UserPoolResource* categories. Over quota → TooManyRequestsException "Rate exceeded".
 */
import { rateExceeded } from "./errors";

export const QUOTA_CATEGORIES: Record<string, { category: string; perSecond: number }> = {
  AdminCreateUser: { category: "UserCreation", perSecond: 50 },
  AdminGetUser: { category: "UserRead", perSecond: 120 },
  ListUsers: { category: "UserList", perSecond: 30 },
  AdminUpdateUserAttributes: { category: "UserUpdate", perSecond: 25 },
  AdminDisableUser: { category: "UserUpdate", perSecond: 25 },
  AdminEnableUser: { category: "UserUpdate", perSecond: 25 },
  AdminDeleteUser: { category: "UserUpdate", perSecond: 25 },
  DescribeUserPool: { category: "UserPoolRead", perSecond: 15 },
  GetCSVHeader: { category: "UserPoolResourceRead", perSecond: 20 },
  DescribeUserImportJob: { category: "UserPoolResourceRead", perSecond: 20 },
  ListUserImportJobs: { category: "UserPoolResourceRead", perSecond: 20 },
  CreateUserImportJob: { category: "UserPoolResourceUpdate", perSecond: 15 },
  StartUserImportJob: { category: "UserPoolResourceUpdate", perSecond: 15 },
  StopUserImportJob: { category: "UserPoolResourceUpdate", perSecond: 15 },
};

/** The per-operation, per-pool cap of the UserPoolResource* categories. */
export const PER_POOL_RESOURCE_CAP = 5;

export class QuotaTracker {
  private readonly windows = new Map<string, { second: number; count: number }>();

  constructor(
    private readonly enabled: boolean,
    private readonly clock: () => number,
  ) {}

  /** Counts the call and throws TooManyRequestsException when it is over quota. */
  admit(operation: string, poolId: string | undefined): void {
    if (!this.enabled) return;
    const quota = QUOTA_CATEGORIES[operation];
    if (!quota) return;
    const second = Math.floor(this.clock() / 1000);
    const keys: [string, number][] = [[`category:${quota.category}`, quota.perSecond]];
    if (quota.category.startsWith("UserPoolResource") && poolId !== undefined) keys.push([`pool:${poolId}:${operation}`, PER_POOL_RESOURCE_CAP]);
    const windows = keys.map(([key, limit]) => {
      let w = this.windows.get(key);
      if (!w || w.second !== second) {
        w = { second, count: 0 };
        this.windows.set(key, w);
      }
      return { w, limit };
    });
    if (windows.some(({ w, limit }) => w.count >= limit)) throw rateExceeded();
    for (const { w } of windows) w.count++;
  }
}
