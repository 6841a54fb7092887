/** §3 of the reference: the CSV rules, and the dialect's edge cases, as the import judges them. */
import { AdminGetUserCommand, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import { csvOf, header, row, runImport, startHarness, stopHarness, testProfile, userValues, type Harness } from "./helpers";

const POOL = testProfile().userPoolId;
let h: Harness;
beforeEach(async () => {
  h = await startHarness({ failureThreshold: 1_000_000 });
});
afterEach(async () => stopHarness(h));

async function attrs(username: string): Promise<Record<string, string | undefined>> {
  const u = await h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: username }));
  return Object.fromEntries((u.UserAttributes ?? []).map((a) => [a.Name as string, a.Value]));
}

describe("CSV rules", () => {
  test('"Column order does not matter, but every header column must be present; values may be blank"', async () => {
    const cols = (await header(h)).reverse();
    const csv = [cols.join(","), row(cols, userValues(1))].join("\n");
    expect((await runImport(h, csv)).job.Status).toBe("Succeeded");
    const missing = cols.filter((c) => c !== "nickname");
    const { job } = await runImport(h, [missing.join(","), row(missing, userValues(2))].join("\n"), POOL, "missing");
    expect(job).toMatchObject({ Status: "Failed", ImportedUsers: 0 });
  });

  test("a header with an unexpected column makes the file unparseable", async () => {
    const cols = [...(await header(h)), "custom:unknown"];
    const { job } = await runImport(h, [cols.join(","), row(cols, userValues(1))].join("\n"));
    expect(job).toMatchObject({ Status: "Failed", ImportedUsers: 0 });
  });

  test('"cognito:username (unique in the pool; any Unicode string without spaces or tabs)"', async () => {
    const { lines } = await runImport(
      h,
      await csvOf(h, [
        userValues(1, { "cognito:username": "zoë.o'brien+1@example.com" }),
        userValues(2, { "cognito:username": "has\ttab" }),
        userValues(3, { "cognito:username": "" }),
      ]),
    );
    expect(lines[0]).toBe("[SUCCEEDED] Line Number 1 - The import succeeded.");
    expect(lines[1]).toMatch(/^\[FAILED\] Line Number 2 - /);
    expect(lines[2]).toMatch(/^\[FAILED\] Line Number 3 - /);
  });

  test('"Usernames that break a stricter house rule still import (Cognito only enforces its own pattern)"', async () => {
    const { job } = await runImport(h, await csvOf(h, [userValues(1, { "cognito:username": "NOT_AN_EMAIL" })]));
    expect(job.ImportedUsers).toBe(1);
  });

  test('"email if email_verified is true"', async () => {
    const { lines } = await runImport(h, await csvOf(h, [userValues(1, { email: "" })]));
    expect(lines[0]).toMatch(/^\[FAILED\] Line Number 1 - /);
  });

  test('"phone_number if phone_number_verified is true"', async () => {
    const { lines } = await runImport(h, await csvOf(h, [userValues(1, { phone_number: "", phone_number_verified: "true" })]));
    expect(lines[0]).toMatch(/^\[FAILED\] Line Number 1 - phone_number_verified/);
  });

  test('"every attribute the pool marks required"', async () => {
    await stopHarness(h);
    h = await startHarness({ failureThreshold: 100 }, [testProfile({ requiredAttributes: ["email", "family_name"] })]);
    const { lines } = await runImport(h, await csvOf(h, [userValues(1), userValues(2, { family_name: "Smith" })]));
    expect(lines).toEqual([
      "[FAILED] Line Number 1 - The required attribute family_name is missing.",
      "[SUCCEEDED] Line Number 2 - The import succeeded.",
    ]);
  });

  test('"a pool with exactly one auto-verified attribute needs that one verified for every user"', async () => {
    const { lines } = await runImport(h, await csvOf(h, [userValues(1, { email_verified: "false", phone_number_verified: "true" })]));
    expect(lines[0]).toBe(
      "[FAILED] Line Number 1 - The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).",
    );
  });

  test('"At least one auto-verified attribute must be true" — with two, either suffices', async () => {
    await stopHarness(h);
    h = await startHarness({}, [testProfile({ autoVerifiedAttributes: ["email", "phone_number"] })]);
    const { job } = await runImport(h, await csvOf(h, [userValues(1, { email_verified: "false", phone_number_verified: "true" })]));
    expect(job.Status).toBe("Succeeded");
  });

  test('"cognito:mfa_enabled: pool MFA ON → true"', async () => {
    const { lines } = await runImport(
      h,
      await csvOf(h, [userValues(1, { "cognito:mfa_enabled": "false" }), userValues(2, { "cognito:mfa_enabled": "" })]),
    );
    expect(lines.map((l) => l.slice(0, "[FAILED]".length))).toEqual(["[FAILED]", "[FAILED]"]);
  });

  test('"OFF → false"', async () => {
    await stopHarness(h);
    h = await startHarness({ failureThreshold: 10 }, [testProfile({ mfaConfiguration: "OFF" })]);
    const { lines } = await runImport(
      h,
      await csvOf(h, [userValues(1, { "cognito:mfa_enabled": "true" }), userValues(2, { "cognito:mfa_enabled": "FALSE" })]),
    );
    expect(lines[0]).toMatch(/^\[FAILED\]/);
    expect(lines[1]).toMatch(/^\[SUCCEEDED\]/);
  });

  test('"OPTIONAL → either but not blank"', async () => {
    await stopHarness(h);
    h = await startHarness({ failureThreshold: 10 }, [testProfile({ mfaConfiguration: "OPTIONAL" })]);
    const { lines } = await runImport(
      h,
      await csvOf(h, [
        userValues(1, { "cognito:mfa_enabled": "true" }),
        userValues(2, { "cognito:mfa_enabled": "false" }),
        userValues(3, { "cognito:mfa_enabled": "" }),
      ]),
    );
    expect(lines.map((l) => l.slice(0, 11))).toEqual(["[SUCCEEDED]", "[SUCCEEDED]", "[FAILED] Li"]);
  });

  test('"String values are not quoted" — a quote character fails the row', async () => {
    const { lines } = await runImport(h, await csvOf(h, [userValues(1, { given_name: '"Ann"' })]));
    expect(lines[0]).toMatch(/^\[FAILED\] Line Number 1 - /);
  });

  test('"A comma inside a value is written as \\, (backslash before the comma)"', async () => {
    await runImport(h, await csvOf(h, [userValues(1, { address: "1 High Street\\, London" })]));
    expect((await attrs("user1@example.nhs.uk")).address).toBe("1 High Street, London");
  });

  test('"Nothing documents quotes, backslashes or line breaks inside values: reject them" — a lone backslash fails the row', async () => {
    const { lines } = await runImport(h, await csvOf(h, [userValues(1, { given_name: "a\\b" })]));
    expect(lines[0]).toMatch(/^\[FAILED\]/);
  });

  test('"UTF-8 without byte-order mark" — a BOM makes the file unparseable', async () => {
    const csv = await csvOf(h, [userValues(1)]);
    const { job } = await runImport(h, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]));
    expect(job).toMatchObject({ Status: "Failed", ImportedUsers: 0 });
  });

  test("invalid UTF-8 makes the file unparseable", async () => {
    const csv = await csvOf(h, [userValues(1)]);
    const { job } = await runImport(h, Buffer.concat([Buffer.from(csv), Buffer.from([0xff, 0xfe, 0x0a])]));
    expect(job.Status).toBe("Failed");
    expect(job.ImportedUsers).toBe(0);
  });

  test('"Leading/trailing whitespace in a value is trimmed by Cognito"', async () => {
    await runImport(h, await csvOf(h, [userValues(1, { given_name: "  Ann  ", "cognito:username": " user1@example.nhs.uk " })]));
    expect((await attrs("user1@example.nhs.uk")).given_name).toBe("Ann");
  });

  test('"birthdate is mm/dd/yyyy (1 February 1985 → 02/01/1985)"', async () => {
    const { lines } = await runImport(
      h,
      await csvOf(h, [
        userValues(1, { birthdate: "02/01/1985" }),
        userValues(2, { birthdate: "1985-02-01" }),
        userValues(3, { birthdate: "02/30/1985" }),
      ]),
    );
    expect(lines.map((l) => l.slice(0, 11))).toEqual(["[SUCCEEDED]", "[FAILED] Li", "[FAILED] Li"]);
    expect((await attrs("user1@example.nhs.uk")).birthdate).toBe("1985-02-01");
  });

  test('"updated_at is epoch seconds"', async () => {
    const { lines } = await runImport(
      h,
      await csvOf(h, [userValues(1, { updated_at: "1700000000" }), userValues(2, { updated_at: "yesterday" })]),
    );
    expect(lines.map((l) => l.slice(0, 11))).toEqual(["[SUCCEEDED]", "[FAILED] Li"]);
  });

  test('"Phone numbers are E.164: + then country code and digits only (+447700900123)"', async () => {
    const { lines } = await runImport(
      h,
      await csvOf(h, [
        userValues(1, { phone_number: "+447700900123" }),
        userValues(2, { phone_number: "+44 7700 900123" }),
        userValues(3, { phone_number: "07700900123" }),
      ]),
    );
    expect(lines.map((l) => l.slice(0, 11))).toEqual(["[SUCCEEDED]", "[FAILED] Li", "[FAILED] Li"]);
  });

  test('"Samples write booleans as TRUE/FALSE" — stored as "true"/"false"', async () => {
    await runImport(h, await csvOf(h, [userValues(1, { email_verified: "TRUE", phone_number_verified: "FALSE" })]));
    expect(await attrs("user1@example.nhs.uk")).toMatchObject({ email_verified: "true", phone_number_verified: "false" });
  });

  test("a non-boolean in a verified column fails the row", async () => {
    const { lines } = await runImport(h, await csvOf(h, [userValues(1, { email_verified: "yes" })]));
    expect(lines[0]).toMatch(/^\[FAILED\]/);
  });

  test("schema types and constraints: custom String length, custom Number range", async () => {
    const { lines } = await runImport(
      h,
      await csvOf(h, [
        userValues(1, { "custom:tisId": "x".repeat(20) }),
        userValues(2, { "custom:tisId": "x".repeat(21) }),
        userValues(3, { "custom:grade": "11" }),
        userValues(4, { "custom:grade": "abc" }),
        userValues(5, { "custom:grade": "10" }),
      ]),
    );
    expect(lines.map((l) => l.slice(0, 11))).toEqual(["[SUCCEEDED]", "[FAILED] Li", "[FAILED] Li", "[FAILED] Li", "[SUCCEEDED]"]);
  });

  test("a row with the wrong number of values fails that row only", async () => {
    const cols = await header(h);
    const csv = [cols.join(","), row(cols, userValues(1)), `${row(cols, userValues(2))},extra`, row(cols, userValues(3))].join("\n");
    const { lines } = await runImport(h, csv);
    expect(lines.map((l) => l.slice(0, 11))).toEqual(["[SUCCEEDED]", "[FAILED] Li", "[SUCCEEDED]"]);
  });

  test("CRLF line endings are accepted", async () => {
    const csv = (await csvOf(h, [userValues(1), userValues(2)])).replace(/\n/g, "\r\n");
    expect((await runImport(h, csv)).job.ImportedUsers).toBe(2);
  });

  test('"a row at most 16,000 characters" — a longer row makes the file unparseable', async () => {
    const ok = userValues(1, { address: "a".repeat(2000) });
    const tooLong = userValues(2, { profile: "p".repeat(16_000) });
    const { job } = await runImport(h, await csvOf(h, [ok, tooLong]));
    expect(job).toMatchObject({ Status: "Failed", ImportedUsers: 0 });
  });

  test('"at most 500,000 users per file (header not counted)" — 500,001 rows make the file unparseable', async () => {
    const cols = await header(h);
    const line = row(cols, userValues(1));
    const csv = `${cols.join(",")}\n${(`${line}\n`).repeat(500_001)}`;
    const { job } = await runImport(h, csv);
    expect(job).toMatchObject({ Status: "Failed", ImportedUsers: 0, FailedUsers: 0, SkippedUsers: 0 });
  });

  test("a header-only file succeeds with nothing imported", async () => {
    const { job } = await runImport(h, `${(await header(h)).join(",")}\n`);
    expect(job).toMatchObject({ Status: "Succeeded", ImportedUsers: 0 });
  });

  test("case-insensitive pools: a username differing only by case is the same user (skipped)", async () => {
    const { lines } = await runImport(
      h,
      await csvOf(h, [
        userValues(1, { "cognito:username": "Jane.Doe@example.com" }),
        userValues(2, { "cognito:username": "jane.doe@example.com" }),
      ]),
    );
    expect(lines[1]).toBe("[SKIPPED] Line Number 2 - The user already exists.");
    const list = await h.cognito.send(new ListUsersCommand({ UserPoolId: POOL }));
    expect(list.Users?.map((u) => u.Username)).toEqual(["Jane.Doe@example.com"]);
    expect((await h.cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "JANE.DOE@EXAMPLE.COM" }))).Username).toBe(
      "Jane.Doe@example.com",
    );
  });

  test("case-sensitive pools: usernames differing by case are different users", async () => {
    await stopHarness(h);
    h = await startHarness({}, [testProfile({ usernameCaseSensitive: true })]);
    const { job } = await runImport(
      h,
      await csvOf(h, [userValues(1, { "cognito:username": "Jane" }), userValues(2, { "cognito:username": "jane" })]),
    );
    expect(job.ImportedUsers).toBe(2);
  });
});
