/**
 * The plan's messaging capacity (issue 19.2), on the emulator: the pool's EmailConfiguration and SMS MFA (DescribeUserPool,
 * GetUserPoolMfaConfig), SES's quota and sandbox (GetAccount), SNS's SMS sandbox and spend limit
 * (GetSMSSandboxAccountStatus, GetSMSAttributes), compared with the trainees the change imports.
 */
import { applyRoster, planRoster, type RosterRun } from "../../engine/reconcile";
import { renderPlan } from "../../core/plan-report";
import type { PoolProfile } from "../../core/profile";
import { createPool, useEngineWorld } from "../support/emulator-pool";
import { range, traineeEmail, traineeProfile } from "../support/roster-fixture";
import { usernameDigest } from "../../core/user-digest";

const world = useEngineWorld();
beforeEach(() => {
  // A new account's defaults, as AWS documents them, unless a test sets otherwise.
  world.emulator.messaging.set({
    ses: { productionAccessEnabled: false, max24HourSend: 200, maxSendRate: 1, sentLast24Hours: 0 },
    sns: { isInSandbox: true, monthlySpendLimit: "1" },
    denied: [],
  });
});

const runOf = (profile: PoolProfile): RosterRun => world.runOf(profile);

async function planned(profile: PoolProfile, trainees: number) {
  await createPool(world.emulator, profile);
  world.checkout.write("london/a.yaml", range(1, trainees));
  const result = await planRoster(runOf(profile));
  const text = renderPlan(result.plan, "text", { awsCalls: result.awsCalls });
  const markdown = renderPlan(result.plan, "markdown", { awsCalls: result.awsCalls });
  const json = JSON.parse(renderPlan(result.plan, "json", { awsCalls: result.awsCalls }));
  return { result, text, markdown, json };
}

test("a COGNITO_DEFAULT pool and a 2,000-trainee change: a warning with the number, its source and the fix, near the top", async () => {
  const { text, markdown, json } = await planned(traineeProfile({ emailSendingAccount: "COGNITO_DEFAULT" }), 2000);
  expect(text).toMatch(
    /WARNING \(messaging capacity\): email: this change implies 2,000 emails .*COGNITO_DEFAULT.*EmailConfigurationType.*Fix: set EmailSendingAccount to DEVELOPER/,
  );
  // Near the top: before the sections, so a plan cut for length keeps it.
  expect(text.indexOf("WARNING (messaging capacity)")).toBeLessThan(text.indexOf("Import (2000)"));
  expect(text).toContain("\n\nWARNING (messaging capacity): email:");
  expect(markdown).toContain("> **Warning, messaging capacity:** email: this change implies 2,000 emails");
  expect(json.messaging).toMatchObject({ emails: 2000, sms: 0, emailSendingAccount: "COGNITO_DEFAULT", notes: [] });
  expect(json.messaging.warnings).toHaveLength(1);
  // COGNITO_DEFAULT sends through no SES account of ours: SES is not asked.
  expect(world.emulator.callCounts().GetAccount).toBeUndefined();
});

test("a DEVELOPER pool whose SES account is in the sandbox: warnings with SES's own figures", async () => {
  const { json, text } = await planned(traineeProfile({ emailSendingAccount: "DEVELOPER" }), 250);
  expect(json.messaging.ses).toMatchObject({ region: "eu-west-2", productionAccess: false, max24HourSend: 200, sentLast24Hours: 0 });
  expect(text).toContain("email: the SES account in eu-west-2 is in the sandbox (SES GetAccount: ProductionAccessEnabled false)");
  expect(text).toMatch(
    /this change implies 250 emails .*over what SES can send now: 200 emails left of 200 emails per 24 hours \(SES GetAccount: Max24HourSend 200, SentLast24Hours 0\), so about 2 days/,
  );
});

test("production SES with enough quota: no warning", async () => {
  world.emulator.messaging.set({ ses: { productionAccessEnabled: true, max24HourSend: 50_000, maxSendRate: 14, sentLast24Hours: 10 } });
  const { json, text } = await planned(traineeProfile({ emailSendingAccount: "DEVELOPER" }), 30);
  expect(json.messaging).toMatchObject({ emails: 30, warnings: [], notes: [] });
  expect(text).not.toContain("WARNING");
});

test("SMS MFA in the SNS SMS sandbox: a warning with the SMS count and the sandbox's documented limits", async () => {
  world.emulator.messaging.set({ ses: { productionAccessEnabled: true, max24HourSend: 50_000 } });
  const profile = traineeProfile({ emailSendingAccount: "DEVELOPER", mfaConfiguration: "ON", mfaFactors: ["sms"] });
  const { json, text } = await planned(profile, 12);
  expect(json.messaging).toMatchObject({ emails: 12, sms: 12, sns: { region: "eu-west-2", inSandbox: true, monthlySpendLimitUsd: "1" } });
  expect(text).toMatch(
    /WARNING \(messaging capacity\): SMS: the account is in the SNS SMS sandbox in eu-west-2 .*this change implies 12 SMS messages/,
  );
  expect(text).toContain("the monthly spend limit is $1 (GetSMSAttributes: MonthlySpendLimit)");
  expect(world.emulator.callCounts()).toMatchObject({
    GetSMSSandboxAccountStatus: expect.any(Number),
    GetSMSAttributes: expect.any(Number),
  });
});

