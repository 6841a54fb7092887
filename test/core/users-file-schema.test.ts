import { readFileSync } from "node:fs";
import * as path from "node:path";
import { STANDARD_ATTRIBUTES } from "../../core/declared-user";
import { compileUsersFileSchema, pointerSegments } from "../../core/users-file-schema";

const schemaPath = path.resolve(__dirname, "..", "..", "schemas", "users-file.schema.json");

describe("users-file schema", () => {
  const validate = compileUsersFileSchema();

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
    expect(violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ keyword: "additionalProperties", instancePath: "/users/0", params: { additionalProperty: "colour" } }),
        expect.objectContaining({ keyword: "required", instancePath: "/users/0", params: { missingProperty: "username" } }),
      ]),
    );
  });

  it("uses ajv-formats for email and dates (impossible dates included)", () => {
    const violations = validate({ users: [{ username: "x", email: "nope", birthdate: "1985-02-30" }] });
    expect(violations.map((v) => [v.instancePath, v.keyword])).toEqual([
      ["/users/0/email", "format"],
      ["/users/0/birthdate", "format"],
    ]);
    expect(validate({ users: [{ username: "x", birthdate: "2024-02-29" }] })).toEqual([]);
  });

  it("unescapes JSON pointers", () => {
    expect(pointerSegments("/users/0/a~1b~0c")).toEqual(["users", "0", "a/b~c"]);
    expect(pointerSegments("")).toEqual([]);
  });
});
