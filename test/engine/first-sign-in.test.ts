/**
 * Issue 10 item 3, end to end: a trainee imported by the roster (the engine's apply, on the emulator) sets a password
 * and signs in with unmodified SDK clients — InitiateAuth → PasswordResetRequiredException → ForgotPassword → the
 * code → ConfirmForgotPassword → InitiateAuth answers as the pool's MFA says. And the opt-in
 * `sendSignInCode: afterImport`: one AdminResetUserPassword per trainee whose import the run confirmed, counted in
 * the plan, recorded (digests only) as it goes, never twice, resumed after a crash.
 */
import {
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { createPool } from "../support/emulator-pool";
import type { PoolProfile } from "../../core/profile";
import { applyRoster, planRoster, type RosterRun } from "../../engine/reconcile";
import type { SignInCodeRecord } from "../../core/sign-in-code-record";
import { renderPlan } from "../../core/plan-report";
import { makeCheckout, range, traineeEmail, traineePhone, traineeProfile, type RosterCheckout } from "../support/roster-fixture";

const FAST = { pollMinMs: 20, pollMaxMs: 100, retryMinMs: 20 };
const PASSWORD = "N3w-Passw0rd!";

let emulator: RunningEmulator;
let admin: CognitoIdentityProviderClient;
/** The app's client: InitiateAuth, ForgotPassword and ConfirmForgotPassword are sent unsigned by the SDK. */
let app: CognitoIdentityProviderClient;
let checkout: RosterCheckout;
const savedEnv = { ...process.env };

beforeAll(async () => {
  emulator = await startEmulator();
  process.env.AWS_ENDPOINT_URL = emulator.endpoint;
  process.env.AWS_ACCESS_KEY_ID = "test";
  process.env.AWS_SECRET_ACCESS_KEY = "test";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  admin = new CognitoIdentityProviderClient({ region: "eu-west-2" });
  app = new CognitoIdentityProviderClient({ region: "eu-west-2", maxAttempts: 1 });
});
afterAll(async () => {
  admin.destroy();
  app.destroy();
  await emulator.stop();
  process.env = savedEnv;
});
beforeEach(() => {
  checkout = makeCheckout();
});
afterEach(() => checkout.cleanup());

async function newPool(overrides: Partial<PoolProfile> = {}): Promise<PoolProfile> {
  const profile = traineeProfile(overrides);
  await createPool(emulator, profile);
  return profile;
}

const runOf = (profile: PoolProfile, extra: Partial<RosterRun> = {}): RosterRun => ({
  profile,
  usersDir: checkout.usersDir,
  repoRoot: checkout.repoRoot,
  timing: FAST,
  ...extra,
});

async function appClientId(poolId: string): Promise<string> {
  const out = await admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: "trainee-app",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  return out.UserPoolClient?.ClientId as string;
}

const signIn = (clientId: string, username: string, password: string) =>
  app.send(
    new InitiateAuthCommand({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );

async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as Error).name;
  }
  return "no error";
}

/** Codes the emulator "sent" to users of this pool, for this reason. */
const codesFor = (poolId: string, reason: string) => emulator.sentCodes().filter((c) => c.userPoolId === poolId && c.reason === reason);