test("without the read permissions: 'could not read …' in the plan, which still succeeds", async () => {
  world.emulator.messaging.set({ denied: ["GetAccount", "GetSMSSandboxAccountStatus"] });
  const profile = traineeProfile({ emailSendingAccount: "DEVELOPER", mfaConfiguration: "ON", mfaFactors: ["sms"] });
  const { json, text } = await planned(profile, 3);
  expect(json.messaging.notes).toEqual(
    expect.arrayContaining([
      "could not read SES capacity: AccessDeniedException",
      "could not read SNS SMS capacity: AuthorizationErrorException",
    ]),
  );
  expect(text).toContain("messaging: could not read SES capacity: AccessDeniedException");
});

test("a plan that sends nothing reads nothing", async () => {
  const profile = traineeProfile({ emailSendingAccount: "DEVELOPER" });
  await createPool(world.emulator, profile);
  world.checkout.write("london/a.yaml", range(1, 2));
  const applied = await applyRoster(runOf(profile));
  const before = world.emulator.callCounts().GetAccount ?? 0;
  const result = await planRoster({ ...runOf(profile), previous: applied.applied, binding: applied.binding });
  expect(result.plan.messaging).toBeUndefined();
  expect(world.emulator.callCounts().GetAccount ?? 0).toBe(before);
});

test("the roster's own codes over SES's quota are spread over applies, not dropped", async () => {
  world.emulator.messaging.set({ ses: { productionAccessEnabled: true, max24HourSend: 100, sentLast24Hours: 95 } });
  const profile = traineeProfile({ emailSendingAccount: "DEVELOPER", sendSignInCode: "afterImport" });
  await createPool(world.emulator, profile);
  world.checkout.write("london/a.yaml", range(1, 8));
  const first = await applyRoster(runOf(profile));
  expect(first.signInCodes).toMatchObject({ sent: 5, pending: 3 });
  world.emulator.messaging.set({ ses: { sentLast24Hours: 0 } });
  const second = await applyRoster({
    ...runOf(profile),
    previous: first.applied,
    binding: first.binding,
    signInCodes: first.signInCodes?.record,
  });
  expect(second.signInCodes).toMatchObject({ sent: 3, pending: 0 });
});

test("the sign-in reminders the next up would send count with the emails: from the state's record, else an upper bound", async () => {
  world.emulator.messaging.set({ ses: { productionAccessEnabled: true, max24HourSend: 4, sentLast24Hours: 0 } });
  const profile = traineeProfile({ emailSendingAccount: "DEVELOPER", signInReminders: { everyDays: 3, maxReminders: 2 } });
  await createPool(world.emulator, profile);
  world.checkout.write("london/a.yaml", range(1, 6));
  const applied = await applyRoster(runOf(profile));
  const inFourDays = { now: () => Date.now() + 4 * 86_400_000 };
  const later = { ...runOf(profile), previous: applied.applied, binding: applied.binding, calendar: inFourDays };
  // Nothing imported, but all 6 trainees have waited 4 days: 6 reminders; without the record, an upper bound.
  const unbound = await planRoster(later);
  const text = renderPlan(unbound.plan, "text", { awsCalls: unbound.awsCalls });
  expect(text).toContain(
    "email: this change implies 6 emails (one reset code per new trainee, and 6 sign-in reminders), over what SES can send now: 4 emails left",
  );
  expect(text).toContain("6 trainees waited past everyDays, counted without the stack's record of earlier reminders");
  expect(JSON.parse(renderPlan(unbound.plan, "json", { awsCalls: unbound.awsCalls })).messaging).toMatchObject({ emails: 6, reminders: 6 });
  // The state's record: trainees 1 and 2 had a reminder a day ago (not due), trainee 3 had both of his (capped).
  const digest = (n: number) => usernameDigest(profile.userPoolId, traineeEmail(n), profile.usernameCaseSensitive);
  const pool = applied.binding as { arn: string; createdAt: number };
  const yesterday = inFourDays.now() - 86_400_000;
  const reminders = {
    pool: { arn: pool.arn, createdAt: pool.createdAt },
    trainees: {
      [digest(1)]: { count: 1, lastAt: yesterday },
      [digest(2)]: { count: 1, lastAt: yesterday },
      [digest(3)]: { count: 2, lastAt: 0 },
    },
  };
  const bound = await planRoster({ ...later, reminders });
  const json = JSON.parse(renderPlan(bound.plan, "json", { awsCalls: bound.awsCalls }));
  expect(json.messaging).toMatchObject({ emails: 3, reminders: 3, warnings: [] });
  expect(json.messaging.notes).toEqual([]);
  // A stack without the setting: no reminders, no messaging read for a plan that changes nothing.
  const off = await planRoster({ ...later, profile: { ...profile, signInReminders: undefined } });
  expect(off.plan.messaging).toBeUndefined();
});
