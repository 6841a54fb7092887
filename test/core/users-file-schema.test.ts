import { readFileSync } from "node:fs";
import * as path from "node:path";
import { STANDARD_ATTRIBUTES } from "../../core/declared-user";
import { compileUsersFileSchemaLazy, pointerSegments } from "../../core/users-file-schema";
import { compileWholeUsersFileSchema } from "../support/users-file-schema-whole";

const schemaPath = path.resolve(__dirname, "..", "..", "schemas", "users-file.schema.json");

describe("users-file schema", () => {
  // The product's path: the schema run in pieces (core/users-file.ts validates with it).
  const lazy = compileUsersFileSchemaLazy();
  const validate = (value: unknown) => [...lazy(value)];

  it("knows every standard attribute, and booleans for the *_verified ones", () => {
    const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
    const userProperties = schema.definitions.user.properties;
    for (const attribute of STANDARD_ATTRIBUTES) expect(userProperties).toHaveProperty(attribute);
    expect(userProperties.email_verified.type).toBe("boolean");
    expect(userProperties.mfa_enabled.type).toBe("boolean");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.definitions.user.additionalProperties).toBe(false);
    expect(schema.definitions.defaults.properties).not.toHaveProperty("username");
  });

  it("accepts the documented example", () => {
    expect(
      validate({
        defaults: { mfa_enabled: true },
        users: [{ username: "a@example.com", email: "a@example.com", "custom:tisId": "1", birthdate: "1985-02-01" }],
      }),
    ).toEqual([]);
  });

  it("reports unknown keys with the key in params, missing ones likewise", () => {
    const violations = validate({ users: [{ email: "a@example.com", colour: "blue" }] });
    expect(violations.map(({ keyword, instancePath, params }) => ({ keyword, instancePath, params }))).toEqual([
      { keyword: "required", instancePath: "/users/0", params: { missingProperty: "username" } },
      { keyword: "additionalProperties", instancePath: "/users/0", params: { additionalProperty: "colour" } },
    ]);
  });

  it("uses ajv-formats for email and dates (impossible dates included)", () => {
    const violations = validate({ users: [{ username: "x", email: "nope", birthdate: "1985-02-30" }] });
    expect(violations.map((v) => [v.instancePath, v.keyword])).toEqual([
      ["/users/0/email", "format"],
      ["/users/0/birthdate", "format"],
    ]);
    expect(validate({ users: [{ username: "x", birthdate: "2024-02-29" }] })).toEqual([]);
  });

  it.each<[string, unknown]>([
    ["a valid file", { defaults: { mfa_enabled: true }, users: [{ username: "a@example.com", email: "a@example.com" }] }],
    ["not a mapping", ["users"]],
    ["null", null],
    ["users not a list", { users: { username: "x" } }],
    ["no users", { defaults: { mfa_enabled: true } }],
    ["an unknown top-level key and bad defaults", { colour: 1, defaults: { username: "x", mfa_enabled: "yes" }, users: [] }],
    [
      "several users, several problems each",
      {
        users: [
          { username: "a", email: "nope", colour: "blue" },
          "b",
          { email: "b@example.com", birthdate: "1985-02-30", phone_number: 7700900123 },
          { username: "c", "custom:tisId": ["1"] },
        ],
      },
    ],
  ])("gives exactly what the whole schema gives: %s", (_name, value) => {
    const whole = compileWholeUsersFileSchema()(value);
    const sorted = (list: readonly { instancePath: string; keyword: string }[]) =>
      [...list].sort((a, b) => `${a.instancePath} ${a.keyword}`.localeCompare(`${b.instancePath} ${b.keyword}`));
    expect(sorted(validate(value))).toEqual(sorted(whole));
  });

  it("the comparison above is not vacuous: the whole schema finds problems in the bad files", () => {
    expect(compileWholeUsersFileSchema()({ users: [{ username: "a", email: "nope", colour: "blue" }, "b"] }).length).toBe(3);
  });

  it("unescapes JSON pointers", () => {
    expect(pointerSegments("/users/0/a~1b~0c")).toEqual(["users", "0", "a/b~c"]);
    expect(pointerSegments("")).toEqual([]);
  });
});
