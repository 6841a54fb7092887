/**
 * Pools with UsernameAttributes (email and/or phone_number as the username), through unmodified SDK clients.
 * Sources: developer guide "Customizing sign-in attributes" → "Option 2" (the username given must be an email or
 * phone number, it populates that attribute, the pool generates a UUID username equal to the `sub`, a value in use is
 * refused); API reference AdminCreateUser `Username` ("Amazon Cognito automatically generates a username value"),
 * AdminGetUser `Username` ("it can be any of their alias attributes"), ListUsers `Filter` (email, phone_number);
 * the import CSV page ("Creating the user import CSV file": `cognito:username` required and unique in the pool).
 */
import { AdminGetUserCommand, AdminUpdateUserAttributesCommand, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import { csvOf, errorOf, runImport, startHarness, stopHarness, testProfile, userValues, type Harness, type TestPool } from "./helpers";

let h: Harness | undefined;
afterEach(async () => {
  await stopHarness(h);
  h = undefined;
});

async function harness(pool: Partial<TestPool>): Promise<{ h: Harness; poolId: string }> {
  const p = testProfile({ mfaConfiguration: "OFF", ...pool });
  h = await startHarness({}, [p]);
  return { h, poolId: p.userPoolId };
}

const row = (i: number, extra: Record<string, string> = {}) => userValues(i, { "cognito:mfa_enabled": "FALSE", ...extra });

test("UsernameAttributes [email]: an import row's cognito:username is the email; the user's username is generated and equals its sub", async () => {
  const { h, poolId } = await harness({ usernameAttributes: ["email"] });
  const { job } = await runImport(h, await csvOf(h, [row(1)], poolId), poolId);
  expect(job).toMatchObject({ ImportedUsers: 1, FailedUsers: 0 });
  const byEmail = await h.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "user1@example.nhs.uk" }));
  const sub = byEmail.UserAttributes?.find((a) => a.Name === "sub")?.Value;
  expect(byEmail.Username).toBe(sub);
  expect(byEmail.UserStatus).toBe("RESET_REQUIRED");
  // ListUsers names the user by its generated username; a filter by email finds it.
  const listed = await h.cognito.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'email = "user1@example.nhs.uk"' }));
  expect(listed.Users?.map((u) => u.Username)).toEqual([sub]);
});

test("UsernameAttributes [email]: a cognito:username that is no email, or differs from the email column, fails the row; an email in use is SKIPPED", async () => {
  const { h, poolId } = await harness({ usernameAttributes: ["email"] });
  await runImport(h, await csvOf(h, [row(1)], poolId), poolId, "first");
  const { job, lines } = await runImport(
    h,
    await csvOf(h, [row(2, { "cognito:username": "user2" }), row(3, { "cognito:username": "other3@example.nhs.uk" }), row(1)], poolId),
    poolId,
    "second",
  );
  expect(job).toMatchObject({ ImportedUsers: 0, FailedUsers: 2, SkippedUsers: 1 });
  expect(lines).toEqual(
    expect.arrayContaining([
      "[FAILED] Line Number 1 - InvalidParameterException: Username should be an email.",
      "[FAILED] Line Number 2 - InvalidParameterException: User email should be empty or same as username, since username attribute is email.",
      "[SKIPPED] Line Number 3 - The user already exists.",
    ]),
  );
});

test("UsernameAttributes [phone_number]: cognito:username is the E.164 phone; the user is reached by it", async () => {
  const { h, poolId } = await harness({ usernameAttributes: ["phone_number"] });
  const phone = "+447700900201";
  const { job, lines } = await runImport(
    h,
    await csvOf(h, [row(201, { "cognito:username": phone }), row(202, { "cognito:username": "user202@example.nhs.uk" })], poolId),
    poolId,
  );
  expect(job).toMatchObject({ ImportedUsers: 1, FailedUsers: 1 });
  expect(lines).toContain("[FAILED] Line Number 2 - InvalidParameterException: Username should be a phone number.");
  const user = await h.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: phone }));
  expect(user.UserAttributes?.find((a) => a.Name === "phone_number")?.Value).toBe(phone);
  expect(user.Username).toMatch(/^[0-9a-f-]{36}$/);
});

test("UsernameAttributes [email]: AdminUpdateUserAttributes moves the sign-in email (same sub), and refuses one another user signs in with (AliasExistsException)", async () => {
  const { h, poolId } = await harness({ usernameAttributes: ["email"] });
  await runImport(h, await csvOf(h, [row(1), row(2)], poolId), poolId);
  const before = await h.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "user1@example.nhs.uk" }));
  const update = (username: string, email: string) =>
    h.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
  expect(await errorOf(update("user1@example.nhs.uk", "USER2@example.nhs.uk"))).toMatchObject({
    name: "AliasExistsException",
    message: "An account with the given email already exists.",
  });
  await update("user1@example.nhs.uk", "user1.new@example.nhs.uk");
  const after = await h.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "user1.new@example.nhs.uk" }));
  expect(after.Username).toBe(before.Username);
  expect((await errorOf(h.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "user1@example.nhs.uk" })))).name).toBe(
    "UserNotFoundException",
  );
});
