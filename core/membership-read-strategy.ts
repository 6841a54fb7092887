/**
 * Choosing how to read group memberships (engine/observe-groups.ts reads them): one AdminListGroupsForUser per
 * user (UserResourceRead, 50 requests/s) or ListUsersInGroup over each managed group (UserList, 30 requests/s, 60
 * members a page), whichever finishes sooner under the quotas — as core/read-strategy.ts chooses between point
 * reads and a scan for users. Pure arithmetic: no AWS, no clock.
 */
import { LIST_PAGE_SIZE as MEMBERS_PER_PAGE, REQUESTS_PER_SECOND } from "./cognito-quotas";

export interface MembershipReadStrategy {
  kind: "none" | "per-user" | "per-group";
  calls: number;
  /** Least time those calls take under the quotas, in seconds. */
  seconds: number;
}

/**
 * @param users how many users' memberships are needed
 * @param groupSizes the expected member count of each managed group (the files' count: what the pool should hold)
 */
export function chooseMembershipReads(users: number, groupSizes: readonly number[]): MembershipReadStrategy {
  if (users === 0 || groupSizes.length === 0) return { kind: "none", calls: 0, seconds: 0 };
  const perUser: MembershipReadStrategy = {
    kind: "per-user",
    calls: users,
    seconds: users / REQUESTS_PER_SECOND.adminListGroupsForUser,
  };
  const groupCalls = groupSizes.reduce((sum, size) => sum + Math.max(1, Math.ceil(size / MEMBERS_PER_PAGE)), 0);
  const perGroup: MembershipReadStrategy = {
    kind: "per-group",
    calls: groupCalls,
    seconds: groupCalls / REQUESTS_PER_SECOND.listUsersInGroup,
  };
  if (perGroup.seconds < perUser.seconds || (perGroup.seconds === perUser.seconds && perGroup.calls < perUser.calls)) return perGroup;
  return perUser;
}
