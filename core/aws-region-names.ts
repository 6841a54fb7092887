/**
 * AWS Region names as the pool's messaging settings give them (engine/observe-messaging.ts reads SES and SNS in
 * those Regions): a name that is not one is reported, never called. Pure.
 */

/** An AWS Region name as AWS spells them (`eu-west-2`, `us-gov-west-1`). */
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The Region of the SES identity (`arn:aws:ses:REGION:ACCOUNT:identity/…`); the pool's when there is no ARN. */
export function sesRegionOf(sourceArn: string | undefined, poolRegion: string): string | undefined {
  if (sourceArn === undefined) return poolRegion;
  const region = sourceArn.split(":")[3] ?? "";
  return REGION_NAME.test(region) ? region : undefined;
}