test("a trainee imported by the roster sets a password with ForgotPassword and signs in; MFA ON answers with its challenge", async () => {
  // As the dev stack: SMS is the second factor, every trainee has a mobile (need not be verified for SMS MFA).
  const profile = await newPool({ mfaFactors: ["sms"], contactPolicy: { email: "verified", phone_number: "present" } });
  checkout.write("london/2026-08.yaml", range(1, 2));
  const result = await applyRoster(runOf(profile));
  expect(result.imported).toBe(2);
  expect(result.signInCodes).toBeUndefined(); // the setting is off by default
  expect(emulator.sentCodes().filter((c) => c.userPoolId === profile.userPoolId)).toEqual([]); // an import sends nothing

  const clientId = await appClientId(profile.userPoolId);
  const trainee = traineeEmail(1);
  expect(await errorName(signIn(clientId, trainee, "Anything-1!"))).toBe("PasswordResetRequiredException");
  const delivery = await app.send(new ForgotPasswordCommand({ ClientId: clientId, Username: trainee }));
  expect(delivery.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "EMAIL", AttributeName: "email" });
  const [code] = codesFor(profile.userPoolId, "ForgotPassword");
  expect(code).toMatchObject({ username: trainee, destination: trainee });
  await app.send(
    new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: trainee, ConfirmationCode: code.code, Password: PASSWORD }),
  );
  const answer = await signIn(clientId, trainee, PASSWORD);
  // The pool's MFA is ON with SMS: the password is right and the code texted to the mobile comes next, not tokens.
  expect(answer.ChallengeName).toBe("SMS_MFA");
  expect(answer.ChallengeParameters).toEqual({
    CODE_DELIVERY_DELIVERY_MEDIUM: "SMS",
    CODE_DELIVERY_DESTINATION: `+${"*".repeat(traineePhone(1).length - 5)}${traineePhone(1).slice(-4)}`,
  });
  expect(answer.AuthenticationResult).toBeUndefined();
});

test("with MFA OFF the same path ends in tokens", async () => {
  const profile = await newPool({ mfaConfiguration: "OFF" });
  const file = [
    "defaults:",
    "  mfa_enabled: false",
    "  email_verified: true",
    "users:",
    `  - username: ${traineeEmail(7)}`,
    `    email: ${traineeEmail(7)}`,
    "",
  ].join("\n");
  mkdirSync(path.join(checkout.usersDir, "kss"));
  writeFileSync(path.join(checkout.usersDir, "kss", "intake.yaml"), file);
  expect((await applyRoster(runOf(profile))).imported).toBe(1);
  const clientId = await appClientId(profile.userPoolId);
  expect(await errorName(signIn(clientId, traineeEmail(7), "Anything-1!"))).toBe("PasswordResetRequiredException");
  await app.send(new ForgotPasswordCommand({ ClientId: clientId, Username: traineeEmail(7) }));
  const [code] = codesFor(profile.userPoolId, "ForgotPassword");
  await app.send(
    new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: traineeEmail(7), ConfirmationCode: code.code, Password: PASSWORD }),
  );
  expect((await signIn(clientId, traineeEmail(7), PASSWORD)).AuthenticationResult).toMatchObject({ TokenType: "Bearer" });
});

test("sendSignInCode: afterImport — counted in the plan, one code per new trainee, recorded as digests, never twice", async () => {
  const profile = await newPool({ sendSignInCode: "afterImport" });
  checkout.write("london/2026-08.yaml", range(1, 3));
  const saved: SignInCodeRecord[] = [];
  const planned = await planRoster(runOf(profile));
  expect(planned.plan.signInCodes).toBe(3);
  expect(renderPlan(planned.plan, "text", { awsCalls: 0 })).toMatch(/^3 trainees will receive a sign-in code$/m);
  expect(JSON.parse(renderPlan(planned.plan, "json", { awsCalls: 0 })).signInCodes).toBe(3);

  const first = await applyRoster(runOf(profile, { saveSignInCodes: (r) => saved.push(r) }));
  expect(first.signInCodes).toMatchObject({ sent: 3, pending: 0, uncertain: 0 });
  expect(
    codesFor(profile.userPoolId, "AdminResetUserPassword")
      .map((c) => c.username)
      .sort(),
  ).toEqual([1, 2, 3].map(traineeEmail));
  const record = first.signInCodes!.record;
  expect(record.sent).toHaveLength(3);
  expect(JSON.stringify(saved)).not.toMatch(/example|trainee/); // digests only
  // Written ahead: the batch was saved as sent before its calls were made.
  expect(saved.some((r) => r.sent.length === 3 && r.pending.length === 0)).toBe(true);

  // The code works: ConfirmForgotPassword with it sets the password.
  const clientId = await appClientId(profile.userPoolId);
  const code = codesFor(profile.userPoolId, "AdminResetUserPassword").find((c) => c.username === traineeEmail(2))!;
  await app.send(
    new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: traineeEmail(2), ConfirmationCode: code.code, Password: PASSWORD }),
  );
  // This pool's second factor is an authenticator app, which no imported trainee has set up yet.
  expect((await signIn(clientId, traineeEmail(2), PASSWORD)).ChallengeName).toBe("MFA_SETUP");

  // A new trainee later: only they get a code; the others never a second one.
  checkout.write("kss/2026-09.yaml", range(4, 4));
  const again = runOf(profile, { previous: first.applied, binding: first.binding, signInCodes: record });
  expect((await planRoster(again)).plan.signInCodes).toBe(1);
  const second = await applyRoster(again);
  expect(second.signInCodes).toMatchObject({ sent: 1, pending: 0 });
  expect(codesFor(profile.userPoolId, "AdminResetUserPassword")).toHaveLength(4);
  // Even a full re-check with the record: nothing is owed, nothing is sent.
  const third = await applyRoster(runOf(profile, { full: true, signInCodes: second.signInCodes!.record }));
  expect(third.signInCodes).toMatchObject({ sent: 0, pending: 0 });
  expect(codesFor(profile.userPoolId, "AdminResetUserPassword")).toHaveLength(4);
});

