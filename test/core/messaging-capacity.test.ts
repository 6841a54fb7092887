/**
 * core/messaging-capacity.ts as a table: what a change implies against what the pool can send (issue 19.2).
 */
import { type MessagingCheck, messagingCapacity } from "../../core/messaging-capacity";
import { markdownCode } from "../../core/untrusted-text";

const productionSes = { productionAccess: true, max24HourSend: 50_000, maxSendRate: 14, sentLast24Hours: 0 };
const developer = (ses: MessagingCheck["readings"]["ses"]) => ({
  emailSendingAccount: "DEVELOPER",
  sesRegion: "eu-west-2",
  ses,
  smsMfa: false,
});

const cases: [string, MessagingCheck, { emails: number; sms: number; warnings: RegExp[]; notes?: RegExp[]; codesPerApply?: number }][] = [
  [
    "COGNITO_DEFAULT, 2,000 new trainees: warned, figure unpublished here, fix named",
    { readings: { emailSendingAccount: "COGNITO_DEFAULT", smsMfa: false }, demand: { newTrainees: 2000 } },
    {
      emails: 2000,
      sms: 0,
      warnings: [/implies 2,000 emails.*COGNITO_DEFAULT.*could not confirm.*Fix: set EmailSendingAccount to DEVELOPER/],
    },
  ],
  [
    "SES sandbox: sandbox and quota warnings",
    {
      readings: developer({ productionAccess: false, max24HourSend: 200, maxSendRate: 1, sentLast24Hours: 0 }),
      demand: { newTrainees: 450 },
    },
    {
      emails: 450,
      sms: 0,
      warnings: [/in the sandbox .*at most 200 emails per 24 hours/, /200 emails left of 200 emails per 24 hours.*about 3 days/],
    },
  ],
  [
    "production SES with room: nothing to say",
    { readings: developer(productionSes), demand: { newTrainees: 300 } },
    { emails: 300, sms: 0, warnings: [] },
  ],
  [
    "production SES, unlimited quota (-1): no warning, no cap",
    { readings: developer({ ...productionSes, max24HourSend: -1 }), demand: { newTrainees: 10, rosterCodes: 10 } },
    { emails: 10, sms: 0, warnings: [] },
  ],
  [
    "the roster's codes over what is left: capped, the rest on later applies",
    {
      readings: developer({ ...productionSes, max24HourSend: 1000, sentLast24Hours: 900 }),
      demand: { newTrainees: 150, rosterCodes: 160 },
    },
    {
      emails: 160,
      sms: 0,
      codesPerApply: 100,
      warnings: [/160 emails.*100 emails left of 1,000 emails.*roster sends at most 100 of its codes this apply/],
    },
  ],
  [
    "SES unreadable: a note, no warning",
    { readings: developer({ error: "AccessDeniedException" }), demand: { newTrainees: 5 } },
    { emails: 5, sms: 0, warnings: [], notes: [/^could not read SES capacity: AccessDeniedException$/] },
  ],
  [
    "SMS MFA in the SMS sandbox",
    {
      readings: {
        emailSendingAccount: "DEVELOPER",
        sesRegion: "eu-west-2",
        ses: productionSes,
        smsMfa: true,
        snsRegion: "eu-west-1",
        sns: { inSandbox: true, monthlySpendLimitUsd: "1" },
      },
      demand: { newTrainees: 40 },
    },
    {
      emails: 40,
      sms: 40,
      warnings: [/SNS SMS sandbox in eu-west-1 .*\$1\.00.*implies 40 SMS messages/],
      notes: [/monthly spend limit is \$1 .*not compared/],
    },
  ],
];

test.each(cases)("%s", (_name, check, expected) => {
  const out = messagingCapacity(check);
  expect(out).toBeDefined();
  expect({ emails: out?.emails, sms: out?.sms }).toEqual({ emails: expected.emails, sms: expected.sms });
  expect(out?.warnings).toHaveLength(expected.warnings.length);
  for (const [i, re] of expected.warnings.entries()) expect(out?.warnings[i]).toMatch(re);
  expect(out?.notes).toHaveLength(expected.notes?.length ?? 0);
  for (const re of expected.notes ?? []) expect(out?.notes.some((n) => re.test(n))).toBe(true);
  expect(out?.codesPerApply).toBe(expected.codesPerApply);
});

test("a change that sends nothing compares nothing", () => {
  expect(
    messagingCapacity({ readings: { emailSendingAccount: "COGNITO_DEFAULT", smsMfa: true }, demand: { newTrainees: 0 } }),
  ).toBeUndefined();
});

test("values read from the pool or AWS go through the one escaping path", () => {
  const out = messagingCapacity(
    { readings: { ...developer({ error: "Evil`\u202e**x**" }), sesRegion: "eu-west-2" }, demand: { newTrainees: 1 } },
    markdownCode,
  );
  expect(out?.notes[0]).toBe(`could not read SES capacity: ${markdownCode("Evil`\u202e**x**")}`);
  expect(out?.notes[0]).not.toContain("\u202e");
});
