/**
 * Whether a run that sends to AWS carries the local emulator's data (engine/live-safety.ts decides where a run
 * sends): the emulator's invented pool id, or declared users at reserved example domains — `example.com`,
 * `example.org`, `example.net` (RFC 2606 §3) and their subdomains, the TLDs `.example`, `.test`, `.invalid`,
 * `.localhost` (RFC 2606 §2, RFC 6761), and `example.nhs.uk`, the domain this project's synthetic trainees use.
 * Pure: returns the refusal (a RosterConfigError naming files and lines, never a user), the engine throws it.
 */
import type { DeclaredUser } from "./declared-user";
import { RosterConfigError } from "./roster-errors";

/** Pool ids that exist only in the local emulator: the dev stack's (Pulumi.dev.yaml) and the test fixtures'. */
const EMULATOR_POOL_IDS: ReadonlySet<string> = new Set(["eu-west-2_Tr41n33s0"]);

const RESERVED_DOMAINS = ["example.com", "example.org", "example.net", "example.nhs.uk"];
const RESERVED_TLDS = ["example", "test", "invalid", "localhost"];

/** True when the address's domain is a reserved example domain (or below one). @internal */
export function isReservedExampleAddress(address: string): boolean {
  const at = address.lastIndexOf("@");
  if (at < 0) return false;
  const domain = address
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, "");
  if (RESERVED_TLDS.some((tld) => domain === tld || domain.endsWith(`.${tld}`))) return true;
  return RESERVED_DOMAINS.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/** Why a run against `endpoint` (not the emulator) may not go on: the emulator's pool or sample users; else undefined. */
export function emulatorDataOnAws(userPoolId: string, users: readonly DeclaredUser[], endpoint: string): RosterConfigError | undefined {
  if (EMULATOR_POOL_IDS.has(userPoolId)) {
    return new RosterConfigError(
      `pool ${userPoolId} is the local emulator's invented pool (the dev stack), but this run sends to ${endpoint}: ` +
        "nothing was changed. Going live needs a stack of your own for the real pool: `cognito-roster init --stack NAME --pool ID` " +
        "(docs/running-for-real.md)",
    );
  }
  const samples = users.filter((u) => isReservedExampleAddress(u.username) || isReservedExampleAddress(String(u.attributes.email ?? "")));
  if (samples.length === 0) return undefined;
  const where = samples
    .slice(0, 3)
    .map((u) => `${u.source.file}:${u.source.line}`)
    .join(", ");
  return new RosterConfigError(
    `${samples.length} declared user(s) at reserved example domains (example.com, example.nhs.uk, …), e.g. ${where}, ` +
      `but this run sends to ${endpoint}: nothing was changed. These are samples, not trainees: remove them from the users ` +
      "folder (the samples belong in examples/users, for the local emulator)",
  );
}