test("sendSignInCode: an apply that crashes after the import resumes: the next apply sends the codes owed, skips a trainee who set a password meanwhile", async () => {
  const profile = await newPool({ sendSignInCode: "afterImport" });
  checkout.write("london/2026-08.yaml", range(1, 3));
  let lastSaved: SignInCodeRecord | undefined;
  // Killed as soon as the job's outcome is recorded (3 owed), before the first batch is marked sent.
  const crashAfterRecordingPending = (r: SignInCodeRecord) => {
    if (lastSaved?.pending.length === 3) throw new Error("process killed");
    lastSaved = r;
  };
  await expect(applyRoster(runOf(profile, { saveSignInCodes: crashAfterRecordingPending }))).rejects.toThrow("process killed");
  expect(lastSaved?.pending).toHaveLength(3);
  expect(lastSaved?.awaiting).toBeUndefined();
  expect(codesFor(profile.userPoolId, "AdminResetUserPassword")).toHaveLength(0);

  // Meanwhile trainee 1 pressed "Forgot your password?" and set one: a reset now would lock them out again.
  const clientId = await appClientId(profile.userPoolId);
  await app.send(new ForgotPasswordCommand({ ClientId: clientId, Username: traineeEmail(1) }));
  const [forgot] = codesFor(profile.userPoolId, "ForgotPassword");
  await app.send(
    new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: traineeEmail(1), ConfirmationCode: forgot.code, Password: PASSWORD }),
  );

  const resumed = runOf(profile, { signInCodes: lastSaved });
  expect((await planRoster(resumed)).plan.signInCodes).toBe(3); // the plan counts what is owed; the apply checks each first
  const result = await applyRoster(resumed);
  expect(result.imported).toBe(0);
  expect(result.signInCodes).toMatchObject({ sent: 2, pending: 0 });
  expect(
    codesFor(profile.userPoolId, "AdminResetUserPassword")
      .map((c) => c.username)
      .sort(),
  ).toEqual([traineeEmail(2), traineeEmail(3)]);
  expect((await signIn(clientId, traineeEmail(1), PASSWORD)).ChallengeName).toBe("MFA_SETUP");
});

/** Every code the emulator delivered for this reason, by username: each must be 1. */
function deliveriesByUser(poolId: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of codesFor(poolId, "AdminResetUserPassword")) counts[c.username] = (counts[c.username] ?? 0) + 1;
  return counts;
}

