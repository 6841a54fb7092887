/**
 * Fix hints are exact (issue 21, item 4): every suggested edit, applied to the file, gives the value that was meant
 * (the text as written, or the number a form meant) and no longer draws the diagnostic. Each hint here is applied
 * mechanically: the suggested text replaces the value on the reported line, and the file is validated again.
 */
import type { Diagnostic } from "../../core/diagnostics";
import type { PoolProfile } from "../../core/profile";
import { fixtureProfile } from "./fixture-cases";
import { checkUsersFileText } from "../support/one-call";

const base = fixtureProfile();
const profile: PoolProfile = { ...base, customAttributes: { ...base.customAttributes, level: { type: "Number" } } };
const FILE = "users/x/y.yaml";
const VALUE_LINE = 6;

function fileWith(key: string, value: string): string {
  return [
    "users:",
    "  - username: a@example.com",
    "    email: a@example.com",
    "    email_verified: true",
    "    mfa_enabled: true",
    `    ${key}: ${value}`,
    "",
  ].join("\n");
}

/** The edit a message suggests: the replacement text for the value, as it would be typed into the file. */
function suggestedEdit(message: string): string | undefined {
  const quoted = /quote the (?:value \(|text as written: )(".*")\)/.exec(message);
  if (quoted) return quoted[1];
  const unquoted = /write (\S+) unquoted/.exec(message);
  if (unquoted) return unquoted[1];
  const number = /write (-?[0-9]+)(?: unless|$)/.exec(message);
  return number?.[1];
}

const hintAt = (diagnostics: readonly Diagnostic[]) =>
  diagnostics.find((d) => d.line === VALUE_LINE && suggestedEdit(d.message) !== undefined);

describe.each([
  // A string attribute YAML read as a number or boolean: quote the text as written.
  ["custom:tisId", "0012", "0012"],
  ["custom:tisId", "True", "True"],
  ["custom:tisId", "1e3", "1e3"],
  ["custom:tisId", "0x1F", "0x1F"],
  ["custom:tisId", "-0", "-0"],
  ["custom:tisId", "0o17", "0o17"],
  ["custom:tisId", "12345678901234567890", "12345678901234567890"],
  ["given_name", "0012", "0012"],
  ["given_name", "True", "True"],
  ["given_name", ".inf", ".inf"],
  ["family_name", "-.5", "-.5"],
  ["phone_number", "+447700900123", "+447700900123"],
  // A Number attribute: unquoted digits, the decimal number a form means, or the canonical digits.
  ["custom:level", '"0012"', "0012"],
  ["custom:level", "0x1F", "31"],
  ["custom:level", "1e3", "1000"],
  ["custom:level", "+5", "5"],
  ["custom:level", "007", "7"],
  // A comment that ate the end of free text: quote the whole line's text.
  ["address", "Flat #2, 10 High Street, Leeds", "Flat #2, 10 High Street, Leeds"],
  ["given_name", "Ann #1", "Ann #1"],
])("%s: %s", (key, written, meant) => {
  it(`gives a hint that, applied, yields ${meant}`, () => {
    const before = checkUsersFileText(fileWith(key, written), FILE, profile);
    const hint = hintAt(before.diagnostics);
    expect(hint).toBeDefined();
    const edit = suggestedEdit(hint?.message ?? "") as string;
    const after = checkUsersFileText(fileWith(key, edit), FILE, profile);
    expect(after.diagnostics.filter((d) => d.code === hint?.code)).toEqual([]);
    expect(after.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(after.users[0].attributes[key]).toBe(meant);
  });
});
