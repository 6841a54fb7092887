/**
 * The Pulumi state grows by at most 64 bytes per user and holds no personal data: the roster keeps, per user,
 * a 16-character digest of the username, one of the declared values and, once seen, the account's Cognito `sub`
 * (22 characters for the UUID Cognito assigns; core/user-digest.ts `withSub`). The cost per user is constant, so
 * 20,000 users measure it (at 100,000: 61 bytes a user, 6.1 MB; 78 bytes for a user in groups, whose entry adds the
 * 17-character membership digest).
 */
import { randomUUID } from "node:crypto";
import type { DeclaredUser } from "../../core/declared-user";
import { declaredPart, digestDeclaredUsers, recordedSub, withSub } from "../../core/user-digest";

function user(n: number): DeclaredUser {
  const email = `trainee.${n}@example.nhs.uk`;
  return {
    username: email,
    mfaEnabled: true,
    enabled: true,
    attributes: {
      email,
      email_verified: true,
      given_name: "Testname",
      family_name: "Synthetic",
      phone_number: `+447700900${String(n % 1000).padStart(3, "0")}`,
      "custom:tisId": String(n),
    },
    source: { file: "users/london/a.yaml", line: n, col: 5 },
  };
}

const POOL = "eu-west-2_Tr41n33s0";

/** The applied record of n users as an apply writes it: every user with the `sub` of their account. */
function appliedRecord(n: number): Record<string, string> {
  const digests = digestDeclaredUsers(
    POOL,
    Array.from({ length: n }, (_, i) => user(i)),
    false,
  );
  return Object.fromEntries(Object.entries(digests).map(([k, v]) => [k, withSub(v, randomUUID())]));
}

test("the applied record costs under 64 bytes per user in the state's JSON, subs included, and no personal data", () => {
  const users = 20_000;
  const perUser = (JSON.stringify(appliedRecord(users)).length - JSON.stringify(appliedRecord(0)).length) / users;
  expect(perUser).toBeLessThanOrEqual(64);
  expect(perUser).toBeGreaterThan(55); // a real digest pair and a sub, not an empty map
  const sample = JSON.stringify(appliedRecord(1));
  expect(sample).not.toMatch(/example|Testname|447700/);
});

test("a sub is kept losslessly: a UUID in 22 characters, any other value as it was", () => {
  const uuid = randomUUID();
  const kept = withSub("AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBB", uuid);
  expect(kept).toHaveLength(33 + 1 + 22);
  expect(recordedSub(kept)).toBe(uuid);
  expect(declaredPart(kept)).toBe("AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBB");
  for (const other of [uuid.toUpperCase(), "us-east-1:not-a-uuid", "ü~!.:"])
    expect(recordedSub(withSub("AAAAAAAAAAAAAAAA", other))).toBe(other);
  expect(recordedSub("AAAAAAAAAAAAAAAA")).toBeUndefined();
  // A damaged entry keeps no sub (the removal then falls back to the scan rather than reading a wrong account).
  for (const damaged of [`${kept.slice(0, -1)}`, `${kept}A`, "AAAAAAAAAAAAAAAA~", "AAAAAAAAAAAAAAAA!a b"])
    expect(recordedSub(damaged)).toBeUndefined();
  expect(withSub(kept, undefined)).toBe("AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBB");
});
