import { createUsersFileChecker } from "../../core/users-file";
import { fixtureProfile } from "./fixture-cases";
import { checkUsersFileText } from "../support/one-call";

const profile = fixtureProfile();
const FILE = "users/x/y.yaml";
const where = (r: { diagnostics: { code: string; line: number; col: number }[] }) =>
  r.diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`);

describe("checkUsersFileText", () => {
  it("loads users with defaults merged and the place of their list item", () => {
    const text =
      'defaults:\n  mfa_enabled: true\n  email_verified: true\nusers:\n    - username: a@example.com\n      email: a@example.com\n      custom:tisId: "1"\n';
    const r = checkUsersFileText(text, FILE, profile);
    expect(r.diagnostics).toEqual([]);
    expect(r.users).toEqual([
      {
        username: "a@example.com",
        mfaEnabled: true,
        enabled: true,
        attributes: { email_verified: true, email: "a@example.com", "custom:tisId": "1" },
        source: { file: FILE, line: 5, col: 5 },
      },
    ]);
    expect(r.identities).toEqual([
      {
        username: "a@example.com",
        usernamePlace: { file: FILE, line: 5, col: 17 },
        email: "a@example.com",
        emailPlace: { file: FILE, line: 6, col: 14 },
        userIndex: 0,
      },
    ]);
  });

  it("reports every problem of a file in one run, once each", () => {
    const text = [
      "users:",
      "  - username: a b", // 2
      "    email: not-an-email",
      "    email_verified: true",
      "    mfa_enabled: false",
      "    birthdate: 30/02/1985",
      "    colour: red",
      "  - email: b@example.com", // 8
      "    email_verified: true",
      "    mfa_enabled: true",
      "",
    ].join("\n");
    expect(where(checkUsersFileText(text, FILE, profile))).toEqual([
      "2:15 USERNAME_WHITESPACE",
      "3:12 INVALID_EMAIL",
      "5:18 MFA_CONTRADICTS_POOL",
      "6:16 NON_ISO_DATE",
      "7:5 UNKNOWN_KEY",
      "8:3 MISSING_USERNAME",
    ]);
  });

  it("reports a default's problem once, at the default, and still checks each user", () => {
    const text =
      'defaults:\n  given_name: " Ann"\n  mfa_enabled: true\nusers:\n  - username: a@example.com\n    email: a@example.com\n  - username: b@example.com\n    email: b@example.com\n';
    expect(where(checkUsersFileText(text, FILE, profile))).toEqual([
      "2:15 SURROUNDING_WHITESPACE",
      "5:3 NO_AUTO_VERIFIED_ATTRIBUTE",
      "7:3 NO_AUTO_VERIFIED_ATTRIBUTE",
    ]);
  });

  it("loads no user from a file with errors outside the users", () => {
    const r = checkUsersFileText(
      "defaults:\n  bogus: 1\nusers:\n  - username: a@example.com\n    email: a@example.com\n    email_verified: true\n    mfa_enabled: true\n",
      FILE,
      profile,
    );
    expect(where(r)).toEqual(["2:3 UNKNOWN_KEY"]);
    expect(r.users).toEqual([]);
  });

  it("a checker is reusable across files and keeps no state between them", () => {
    const check = createUsersFileChecker(profile);
    const bad = check("users: 3\n", FILE);
    const good = check("users: []\n", FILE);
    expect(where(bad)).toEqual(["1:8 TOP_LEVEL_SHAPE"]);
    expect(good.diagnostics).toEqual([]);
  });
});

describe("checkUsersFileText with hostile keys", () => {
  it("reports __proto__ as an unknown key and never changes a prototype", () => {
    const r = checkUsersFileText(
      'users:\n  - username: a@example.com\n    email: a@example.com\n    email_verified: true\n    mfa_enabled: true\n    custom:tisId: "1"\n    __proto__: {polluted: true}\n',
      FILE,
      profile,
    );
    expect(where(r)).toEqual(["7:5 UNKNOWN_KEY"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
