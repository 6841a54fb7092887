/**
 * Compares a declared user's attributes with the pool's copy and names the ones that differ.
 *
 * Only declared attributes are compared: an attribute the files do not mention is not managed by the roster
 * and is never changed. Values are compared in the form Cognito stores them (booleans as "true"/"false",
 * numbers as decimal text); `birthdate` is compared as a date whether the pool holds `yyyy-mm-dd` or the CSV's
 * `mm/dd/yyyy`, because the import writes the latter and the documentation does not say which Cognito keeps.
 */
import type { AttributeValue, DeclaredUser } from "./declared-user";
import type { PoolUser } from "./pool-user";

/** The text Cognito holds for a declared value. */
export function poolValueOf(value: AttributeValue): string {
  if (typeof value === "boolean") return value ? "true" : "false";
  return String(value);
}

/** A birthdate as the import writes it (`mm/dd/yyyy`) in ISO form (`yyyy-mm-dd`); undefined for any other text. */
export function isoFromImportDate(value: string): string | undefined {
  const us = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  return us ? `${us[3]}-${us[1]}-${us[2]}` : undefined;
}

function comparable(name: string, value: string): string {
  if (name === "birthdate") return isoFromImportDate(value) ?? value;
  if (name === "email") return value.toLowerCase();
  return value;
}

/** Names of the declared attributes whose pool value differs, sorted. */
export function differingAttributes(declared: DeclaredUser, pool: PoolUser): string[] {
  const names: string[] = [];
  for (const [name, value] of Object.entries(declared.attributes)) {
    const have = pool.attributes[name];
    if (have === undefined || comparable(name, have) !== comparable(name, poolValueOf(value))) names.push(name);
  }
  return names.sort();
}
