/**
 * The pool's messaging capacity against what a change implies (issue 19.2): pure, given what the engine read.
 *
 * What a change implies: each new trainee needs one password-reset email before their first sign-in — the roster's
 * own code (`sendSignInCode: afterImport`, AdminResetUserPassword) or the one they ask for ("Forgot your
 * password?", ForgotPassword) — and, with SMS MFA, one SMS at first sign-in. Codes still owed to earlier trainees
 * add to the emails, and so do the sign-in reminders the next `pulumi up` sends (`signInReminders`, one email each to
 * trainees imported earlier, engine/plan-reminders.ts). What the pool can send:
 * `EmailConfiguration.EmailSendingAccount` (DescribeUserPool); with DEVELOPER, the SES account's sending quota and
 * sandbox status (SESv2 GetAccount); with SMS MFA, the SNS SMS sandbox status (GetSMSSandboxAccountStatus) and
 * monthly spend limit (GetSMSAttributes). Every figure below names where it comes from; where AWS publishes none,
 * the text says so.
 */

/** SESv2 GetAccount: SendQuota and ProductionAccessEnabled. */
export interface SesAccountReading {
  productionAccess: boolean;
  /** -1 = unlimited. */
  max24HourSend: number;
  maxSendRate: number;
  sentLast24Hours: number;
}

export interface MessagingReadings {
  /** EmailConfiguration.EmailSendingAccount (COGNITO_DEFAULT when the pool reports none). */
  emailSendingAccount: string;
  /** The Region of the SES identity (DEVELOPER): EmailConfiguration.SourceArn's, else the pool's. */
  sesRegion?: string;
  /** DEVELOPER only: what GetAccount answered, or why it could not be read. */
  ses?: SesAccountReading | { error: string };
  /** Whether the pool has SMS MFA (MfaConfiguration ON/OPTIONAL with the SMS factor). */
  smsMfa: boolean;
  /** SmsConfiguration.SnsRegion, else the pool's Region. */
  snsRegion?: string;
  /** With SMS MFA: what SNS answered, or why it could not be read. */
  sns?: { inSandbox: boolean; monthlySpendLimitUsd?: string } | { error: string };
}

interface MessagingDemand {
  /** Users the change imports. */
  newTrainees: number;
  /** Codes the roster itself would send this apply (sendSignInCode: afterImport), if it sends any. */
  rosterCodes?: number;
  /** Sign-in reminders the next `up` would send (signInReminders), if any. */
  reminders?: number;
  /** `reminders` was counted without the state's record of earlier reminders: an upper bound. */
  remindersUpperBound?: boolean;
}

/** The JSON contract's `messaging` (README, "plan JSON"). */
export interface MessagingCapacity {
  emails: number;
  sms: number;
  /** Of `emails`: sign-in reminders (present when the stack sends any). */
  reminders?: number;
  emailSendingAccount: string;
  ses?: SesAccountReading & { region: string };
  sns?: { region: string; inSandbox: boolean; monthlySpendLimitUsd?: string };
  /** At most this many of the roster's own codes go out per apply; the rest stay owed for the next (absent: no cap). */
  codesPerApply?: number;
  /** Over a limit: the numbers, their sources and the fix. */
  warnings: string[];
  /** What could not be read or compared, and why. */
  notes: string[];
}

const COGNITO_EMAIL_SOURCE = "Amazon Cognito API reference, EmailConfigurationType";
const SES_SOURCE = "SES GetAccount";
const SES_SANDBOX_SOURCE = 'SES developer guide, "Request production access"';
const SMS_SANDBOX_SOURCE = 'AWS End User Messaging SMS user guide, "SMS/MMS and Voice sandbox"';

const plural = (n: number, word: string) => `${n.toLocaleString("en-GB")} ${word}${n === 1 ? "" : "s"}`;

/** What the engine read and what the change implies: kept in the plan, compared when it is rendered. */
export interface MessagingCheck {
  readings: MessagingReadings;
  demand: MessagingDemand;
}

/** A value read from the pool or from AWS, as the output shows it (core/untrusted-text.ts; JSON: as it is). */
type Show = (value: string) => string;

/**
 * Compares; `undefined` when the change sends nothing (no import, no code owed). `show` is applied to every value
 * read from the pool or AWS (Regions, error reasons, the spend limit) inside the warnings and notes.
 */
export function messagingCapacity({ readings, demand }: MessagingCheck, show: Show = (value) => value): MessagingCapacity | undefined {
  // Reminders go to trainees imported earlier: on top of this change's reset codes, never among them.
  const reminders = demand.reminders ?? 0;
  const emails = Math.max(demand.newTrainees, demand.rosterCodes ?? 0) + reminders;
  const sms = readings.smsMfa ? demand.newTrainees : 0;
  if (emails === 0 && sms === 0) return undefined;
  const out: MessagingCapacity = {
    emails,
    sms,
    ...(reminders > 0 ? { reminders } : {}),
    emailSendingAccount: readings.emailSendingAccount,
    warnings: [],
    notes: [],
  };
  if (reminders > 0 && demand.remindersUpperBound)
    out.notes.push(
      `sign-in reminders: ${plural(reminders, "trainee")} waited past everyDays, ` +
        "counted without the stack's record of earlier reminders (pass `--applied` a `pulumi stack export`), so an upper bound",
    );
  if (emails > 0) compareEmail(readings, emails, demand.rosterCodes ?? 0, reminders, out, show);
  if (sms > 0) compareSms(readings, sms, out, show);
  return out;
}

