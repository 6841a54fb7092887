/**
 * core/intake-verified-note.ts: where each `*_verified` flag of the trainees intake adds comes from — the
 * spreadsheet's column, the existing file's defaults, or the new file's defaults and why — one line per flag.
 * (test/cli/intake-command.test.ts sees the same lines on intake's stderr.)
 */
import type { AttributeValue } from "../../core/declared-user";
import { verifiedFlagNotes } from "../../core/intake-verified-note";
import type { PoolProfile } from "../../core/profile";
import { traineeProfile } from "../support/roster-fixture";

const EXISTING_VERIFIED = "defaults:\n  email_verified: true\nusers: []\n";
const EXISTING_PLAIN = "defaults:\n  locale: en-GB\nusers: []\n";
const AUTO_EMAIL = "because the pool auto-verifies email (autoVerifiedAttributes)";
const SEND_ONLY =
  ": reset codes go only to a verified address, so send only addresses known to be the trainee's (or add an email_verified column)";

const verifiedPolicy: Partial<PoolProfile> = { contactPolicy: { email: "verified", phone_number: "optional" } };

test.each<{
  what: string;
  profile: Partial<PoolProfile>;
  columns: string[];
  existing: string | undefined;
  defaults: Record<string, AttributeValue>;
  notes: string[];
}>([
  { what: "no contact columns", profile: {}, columns: ["given_name"], existing: undefined, defaults: {}, notes: [] },
  {
    what: "the spreadsheet's own column",
    profile: {},
    columns: ["email", "email_verified"],
    existing: EXISTING_VERIFIED,
    defaults: {},
    notes: ["email_verified: from the spreadsheet's email_verified column, row by row"],
  },
  {
    what: "a new file's defaults, the pool auto-verifying email",
    profile: {},
    columns: ["email"],
    existing: undefined,
    defaults: { email_verified: true },
    notes: [`email_verified: true in the new file's defaults, ${AUTO_EMAIL}${SEND_ONLY}`],
  },
  {
    what: "a new file's defaults, the contact policy requiring email verified too",
    profile: verifiedPolicy,
    columns: ["email"],
    existing: undefined,
    defaults: { email_verified: true },
    notes: [
      `email_verified: true in the new file's defaults, ${AUTO_EMAIL} and the stack's contactPolicy requires email verified${SEND_ONLY}`,
    ],
  },
  {
    what: "the existing file's defaults",
    profile: {},
    columns: ["email"],
    existing: EXISTING_VERIFIED,
    defaults: { email_verified: false },
    notes: ["email_verified: true, from the defaults of the file the trainees are added to"],
  },
  {
    what: "nowhere, the pool auto-verifying email",
    profile: {},
    columns: ["email"],
    existing: EXISTING_PLAIN,
    defaults: {},
    notes: ["email_verified: not set (email unverified: Cognito sends no reset code to it)"],
  },
  {
    what: "nowhere, the pool not auto-verifying phone numbers",
    profile: {},
    columns: ["phone_number"],
    existing: EXISTING_PLAIN,
    defaults: {},
    notes: [],
  },
  {
    what: "both flags, each from its own place",
    profile: { autoVerifiedAttributes: ["email", "phone_number"] },
    columns: ["email", "phone_number", "phone_number_verified"],
    existing: EXISTING_VERIFIED,
    defaults: {},
    notes: [
      "email_verified: true, from the defaults of the file the trainees are added to",
      "phone_number_verified: from the spreadsheet's phone_number_verified column, row by row",
    ],
  },
])("$what", ({ profile, columns, existing, defaults, notes }) => {
  expect(verifiedFlagNotes(traineeProfile(profile), columns, existing, defaults)).toEqual(notes);
});
