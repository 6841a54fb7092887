/**
 * A user pool is regional, and its id names its Region (`eu-west-2_AbC123` → `eu-west-2`): a client signed for
 * another Region would see another (or no) pool. Pure: aws/clients.ts and the engine check the stack's Region here.
 */
import { RosterConfigError } from "./roster-errors";

/** The pool id's Region: the part before the underscore; "" when there is none. @internal */
export function regionOfPoolId(userPoolId: string): string {
  const at = userPoolId.indexOf("_");
  return at > 0 ? userPoolId.slice(0, at) : "";
}

/** Throws RosterConfigError unless `region` is set and is the Region the pool id names; returns it. */
export function checkRegion(region: string | undefined, userPoolId: string): string {
  const poolRegion = regionOfPoolId(userPoolId);
  if (!region) {
    throw new RosterConfigError(
      `no AWS Region for pool ${userPoolId}: set aws:region (${poolRegion || "the pool's Region"}) in the stack config`,
    );
  }
  if (region !== poolRegion) {
    throw new RosterConfigError(
      `pool ${userPoolId} is in ${poolRegion || "no Region"}, but the Region is ${region}: ` +
        `set aws:region to ${poolRegion} (pools are regional)`,
    );
  }
  return region;
}
