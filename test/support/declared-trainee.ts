/** Declared users for table tests of core/ decisions (the plan, the applied record, renames). */
import type { DeclaredUser } from "../../core/declared-user";

/** A trainee `t<n>@example.nhs.uk`, enabled, at line n of one file. */
export const declaredTrainee = (n: number): DeclaredUser => ({
  username: `t${n}@example.nhs.uk`,
  mfaEnabled: false,
  enabled: true,
  attributes: { email: `t${n}@example.nhs.uk` },
  source: { file: "users/kss/a.yaml", line: n, col: 3 },
});

/** A declared user of the plan's tests: MFA on, verified email = username, given name "Test"; `extra` overrides. */
export function declaredUser(username: string, extra: Partial<DeclaredUser> = {}, line = 1): DeclaredUser {
  return {
    username,
    mfaEnabled: true,
    enabled: true,
    attributes: { email: username, email_verified: true, given_name: "Test" },
    source: { file: "users/office/a.yaml", line, col: 5 },
    ...extra,
  };
}