test("sendSignInCode: owed ahead — an apply killed right after StartUserImportJob leaves its trainees awaiting the job; the next apply sends each exactly one code, by the job's evidence", async () => {
  const profile = await newPool({ sendSignInCode: "afterImport" });
  checkout.write("london/2026-08.yaml", range(1, 3));
  let saved: SignInCodeRecord | undefined;
  const killedAfterStart = runOf(profile, {
    saveSignInCodes: (r) => {
      saved = r;
    },
    afterStep: (step) => {
      if (step === "start") throw new Error("process killed");
    },
  });
  await expect(applyRoster(killedAfterStart)).rejects.toThrow("process killed");
  // Written before the start: the job's three trainees, under its id; nothing sent, nothing confirmed yet.
  expect(Object.values(saved?.awaiting ?? {}).flat()).toHaveLength(3);
  expect(saved?.pending).toEqual([]);
  expect(codesFor(profile.userPoolId, "AdminResetUserPassword")).toHaveLength(0);

  const resumed = runOf(profile, { signInCodes: saved, saveSignInCodes: (r) => (saved = r) });
  const planned = await planRoster(resumed);
  expect(planned.plan.signInCodes).toBe(3);
  expect(planned.plan.signInCodeLedger).toMatchObject({ awaiting: 3, sent: 0 });
  const result = await applyRoster(resumed);
  expect(result.imported).toBe(0); // the killed run's job imported them
  expect(result.signInCodes).toMatchObject({ sent: 3, pending: 0, awaiting: 0, uncertain: 0, refused: 0 });
  expect(deliveriesByUser(profile.userPoolId)).toEqual({ [traineeEmail(1)]: 1, [traineeEmail(2)]: 1, [traineeEmail(3)]: 1 });
  // And never again.
  const again = await applyRoster(runOf(profile, { signInCodes: result.signInCodes!.record, full: true }));
  expect(again.signInCodes).toMatchObject({ sent: 0, pending: 0 });
  expect(codesFor(profile.userPoolId, "AdminResetUserPassword")).toHaveLength(3);
});

test("sendSignInCode: killed before the start (owed ahead, job never started) — the next apply imports and sends once", async () => {
  const profile = await newPool({ sendSignInCode: "afterImport" });
  checkout.write("london/2026-08.yaml", range(1, 2));
  let saved: SignInCodeRecord | undefined;
  const killedAtFirstSave = (r: SignInCodeRecord) => {
    saved = r;
    throw new Error("process killed");
  };
  await expect(applyRoster(runOf(profile, { saveSignInCodes: killedAtFirstSave }))).rejects.toThrow("process killed");
  expect(Object.values(saved?.awaiting ?? {}).flat()).toHaveLength(2);
  const result = await applyRoster(runOf(profile, { signInCodes: saved }));
  expect(result.imported).toBe(2);
  expect(result.signInCodes).toMatchObject({ sent: 2, pending: 0, awaiting: 0 });
  expect(deliveriesByUser(profile.userPoolId)).toEqual({ [traineeEmail(1)]: 1, [traineeEmail(2)]: 1 });
});

test("sendSignInCode: trainees an earlier job imported are not sent a code by a later apply that finds them in the pool", async () => {
  const profile = await newPool({ sendSignInCode: "afterImport" });
  checkout.write("london/2026-08.yaml", range(1, 2));
  // Another run imported them (with codes of its own ledger, or none): this run's ledger owes them nothing.
  await applyRoster(runOf({ ...profile, sendSignInCode: "off" }));
  checkout.write("kss/2026-09.yaml", range(3, 3));
  const result = await applyRoster(runOf(profile, { full: true }));
  expect(result.imported).toBe(1);
  expect(deliveriesByUser(profile.userPoolId)).toEqual({ [traineeEmail(3)]: 1 });
});

