/**
 * Request-rate quotas per account per Region (the developer guide's "Quotas" page: default rates per category),
 * enforced only with `quotas: "aws"`: a one-second fixed window per category and Region, the 5 requests/s cap per
 * operation per pool for the UserPoolResource* categories, and the per-user cap ("10 requests per second … to
 * read or write one user's profile") for the operations on one user. Over quota → TooManyRequestsException
 * "Rate exceeded".
 */
import { rateExceeded } from "./errors";

const QUOTA_CATEGORIES: Record<string, { category: string; perSecond: number }> = {
  AdminCreateUser: { category: "UserCreation", perSecond: 50 },
  AdminGetUser: { category: "UserRead", perSecond: 120 },
  ListUsers: { category: "UserList", perSecond: 30 },
  AdminUpdateUserAttributes: { category: "UserUpdate", perSecond: 25 },
  AdminDisableUser: { category: "UserUpdate", perSecond: 25 },
  AdminEnableUser: { category: "UserUpdate", perSecond: 25 },
  AdminDeleteUser: { category: "UserUpdate", perSecond: 25 },
  DescribeUserPool: { category: "UserPoolRead", perSecond: 15 },
  // The quotas page's category list: "UserPoolRead" holds the reads of a pool's own configuration (DescribeUserPool,
  // GetUserPoolMfaConfig); "UserPoolUpdate" its creation and changes (CreateUserPool, SetUserPoolMfaConfig), 15/s.
  GetUserPoolMfaConfig: { category: "UserPoolRead", perSecond: 15 },
  CreateUserPool: { category: "UserPoolUpdate", perSecond: 15 },
  SetUserPoolMfaConfig: { category: "UserPoolUpdate", perSecond: 15 },
  GetCSVHeader: { category: "UserPoolResourceRead", perSecond: 20 },
  DescribeUserImportJob: { category: "UserPoolResourceRead", perSecond: 20 },
  ListUserImportJobs: { category: "UserPoolResourceRead", perSecond: 20 },
  CreateUserImportJob: { category: "UserPoolResourceUpdate", perSecond: 15 },
  // Groups (groups.ts): the developer guide's categories "UserResourceRead/Update: … user resource information,
  // such as group", "UserList: Operations that return a list of users", "UserPoolResourceRead/Update: … a
  // resource from a user pool, such as group".
  AdminListGroupsForUser: { category: "UserResourceRead", perSecond: 50 },
  AdminAddUserToGroup: { category: "UserResourceUpdate", perSecond: 25 },
  AdminRemoveUserFromGroup: { category: "UserResourceUpdate", perSecond: 25 },
  ListUsersInGroup: { category: "UserList", perSecond: 30 },
  GetGroup: { category: "UserPoolResourceRead", perSecond: 20 },
  ListGroups: { category: "UserPoolResourceRead", perSecond: 20 },
  CreateGroup: { category: "UserPoolResourceUpdate", perSecond: 15 },
  UpdateGroup: { category: "UserPoolResourceUpdate", perSecond: 15 },
  DeleteGroup: { category: "UserPoolResourceUpdate", perSecond: 15 },
  StartUserImportJob: { category: "UserPoolResourceUpdate", perSecond: 15 },
  StopUserImportJob: { category: "UserPoolResourceUpdate", perSecond: 15 },
  // First sign-in codes (password-reset.ts): the quotas page's UserAccountRecovery category.
  AdminResetUserPassword: { category: "UserAccountRecovery", perSecond: 30 },
  ForgotPassword: { category: "UserAccountRecovery", perSecond: 30 },
};

/** The quota category of a Cognito operation, or undefined for one the emulator gives none (it then has no rate limit). @internal */
export function quotaCategoryOf(operation: string): string | undefined {
  return QUOTA_CATEGORIES[operation]?.category;
}

/** The per-operation, per-pool cap of the UserPoolResource* categories. */
const PER_POOL_RESOURCE_CAP = 5;

/** Requests per second that read or write one user's profile (developer guide, "Quotas"). */
const PER_USER_CAP = 10;

/** The operations that read or write one user's profile: their `Username` names the user. */
const PER_USER_OPERATIONS: ReadonlySet<string> = new Set([
  "AdminGetUser",
  "AdminUpdateUserAttributes",
  "AdminDisableUser",
  "AdminEnableUser",
  "AdminDeleteUser",
  "AdminCreateUser",
  "AdminResetUserPassword",
  "AdminListGroupsForUser",
  "AdminAddUserToGroup",
  "AdminRemoveUserFromGroup",
]);

export class QuotaTracker {
  private readonly windows = new Map<string, { second: number; count: number }>();

  constructor(
    private readonly enabled: boolean,
    private readonly clock: () => number,
  ) {}

  /**
   * Counts the call and throws TooManyRequestsException when it is over quota. `user` is the request's `Username`
   * for per-user operations (as given: an alias and the username of one user count separately).
   */
  admit(operation: string, region: string, poolId: string | undefined, user?: string): void {
    if (!this.enabled) return;
    const quota = QUOTA_CATEGORIES[operation];
    if (!quota) return;
    const second = Math.floor(this.clock() / 1000);
    this.forgetOldWindows(second);
    const keys: [string, number][] = [[`${region}:category:${quota.category}`, quota.perSecond]];
    if (quota.category.startsWith("UserPoolResource") && poolId !== undefined)
      keys.push([`${region}:pool:${poolId}:${operation}`, PER_POOL_RESOURCE_CAP]);
    if (PER_USER_OPERATIONS.has(operation) && poolId !== undefined && user !== undefined)
      keys.push([`${region}:user:${poolId}:${user.toLowerCase()}`, PER_USER_CAP]);
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

  /** Per-user windows would otherwise grow with every user ever touched. */
  private forgetOldWindows(second: number): void {
    if (this.windows.size < 10_000) return;
    for (const [key, w] of this.windows) if (w.second < second) this.windows.delete(key);
  }
}
