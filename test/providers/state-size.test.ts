/**
 * The Pulumi state grows by at most 64 bytes per user and holds no personal data: the roster keeps, per user,
 * a 16-character digest of the username and one of the declared values.
 */
import type { DeclaredUser } from "../../core/declared-user";
import { digestDeclaredUsers } from "../../core/user-digest";

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

test("the applied digests cost under 64 bytes per user in the state's JSON, and contain no personal data", () => {
  const sizeFor = (n: number) =>
    JSON.stringify(
      digestDeclaredUsers(
        "eu-west-2_Tr41n33s0",
        Array.from({ length: n }, (_, i) => user(i)),
        false,
      ),
    ).length;
  const perUser = (sizeFor(20_000) - sizeFor(0)) / 20_000;
  expect(perUser).toBeLessThanOrEqual(64);
  expect(perUser).toBeGreaterThan(30); // a real digest pair, not an empty map
  const sample = JSON.stringify(digestDeclaredUsers("eu-west-2_Tr41n33s0", [user(1)], false));
  expect(sample).not.toMatch(/example|Testname|447700/);
});
