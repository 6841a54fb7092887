/**
 * The values an attribute update sends (core/attribute-update.ts): the differing ones in the pool's text form, and
 * a changed email or phone kept verified when the user declares it verified or the stack auto-verifies it.
 */
import { attributeUpdate } from "../../core/attribute-update";
import type { AttributeValue, DeclaredUser } from "../../core/declared-user";
import type { PoolProfile } from "../../core/profile";
import { traineeProfile } from "../support/roster-fixture";

const autoEmail = traineeProfile({ autoVerifiedAttributes: ["email"] });
const autoNone = traineeProfile({ autoVerifiedAttributes: [] });
const user = (attributes: Record<string, AttributeValue>): DeclaredUser => ({
  username: "ann.one@example.nhs.uk",
  mfaEnabled: false,
  enabled: true,
  attributes: { email: "ann.one@example.nhs.uk", phone_number: "+447700900001", given_name: "Ann", ...attributes },
  source: { file: "users/london/a.yaml", line: 3, col: 3 },
});

test.each([
  ["a plain attribute: its value only", user({}), ["given_name"], autoEmail, { given_name: "Ann" }],
  ["a boolean in the pool's text form", user({ "custom:flag": false }), ["custom:flag"], autoEmail, { "custom:flag": "false" }],
  [
    "email, the stack auto-verifies it, no flag declared: kept verified",
    user({}),
    ["email"],
    autoEmail,
    { email: "ann.one@example.nhs.uk", email_verified: "true" },
  ],
  ["email, not auto-verified, no flag declared: sent alone", user({}), ["email"], autoNone, { email: "ann.one@example.nhs.uk" }],
  [
    "email declared verified (true)",
    user({ email_verified: true }),
    ["email"],
    autoNone,
    { email: "ann.one@example.nhs.uk", email_verified: "true" },
  ],
  [
    'email declared verified ("true")',
    user({ email_verified: "true" }),
    ["email"],
    autoNone,
    { email: "ann.one@example.nhs.uk", email_verified: "true" },
  ],
  [
    "email declared unverified, even when auto-verified",
    user({ email_verified: false }),
    ["email"],
    autoEmail,
    { email: "ann.one@example.nhs.uk" },
  ],
  [
    "phone declared verified",
    user({ phone_number_verified: true }),
    ["phone_number"],
    autoNone,
    { phone_number: "+447700900001", phone_number_verified: "true" },
  ],
  ["phone, only email auto-verified: sent alone", user({}), ["phone_number"], autoEmail, { phone_number: "+447700900001" }],
  ["no change: nothing sent", user({}), [], autoEmail, {}],
] as [string, DeclaredUser, string[], PoolProfile, Record<string, string>][])("attributeUpdate: %s", (_name, u, names, profile, values) => {
  expect(attributeUpdate(u, names, profile)).toEqual(values);
});
