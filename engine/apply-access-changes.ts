/**
 * The steps of an apply that take access away or give it back: declared users disabled or enabled, users no longer
 * declared disabled, and a replace (core/renames.ts) kept safe — the old account held while its successor is not in
 * the pool (`withHeldReplaces`, before these steps), the successor disabled while the old account could not be.
 */
import { errorName } from "../aws/error-name";
import { type ApplyContext, failUser } from "./apply-context";

export async function setEnabledStates(apply: ApplyContext): Promise<{ disabled: number; enabled: number }> {
  const { plan } = apply.planned;
  const counts = { disabled: 0, enabled: 0 };
  for (const [entries, enable] of [
    [plan.disable, false],
    [plan.enable, true],
  ] as const) {
    for (const entry of entries) {
      try {
        await apply.ports.users.setEnabled(entry.handle ?? entry.username, enable);
        if (enable) counts.enabled++;
        else counts.disabled++;
      } catch (err) {
        const call = enable ? "AdminEnableUser" : "AdminDisableUser";
        failUser(apply, entry.user, `${call} failed: ${errorName(err) || "error"}: ${(err as Error).message}`);
      }
    }
  }
  return counts;
}

/**
 * Disables users no longer declared (their managed groups were left in applyMemberships); `failed` holds the
 * digests of those it could not. A removed user already disabled but still in a managed group needs no call here.
 */
export async function applyRemovals(apply: ApplyContext): Promise<{ removed: number; failed: Set<string> }> {
  const outcome = { removed: 0, failed: new Set<string>() };
  for (const removal of apply.planned.plan.remove) {
    if (removal.action !== "disable" || removal.username === undefined || removal.enabled === false || removal.held) continue;
    try {
      await apply.ports.users.setEnabled(removal.username, false);
      outcome.removed++;
    } catch (err) {
      outcome.failed.add(removal.usernameDigest);
      apply.say(`could not ${removal.action} a removed user: ${errorName(err) || (err as Error).message}`);
      if (removal.replacedBy !== undefined) await disableSuccessor(apply, removal.replacedBy);
    }
  }
  return outcome;
}

/**
 * The old account of a replace could not be disabled: the new one is disabled instead, so the person never ends an
 * apply with two enabled accounts; it is reported failed and left out of the record, and the next run finishes the
 * replace (disables the old, enables the new).
 */
async function disableSuccessor(apply: ApplyContext, username: string): Promise<void> {
  const user = apply.planned.users.find((u) => u.username === username);
  if (!user) return;
  try {
    await apply.ports.users.setEnabled(username, false);
  } catch {
    // Reported below either way: the next run reads both accounts again.
  }
  failUser(apply, user, "the account it replaces could not be disabled: this one is disabled until the next apply finishes the replace");
}
