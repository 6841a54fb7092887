/** A declared trainee for table tests of core/ decisions: `t<n>@example.nhs.uk`, enabled, at line n of one file. */
import type { DeclaredUser } from "../../core/declared-user";

export const declaredTrainee = (n: number): DeclaredUser => ({
  username: `t${n}@example.nhs.uk`,
  mfaEnabled: false,
  enabled: true,
  attributes: { email: `t${n}@example.nhs.uk` },
  source: { file: "users/kss/a.yaml", line: n, col: 3 },
});
