/**
 * The oracle for core/users-file-schema.ts: the users-file schema compiled whole, as an editor (yaml-language-server)
 * runs it. The product runs it in pieces (`compileUsersFileSchemaLazy`); test/core/users-file-schema.test.ts checks
 * that the pieces give exactly these violations.
 */
import Ajv from "ajv";
import addFormats from "ajv-formats";
import usersFileSchema from "../../schemas/users-file.schema.json";
import type { SchemaViolation } from "../../core/users-file-schema";

export function compileWholeUsersFileSchema(): (value: unknown) => SchemaViolation[] {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv, ["email", "date"]);
  const validate = ajv.compile(usersFileSchema);
  return (value) =>
    validate(value)
      ? []
      : (validate.errors ?? []).map((e) => ({
          keyword: e.keyword,
          instancePath: e.instancePath,
          params: e.params as Record<string, unknown>,
          message: e.message ?? "is invalid",
        }));
}
