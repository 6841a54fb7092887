/**
 * core/export-users.ts: pool users in, users files out — folders by office, modeline first, shared values in
 * defaults, a fixed order, and every left-out user or attribute counted. The files must pass the validator.
 */
import {
  exportUsers,
  folderNameOf,
  officeMapFrom,
  parseExportFilter,
  schemaModeline,
  type ExportFilter,
  type ExportOptions,
} from "../../core/export-users";
import type { PoolUser } from "../../core/pool-user";
import { traineeProfile } from "../support/roster-fixture";
import { checkUsersFileText } from "../support/one-call";

const profile = traineeProfile({
  customAttributes: { tisId: { type: "String", minLength: 1, maxLength: 20 }, office: { type: "String" }, grade: { type: "Number" } },
});

function poolUser(n: number, extra: Record<string, string> = {}, more: Partial<PoolUser> = {}): PoolUser {
  const email = `trainee.${n}@example.nhs.uk`;
  return {
    username: email,
    enabled: true,
    status: "RESET_REQUIRED",
    attributes: { sub: `sub-${n}`, email, email_verified: "true", given_name: `Given${n}`, "custom:tisId": String(9000 + n), ...extra },
    ...more,
  };
}

const options = (overrides: Partial<ExportOptions> = {}): ExportOptions => ({
  profile,
  office: { kind: "single", folder: "exported" },
  excludes: [],
  fileName: "exported.yaml",
  schemaFromUsersDir: "../schemas/users-file.schema.json",
  ...overrides,
});

function filter(text: string): ExportFilter {
  const f = parseExportFilter(text);
  if (typeof f === "string") throw new Error(f);
  return f;
}

test("one folder by default: modeline first, shared values in defaults, users sorted, valid", () => {
  const result = exportUsers([poolUser(3), poolUser(1), poolUser(2, {}, { enabled: false })], options());
  expect(result.files.map((f) => f.path)).toEqual(["exported/exported.yaml"]);
  const text = result.files[0].text;
  expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../../schemas/users-file.schema.json");
  expect(text).toContain("defaults:\n  email_verified: true\n  mfa_enabled: true\nusers:\n  - username: trainee.1@example.nhs.uk\n");
  expect(text.indexOf("trainee.1@")).toBeLessThan(text.indexOf("trainee.2@"));
  expect(text).toMatch(/trainee\.2@example\.nhs\.uk\n(.*\n)*?\s+enabled: false/);
  expect(text).not.toContain("sub-1"); // sub is the pool's, never declared
  const checked = checkUsersFileText(text, "users/exported/exported.yaml", profile);
  expect(checked.diagnostics).toEqual([]);
  expect(checked.users).toHaveLength(3);
});

test("personal values are never defaults, even when every user shares them", () => {
  const result = exportUsers([poolUser(1, { family_name: "Same" }), poolUser(2, { family_name: "Same" })], options());
  expect(result.files[0].text).not.toMatch(/defaults:\n( {2}.*\n)* {2}family_name/);
});

test("the same pool in another order gives the same bytes", () => {
  const users = [poolUser(1), poolUser(2), poolUser(3, { "custom:office": "London" })];
  const a = exportUsers(users, options({ office: { kind: "attribute", attribute: "custom:office" } }));
  const b = exportUsers([...users].reverse(), options({ office: { kind: "attribute", attribute: "custom:office" } }));
  expect(a.files).toEqual(b.files);
});

