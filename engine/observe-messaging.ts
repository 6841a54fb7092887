/**
 * Reads what core/messaging-capacity.ts compares (issue 19.2): the pool's email and SMS set-up (DescribeUserPool,
 * read once by the engine; GetUserPoolMfaConfig for the SMS factor), the SES account's quota (DEVELOPER email) and
 * the SNS SMS sandbox and spend limit (SMS MFA), each in the Region the pool sends through. Called only when the
 * plan imports or sends codes. A read that fails (AccessDenied without the documented permissions, an unreachable
 * endpoint) becomes "could not read …: <reason>" in the plan; it never fails the plan.
 */
import { errorName } from "../aws/error-name";
import type { MessagingCapacity, UserReads } from "../aws/ports";
import type { PoolDescription } from "../aws/pool-users";
import type { MessagingReadings } from "../core/messaging-capacity";
import type { ReminderSesQuota } from "../core/reminder-ses-quota";
import { REGION_NAME, sesRegionOf } from "../core/aws-region-names";

/** What the messaging reads go through: the pool's MFA set-up and the account's SES and SNS capacity. */
interface MessagingReads {
  users: UserReads;
  messaging: MessagingCapacity;
}

export async function readMessaging(ports: MessagingReads, region: string, pool: PoolDescription): Promise<MessagingReadings> {
  const emailSendingAccount = pool.settings.emailSendingAccount ?? "COGNITO_DEFAULT";
  const readings: MessagingReadings = { emailSendingAccount, smsMfa: await hasSmsMfa(ports.users, pool) };
  const ses = await readSesQuota(ports.messaging, region, pool);
  if (ses) {
    readings.sesRegion = ses.region;
    readings.ses = ses.reading;
  }
  if (readings.smsMfa) {
    const snsRegion = pool.messaging?.snsRegion ?? region;
    readings.snsRegion = snsRegion;
    readings.sns = REGION_NAME.test(snsRegion)
      ? await orReason(() => ports.messaging.smsAccount(snsRegion))
      : { error: "SmsConfiguration.SnsRegion is not an AWS Region" };
  }
  return readings;
}

/**
 * The SES account's quota in the Region of the pool's SES identity (EmailConfiguration.SourceArn's, else the pool's),
 * one GetAccount; undefined unless the pool sends with DEVELOPER. Also read by the reminder marks
 * (providers/sign-in-reminders-entry.ts), which mark no more than SES can still send.
 */
export async function readSesQuota(
  messaging: MessagingCapacity,
  region: string,
  pool: PoolDescription,
): Promise<ReminderSesQuota | undefined> {
  if (pool.settings.emailSendingAccount !== "DEVELOPER") return undefined;
  const sesRegion = sesRegionOf(pool.messaging?.sesSourceArn, region);
  if (!sesRegion) return { region, reading: { error: "EmailConfiguration.SourceArn names no AWS Region" } };
  return { region: sesRegion, reading: await orReason(() => messaging.sesAccount(sesRegion)) };
}

/** SMS MFA: MFA on or optional, an SNS role to send with, and the SMS factor enabled (GetUserPoolMfaConfig). */
async function hasSmsMfa(users: UserReads, pool: PoolDescription): Promise<boolean> {
  if (pool.settings.mfaConfiguration === "OFF" || !pool.messaging?.smsConfigured) return false;
  try {
    return (await users.mfaFactors()).includes("sms");
  } catch {
    return true; // unknown: counted as SMS MFA, so that a possible limit is not left out
  }
}

async function orReason<T>(read: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await read();
  } catch (err) {
    return { error: errorName(err) || "the read failed" };
  }
}