function compareEmail(
  readings: MessagingReadings,
  emails: number,
  rosterCodes: number,
  reminders: number,
  out: MessagingCapacity,
  show: Show,
): void {
  const implied =
    `this change implies ${plural(emails, "email")} (one reset code per new trainee` +
    `${rosterCodes > 0 ? ", and the codes the roster sends" : ""}` +
    `${reminders > 0 ? `, and ${plural(reminders, "sign-in reminder")}` : ""})`;
  if (readings.emailSendingAccount !== "DEVELOPER") {
    out.warnings.push(
      `email: ${implied}, and the pool sends with COGNITO_DEFAULT, which "allows only a limited number of emails each day" ` +
        `and is "below the required delivery volume" of typical production (${COGNITO_EMAIL_SOURCE}); ` +
        'AWS gives the daily figure on its "Quotas in Amazon Cognito" page, which this project could not confirm, ' +
        "so it is not compared. Fix: set EmailSendingAccount to DEVELOPER with an SES identity out of the SES sandbox.",
    );
    return;
  }
  const ses = readings.ses;
  if (!ses) return;
  if ("error" in ses) {
    out.notes.push(`could not read SES capacity: ${show(ses.error)}`);
    return;
  }
  out.ses = { ...ses, region: readings.sesRegion ?? "" };
  const region = readings.sesRegion ? show(readings.sesRegion) : "the pool's Region";
  if (!ses.productionAccess)
    out.warnings.push(
      `email: the SES account in ${region} is in the sandbox (${SES_SOURCE}: ProductionAccessEnabled false): ` +
        `it sends only to verified addresses, at most ${quota(ses.max24HourSend)} per 24 hours; ${implied}. ` +
        `Fix: request production access for ${region} (${SES_SANDBOX_SOURCE}).`,
    );
  const left = sesEmailsLeft(ses);
  if (left === undefined) return;
  if (rosterCodes > 0) out.codesPerApply = left;
  if (emails > left) {
    const days = ses.max24HourSend > 0 ? plural(Math.ceil((emails - left) / ses.max24HourSend) + 1, "day") : "no end: the quota is 0";
    const codesLater =
      rosterCodes > 0
        ? `; the roster sends at most ${left.toLocaleString("en-GB")} of its codes this apply and the rest on later applies`
        : "";
    out.warnings.push(
      `email: ${implied}, over what SES can send now: ${plural(left, "email")} left of ${quota(ses.max24HourSend)} per 24 hours ` +
        `(${SES_SOURCE}: Max24HourSend ${ses.max24HourSend}, SentLast24Hours ${ses.sentLast24Hours}), so about ${days}` +
        `${codesLater}. Fix: ask for a higher SES sending quota in ${region}, or import fewer trainees at a time.`,
    );
  }
}

function compareSms(readings: MessagingReadings, sms: number, out: MessagingCapacity, show: Show): void {
  const sns = readings.sns;
  if (!sns) return;
  if ("error" in sns) {
    out.notes.push(`could not read SNS SMS capacity: ${show(sns.error)}`);
    return;
  }
  out.sns = { region: readings.snsRegion ?? "", ...sns };
  const region = readings.snsRegion ? show(readings.snsRegion) : "the pool's Region";
  const implied = `this change implies ${plural(sms, "SMS message")} (one MFA code per new trainee at first sign-in)`;
  if (sns.inSandbox)
    out.warnings.push(
      `SMS: the account is in the SNS SMS sandbox in ${region} (GetSMSSandboxAccountStatus: IsInSandbox true): ` +
        `only verified destination numbers, up to 10, and "a monthly SMS spending limit of $1.00 (USD)" (${SMS_SANDBOX_SOURCE}); ` +
        `${implied}. Fix: move the account out of the SMS sandbox in ${region} and raise the spend limit before the first sign-in.`,
    );
  const spendLimit =
    sns.monthlySpendLimitUsd === undefined
      ? "not set (GetSMSAttributes returned none)"
      : `$${show(sns.monthlySpendLimitUsd)} (GetSMSAttributes: MonthlySpendLimit)`;
  out.notes.push(
    `SMS: ${implied}; the monthly spend limit is ${spendLimit}, ` +
      "and the price of one SMS depends on the destination country (AWS publishes no single figure), so the cost is not compared",
  );
}

/** What SES can still send in its 24-hour window (Max24HourSend − SentLast24Hours, at least 0); undefined: unlimited. */
export function sesEmailsLeft(ses: SesAccountReading): number | undefined {
  return ses.max24HourSend < 0 ? undefined : Math.max(0, ses.max24HourSend - ses.sentLast24Hours);
}

function quota(max24HourSend: number): string {
  return max24HourSend < 0 ? "unlimited" : plural(max24HourSend, "email");
}
