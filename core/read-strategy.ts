/**
 * Choosing how to read the pool: point reads (AdminGetUser, one call a user) or one ListUsers scan (60 users a
 * call), whichever finishes sooner under the default AWS request quotas — or no read at all when the pool is
 * known to be empty. Also the polling schedule of an import job, whose cost grows with its length. Pure
 * arithmetic: no AWS, no clock.
 */

import { LIST_PAGE_SIZE, REQUESTS_PER_SECOND } from "./cognito-quotas";

export interface ReadStrategy {
  kind: "none" | "point" | "scan";
  /** AWS calls the strategy needs (a scan's count is an estimate from the pool's estimated size). */
  calls: number;
  /** Least time those calls take under the quotas, in seconds. */
  seconds: number;
}

export interface ReadStrategyContext {
  /**
   * True when nothing says the pool should hold users: no applied record (or one found not to match the pool).
   * With an estimate of 0 the users to check are then taken as absent without reading: an import job skips
   * ("already exists") anyone who is there after all, and the confirmation reads exactly those.
   */
  noAppliedRecord?: boolean;
}

/**
 * @param usersToCheck declared users that must be looked up
 * @param estimatedPoolSize the pool's EstimatedNumberOfUsers
 * @param scanRequired true when a scan is needed anyway (to find removed users by digest)
 */
export function chooseReadStrategy(
  usersToCheck: number,
  estimatedPoolSize: number,
  scanRequired = false,
  context: ReadStrategyContext = {},
): ReadStrategy {
  const scanCalls = Math.max(1, Math.ceil(estimatedPoolSize / LIST_PAGE_SIZE));
  const scan: ReadStrategy = { kind: "scan", calls: scanCalls, seconds: scanCalls / REQUESTS_PER_SECOND.listUsers };
  if (scanRequired) return scan;
  if (usersToCheck === 0) return NO_READS;
  if (estimatedPoolSize === 0 && context.noAppliedRecord === true) return NO_READS;
  const point: ReadStrategy = { kind: "point", calls: usersToCheck, seconds: usersToCheck / REQUESTS_PER_SECOND.adminGetUser };
  return point.seconds <= scan.seconds ? point : scan;
}

const NO_READS: ReadStrategy = { kind: "none", calls: 0, seconds: 0 };

export interface PollSchedule {
  /** First wait after the start, and the least wait between polls. */
  pollMinMs: number;
  /** The wait never exceeds this fraction of the time the job has been running… */
  elapsedFraction: number;
  /** …nor this ceiling (a job is not left unpolled for longer). */
  pollCeilingMs: number;
}

/**
 * Waits grow with the job's age: min(ceiling, max(min, fraction × elapsed)). With fraction f the elapsed time
 * grows by (1 + f) per poll, so a job lasting T needs about log(T / min) / log(1 + f) polls until the wait reaches
 * the ceiling (at T = ceiling / f), then one per ceiling — and a finished job is noticed at most
 * min(f × its running time, ceiling) late. Defaults (2 s, 0.3, 10 min): 3 polls for a 5-second job, 12 for a
 * minute, 26 for 42 minutes (500,000 rows at 200 rows/s), 28 for an hour, 46 for four hours (test/support/poll-count.ts).
 */
const DEFAULT_POLL_SCHEDULE: PollSchedule = { pollMinMs: 2_000, elapsedFraction: 0.3, pollCeilingMs: 10 * 60_000 };

export function pollDelayMs(elapsedMs: number, schedule: PollSchedule = DEFAULT_POLL_SCHEDULE): number {
  return Math.min(schedule.pollCeilingMs, Math.max(schedule.pollMinMs, Math.round(schedule.elapsedFraction * elapsedMs)));
}