test("sendSignInCode: the ledger is bound to the pool — a pool deleted and re-created under the same id gets its trainees back and their codes", async () => {
  const profile = await newPool({ sendSignInCode: "afterImport" });
  checkout.write("london/2026-08.yaml", range(1, 2));
  const first = await applyRoster(runOf(profile));
  expect(first.signInCodes).toMatchObject({ sent: 2 });
  expect(first.signInCodes?.record.pool).toBeDefined();
  // The same pool id, created anew (another ARN or creation date): the emulator keeps the old one per id, so a new
  // emulator serves the re-created pool.
  const old = emulator;
  emulator = await startEmulator();
  process.env.AWS_ENDPOINT_URL = emulator.endpoint;
  try {
    await createPool(emulator, profile);
    const progress: string[] = [];
    const rerun = runOf(profile, {
      previous: first.applied,
      binding: first.binding,
      signInCodes: first.signInCodes!.record,
      progress: (m) => progress.push(m),
    });
    const planned = await planRoster(rerun);
    expect(planned.plan.signInCodes).toBe(2);
    const result = await applyRoster(rerun);
    expect(result.imported).toBe(2);
    expect(result.signInCodes).toMatchObject({ sent: 2 });
    expect(progress.some((m) => m.startsWith("the sign-in code record describes another pool"))).toBe(true);
    expect(deliveriesByUser(profile.userPoolId)).toEqual({ [traineeEmail(1)]: 1, [traineeEmail(2)]: 1 });
  } finally {
    await emulator.stop();
    emulator = old;
    process.env.AWS_ENDPOINT_URL = old.endpoint;
  }
});

test("sendSignInCode: AdminResetUserPassword answered by nobody (the code went out, the answer was lost) — counted unknown, never repeated, reported by the plan", async () => {
  const profile = await newPool({ sendSignInCode: "afterImport" });
  checkout.write("london/2026-08.yaml", range(1, 2));
  emulator.faults.dropAnswer("AdminResetUserPassword", 1);
  try {
    const result = await applyRoster(runOf(profile));
    expect(result.signInCodes).toMatchObject({ sent: 1, uncertain: 1, pending: 0 });
    expect(result.signInCodes?.record.unknown).toHaveLength(1);
    expect(deliveriesByUser(profile.userPoolId)).toEqual({ [traineeEmail(1)]: 1, [traineeEmail(2)]: 1 });
    const next = runOf(profile, { previous: result.applied, binding: result.binding, signInCodes: result.signInCodes!.record });
    const planned = await planRoster(next);
    expect(planned.plan.signInCodes).toBe(0);
    expect(planned.plan.signInCodeLedger).toEqual({ awaiting: 0, sent: 2, unknown: 1, refused: 0 });
    expect(renderPlan(planned.plan, "text", { awsCalls: 0 })).toMatch(
      /^sign-in codes so far: 2 sent \(1 of them unanswered, possibly sent\), 0 refused, 0 owed/m,
    );
  } finally {
    emulator.faults.clear();
  }
});

test.each(["CreateUserImportJob", "StartUserImportJob", "AdminResetUserPassword"])(
  "sendSignInCode: the answer to %s is lost after Cognito acted — the run recognises its own job, imports once and sends each trainee one code",
  async (operation) => {
    const profile = await newPool({ sendSignInCode: "afterImport" });
    checkout.write("london/2026-08.yaml", range(1, 3));
    const progress: string[] = [];
    emulator.resetCallCounts();
    emulator.faults.dropAnswer(operation, 1);
    try {
      const result = await applyRoster(runOf(profile, { progress: (m) => progress.push(m) }));
      expect(result.imported).toBe(3);
      expect(result.jobs).toHaveLength(1);
      expect(progress.filter((m) => /another run|another roster run/.test(m))).toEqual([]);
      const unknown = operation === "AdminResetUserPassword" ? 1 : 0;
      expect(result.signInCodes).toMatchObject({ sent: 3 - unknown, uncertain: unknown, pending: 0, awaiting: 0 });
    } finally {
      emulator.faults.clear();
    }
    expect(deliveriesByUser(profile.userPoolId)).toEqual({ [traineeEmail(1)]: 1, [traineeEmail(2)]: 1, [traineeEmail(3)]: 1 });
    // The HTTP level agrees: one request per code delivered, and one job created and started.
    expect(emulator.callCounts().AdminResetUserPassword).toBe(3);
    expect(emulator.callCounts().CreateUserImportJob).toBe(1);
    expect(emulator.callCounts().StartUserImportJob).toBe(1);
  },
);
