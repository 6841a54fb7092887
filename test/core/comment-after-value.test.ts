/**
 * Comments that eat values (issue 21, item 2): a comment right after a plain free-text value is a warning at the
 * value, showing what YAML kept, what it dropped and the quoted full text; quoted values, other attributes and
 * comments on lines of their own say nothing. The same with either YAML parser.
 */
import { fixtureProfile } from "./fixture-cases";
import { checkUsersFileText } from "../support/one-call";

const profile = fixtureProfile();

function fileWith(lines: string[], fullParser = false): string {
  return [
    "# a comment on its own line",
    "users:",
    `  - username: ${fullParser ? "&u " : ""}a@example.com`,
    "    email: a@example.com # the work address",
    "    email_verified: true",
    "    mfa_enabled: true",
    ...lines.map((l) => `    ${l}`),
    "",
  ].join("\n");
}

const warnings = (lines: string[], fullParser = false) =>
  checkUsersFileText(fileWith(lines, fullParser), "users/x/y.yaml", profile).diagnostics.filter((d) => d.code === "COMMENT_AFTER_VALUE");

describe.each([false, true])("yaml package's parse: %s", (fullParser) => {
  it("warns at the value, with both readings and the quoted full text", () => {
    const found = warnings(["address: Flat #2, 10 High Street, Leeds"], fullParser);
    expect(found).toEqual([expect.objectContaining({ severity: "warning", line: 7, col: 14 })]);
    expect(found[0].message).toBe(
      'address is "Flat": YAML reads " #" as the start of a comment, so "#2, 10 High Street, Leeds" is not part of it (if it should be, quote the text as written: "Flat #2, 10 High Street, Leeds")',
    );
  });

  it("says nothing for quoted values, # without a space before it, or attributes that are not free text", () => {
    expect(warnings(['address: "Flat #2, Leeds" # checked', "nickname: Ann#1", "locale: en-GB # British"], fullParser)).toEqual([]);
  });

  it("warns for a value in defaults too", () => {
    const text = `defaults:\n  family_name: Smith # sometimes Smyth\n${fileWith([], fullParser)}`;
    const found = checkUsersFileText(text, "users/x/y.yaml", profile).diagnostics.filter((d) => d.code === "COMMENT_AFTER_VALUE");
    expect(found).toEqual([expect.objectContaining({ line: 2, col: 16 })]);
  });
});

it("a warning does not stop the user from loading", () => {
  expect(checkUsersFileText(fileWith(["given_name: Ann # Annie"]), "users/x/y.yaml", profile).users).toHaveLength(1);
});
