/**
 * core/reminder-ses-quota.ts, pure: how many reminders a round may mark against the pool's SES quota (DEVELOPER
 * email), what `lastMark` adds, and the progress line — SES's own figures, no personal data; a failed read marks
 * uncapped and says why.
 */
import { reminderMarkCap, type ReminderSesQuota, sesDeferral, sesQuotaLine } from "../../core/reminder-ses-quota";

const reading = (max24HourSend: number, sentLast24Hours: number) => ({
  productionAccess: true,
  max24HourSend,
  maxSendRate: 14,
  sentLast24Hours,
});
const quota = (max: number, sent: number): ReminderSesQuota => ({ region: "eu-west-2", reading: reading(max, sent) });
const failed: ReminderSesQuota = { region: "eu-west-2", reading: { error: "AccessDeniedException" } };

test.each([
  ["COGNITO_DEFAULT (no reading)", undefined, undefined],
  ["unlimited (Max24HourSend -1)", quota(-1, 50), undefined],
  ["the read failed", failed, undefined],
  ["200 a day, 198 sent", quota(200, 198), 2],
  ["200 a day, none sent", quota(200, 0), 200],
  ["sent more than the quota (it was lowered)", quota(200, 250), 0],
  ["a quota of 0", quota(0, 0), 0],
])("the cap: %s → %s", (_name, ses, cap) => {
  expect(reminderMarkCap(ses)).toBe(cap);
});

test.each([
  ["nothing deferred", quota(200, 198), undefined, undefined],
  ["deferred", quota(200, 198), 3, { deferred: 3, sesEmailsLeft: 2 }],
  ["no reading", undefined, 3, undefined],
  ["the read failed", failed, undefined, undefined],
])("lastMark's deferral: %s", (_name, ses, deferred, expected) => {
  expect(sesDeferral(ses, deferred)).toEqual(expected);
});

test("the progress line: the numbers when some are left for later, the reason when the read failed, else none", () => {
  expect(sesQuotaLine(quota(200, 198), 3)).toBe(
    "sign-in reminders: 3 more due left unmarked for a later round (they keep every reminder): " +
      "SES in eu-west-2 can send 2 more email(s) now (SES GetAccount: Max24HourSend 200, SentLast24Hours 198)",
  );
  expect(sesQuotaLine(failed, undefined)).toBe(
    "sign-in reminders: could not read the SES sending quota in eu-west-2 (AccessDeniedException); marked without a cap",
  );
  expect(sesQuotaLine({ region: "eu-west-2", reading: { error: "Bad\u001b[31mName" } }, undefined)).not.toContain("\u001b");
  expect(sesQuotaLine(quota(200, 0), undefined)).toBeUndefined();
  expect(sesQuotaLine(quota(-1, 0), undefined)).toBeUndefined();
  expect(sesQuotaLine(undefined, undefined)).toBeUndefined();
});