test("offices from an attribute (slugged, or through a map) and from a mapping of domains and usernames", () => {
  const users = [poolUser(1, { "custom:office": "North West" }), poolUser(2, { "custom:office": "KSS Deanery" }), poolUser(3)];
  const map = officeMapFrom({ "kss deanery": "kss" });
  if (typeof map === "string") throw new Error(map);
  const byAttribute = exportUsers(users, options({ office: { kind: "attribute", attribute: "custom:office", map } }));
  expect(byAttribute.files.map((f) => [f.path, f.users])).toEqual([
    ["kss/exported.yaml", 1],
    ["north-west/exported.yaml", 1],
    ["unassigned/exported.yaml", 1],
  ]);
  const byMap = officeMapFrom({ "@example.nhs.uk": "england", "trainee.2@example.nhs.uk": "wales" });
  if (typeof byMap === "string") throw new Error(byMap);
  expect(exportUsers(users, options({ office: { kind: "map", map: byMap } })).files.map((f) => [f.path, f.users])).toEqual([
    ["england/exported.yaml", 2],
    ["wales/exported.yaml", 1],
  ]);
  expect(byAttribute.placedByMap).toBe(1);
  expect(exportUsers(users, options({ office: { kind: "map", map: byMap } })).placedByMap).toBe(3);
  const nobody = officeMapFrom({ "@deanery.zz": "england" });
  if (typeof nobody === "string") throw new Error(nobody);
  expect(exportUsers(users, options({ office: { kind: "map", map: nobody } })).placedByMap).toBe(0);
  expect(exportUsers(users, options()).placedByMap).toBeUndefined();
  expect(folderNameOf("  Yorkshire & Humber ")).toBe("yorkshire-humber");
  expect(officeMapFrom({ x: "Not A Folder" })).toMatch(/lower-case/);
});

test("excluded, federated and already-declared users and unknown attributes are counted, never silently dropped", () => {
  const users = [
    poolUser(1, { "custom:role": "service" }),
    poolUser(2, {}, { status: "EXTERNAL_PROVIDER" }),
    poolUser(3),
    poolUser(4, { "custom:legacy": "x", "dev:custom:thing": "y" }),
    poolUser(5, {}, { username: "svc-robot" }),
  ];
  const result = exportUsers(
    users,
    options({ excludes: [filter("username^=svc-")], alreadyDeclared: (u) => u === "trainee.3@example.nhs.uk" }),
  );
  expect(result.exported).toBe(2);
  expect(result.notes).toEqual([
    "1 user excluded by --exclude username^=svc-",
    "1 user left out: already declared in the users folder",
    "1 user with status EXTERNAL_PROVIDER left out (an import job cannot create them)",
    "custom:legacy left out for 1 user (not in the stack's customAttributes)",
    "custom:role left out for 1 user (not in the stack's customAttributes)",
    "dev:custom:thing left out for 1 user (not an attribute a users file declares)",
  ]);
  expect(result.notes.join("\n")).not.toMatch(/example\.nhs\.uk/);
});

test("values as users files declare them: ISO birthdates, Number custom attributes, verified flags as booleans", () => {
  const result = exportUsers(
    [poolUser(1, { birthdate: "02/01/1985", "custom:grade": "3", phone_number: "+447700900001", phone_number_verified: "false" })],
    options(),
  );
  const text = result.files[0].text;
  expect(text).toContain("birthdate: 1985-02-01");
  expect(text).toContain("custom:grade: 3\n");
  expect(text).toContain('phone_number: "+447700900001"');
  expect(text).toContain("phone_number_verified: false");
  expect(checkUsersFileText(text, "users/exported/exported.yaml", profile).diagnostics).toEqual([]);
});

test("MFA from the pool's configuration, or per user for OPTIONAL pools", () => {
  const optional = { ...profile, mfaConfiguration: "OPTIONAL" as const };
  const result = exportUsers([poolUser(1), poolUser(2)], options({ profile: optional, mfaOf: (u) => u.startsWith("trainee.1") }));
  expect(result.files[0].text).toMatch(/trainee\.1@example\.nhs\.uk\n( {4}.*\n)* {4}mfa_enabled: true/);
  expect(result.files[0].text).toMatch(/trainee\.2@example\.nhs\.uk\n( {4}.*\n)* {4}mfa_enabled: false/);
});

test("filters and the modeline", () => {
  expect(parseExportFilter("custom:role=service")).toMatchObject({ attribute: "custom:role", op: "=", value: "service" });
  expect(parseExportFilter("email$=@example.com")).toMatchObject({ op: "$=", value: "@example.com" });
  expect(parseExportFilter("nonsense")).toMatch(/ATTRIBUTE=VALUE/);
  expect(schemaModeline("london/a.yaml", "../schemas/users-file.schema.json")).toBe(
    "yaml-language-server: $schema=../../schemas/users-file.schema.json",
  );
  const excluded = exportUsers([poolUser(1, {}, { enabled: false })], options({ excludes: [filter("enabled=false")] }));
  expect(excluded.files).toEqual([]);
});
