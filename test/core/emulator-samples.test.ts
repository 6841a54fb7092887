/**
 * The emulator's data on AWS (core/emulator-samples.ts): the invented pool id and users at reserved example
 * domains are refused with files and lines, never a user; anything else passes. (Reserved domains themselves are
 * tabled in test/engine/live-safety.test.ts, with the endpoint check; `zz` is never delegated, so deanery.zz is nobody's.)
 */
import type { DeclaredUser } from "../../core/declared-user";
import { emulatorDataOnAws } from "../../core/emulator-samples";

const AWS = "https://cognito-idp.eu-west-2.amazonaws.com";
const user = (username: string, email: string, line: number): DeclaredUser => ({
  username,
  mfaEnabled: false,
  enabled: true,
  attributes: { email },
  source: { file: "users/london/a.yaml", line, col: 3 },
});

test.each([
  ["a real pool and users outside the reserved domains", "eu-west-2_LiveP00l9", [user("a@deanery.zz", "a@deanery.zz", 3)], undefined],
  ["no users", "eu-west-2_LiveP00l9", [], undefined],
  [
    "the emulator's pool id",
    "eu-west-2_Tr41n33s0",
    [],
    /^pool eu-west-2_Tr41n33s0 is the local emulator's invented pool .* sends to https:/,
  ],
  [
    "a sample by username",
    "eu-west-2_LiveP00l9",
    [user("a@example.nhs.uk", "a@deanery.zz", 3)],
    /^1 declared user\(s\) at reserved example domains .*, e\.g\. users\/london\/a\.yaml:3, but this run sends to https:/,
  ],
  [
    "samples by email: at most three places named",
    "eu-west-2_LiveP00l9",
    [1, 2, 3, 4].map((n) => user(`u${n}`, `u${n}@example.com`, n)),
    /^4 declared user\(s\) .*e\.g\. users\/london\/a\.yaml:1, users\/london\/a\.yaml:2, users\/london\/a\.yaml:3, but/,
  ],
] as [string, string, DeclaredUser[], RegExp | undefined][])("emulatorDataOnAws: %s", (_name, poolId, users, message) => {
  const refusal = emulatorDataOnAws(poolId, users, AWS);
  if (message === undefined) expect(refusal).toBeUndefined();
  else {
    expect(refusal?.name).toBe("RosterConfigError");
    expect(refusal?.message).toMatch(message);
    for (const u of users) expect(refusal?.message).not.toContain(u.username);
  }
});
