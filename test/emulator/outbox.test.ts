/**
 * The emulator's outbox (emulator/README.md "Outbox"): reset codes and AdminCreateUser invitations, oldest first, at
 * GET /_emulator/outbox, narrowed by pool and username; SUPPRESS sends nothing; `cognito-roster emulator outbox` prints the
 * same list. Unmodified SDK clients; plain `fetch` for the extension.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { AdminCreateUserCommand, AdminResetUserPasswordCommand } from "@aws-sdk/client-cognito-identity-provider";
import { startHarness, stopHarness, testProfile, type Harness } from "./helpers";

const run = promisify(execFile);
const ROSTER = path.resolve(__dirname, "../..", "bin", "cognito-roster.js");
const POOL = testProfile().userPoolId;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, [testProfile({ mfaConfiguration: "OFF" })]);
});
afterAll(() => stopHarness(h));

async function outbox(query = ""): Promise<{ Messages: Record<string, string>[] }> {
  const response = await fetch(`${h.emulator.endpoint}/_emulator/outbox${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { Messages: Record<string, string>[] };
}

const user = (name: string, extra: { Name: string; Value: string }[] = []) => [
  { Name: "email", Value: `${name}@example.com` },
  { Name: "email_verified", Value: "true" },
  ...extra,
];

test("invitations (by medium, none when suppressed) and reset codes, oldest first, narrowed by username", async () => {
  await h.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: POOL,
      Username: "quiet@example.com",
      UserAttributes: user("quiet"),
      MessageAction: "SUPPRESS",
    }),
  );
  await h.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: POOL,
      Username: "invited@example.com",
      TemporaryPassword: "Temp-Passw0rd!",
      UserAttributes: user("invited", [{ Name: "phone_number", Value: "+447700900123" }]),
      DesiredDeliveryMediums: ["EMAIL", "SMS"],
    }),
  );
  // The default medium is SMS: a user with no phone number gets no invitation.
  await h.cognito.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: "nophone@example.com", UserAttributes: user("nophone") }));
  await h.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: POOL, Username: "quiet@example.com" }));

  const all = (await outbox()).Messages;
  expect(all.map((m) => [m.Username, m.Reason, m.DeliveryMedium, m.Destination])).toEqual([
    ["invited@example.com", "AdminCreateUser", "EMAIL", "invited@example.com"],
    ["invited@example.com", "AdminCreateUser", "SMS", "+447700900123"],
    ["quiet@example.com", "AdminResetUserPassword", "EMAIL", "quiet@example.com"],
  ]);
  expect(all[0]).toMatchObject({ UserPoolId: POOL, Code: "Temp-Passw0rd!", SentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
  expect(all[2].Code).toMatch(/^\d{6}$/);
  expect(h.emulator.sentCodes()).toHaveLength(3);
  expect((await outbox("?username=quiet%40example.com")).Messages.map((m) => m.Reason)).toEqual(["AdminResetUserPassword"]);
  expect((await outbox("?userPoolId=eu-west-2_Other")).Messages).toEqual([]);

  const printed = await run(process.execPath, [
    ROSTER,
    "emulator",
    "outbox",
    "--endpoint",
    h.emulator.endpoint,
    "--username",
    "quiet@example.com",
  ]);
  expect(printed.stdout).toMatch(/^\S+Z AdminResetUserPassword EMAIL quiet@example\.com quiet@example\.com \d{6}\n$/);
});

test("cognito-roster emulator outbox refuses an endpoint that is not on this machine (exit 2), and says when none answers (exit 1)", async () => {
  const refused = await run(process.execPath, [
    ROSTER,
    "emulator",
    "outbox",
    "--endpoint",
    "https://cognito-idp.eu-west-2.amazonaws.com",
  ]).catch((e: { code: number; stderr: string }) => e);
  expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining("only the local emulator has an outbox") });
  const none = await run(process.execPath, [ROSTER, "emulator", "outbox", "--endpoint", "http://127.0.0.1:9"]).catch(
    (e: { code: number; stderr: string }) => e,
  );
  expect(none).toMatchObject({ code: 1, stderr: expect.stringContaining("is the emulator running?") });
});
