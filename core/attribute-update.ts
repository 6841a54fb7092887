/**
 * Which attribute values an update sends (AdminUpdateUserAttributes): the differing ones, in the pool's text form,
 * and a changed email or phone number's `_verified` flag where it must stay verified. Pure: engine/apply-roster.ts
 * sends them.
 */
import { poolValueOf } from "./compare-attributes";
import type { DeclaredUser } from "./declared-user";
import type { PoolProfile } from "./profile";

/**
 * The AdminUpdateUserAttributes values for the differing attributes. Cognito marks a changed email or phone
 * number unverified unless the same call sets its `_verified` flag to true (AdminUpdateUserAttributes reference),
 * and an unverified trainee cannot receive the reset code every imported user needs: so a changed email (phone)
 * goes with `email_verified=true` (`phone_number_verified=true`) when the user declares it verified — or does not
 * declare the flag and the stack auto-verifies that attribute, as the import itself requires.
 */
export function attributeUpdate(user: DeclaredUser, names: readonly string[], profile: PoolProfile): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) values[name] = poolValueOf(user.attributes[name]);
  for (const attribute of ["email", "phone_number"] as const) {
    if (!names.includes(attribute)) continue;
    const flag = `${attribute}_verified`;
    const declared = user.attributes[flag];
    const verified = declared === undefined ? profile.autoVerifiedAttributes.includes(attribute) : declared === true || declared === "true";
    if (verified) values[flag] = "true";
  }
  return values;
}
