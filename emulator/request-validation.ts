/**
 * Model validation of request members, with the service's own message format:
 * `N validation error(s) detected: Value 'x' at 'memberName' failed to satisfy constraint: Member must …`
 * joined by `; `, answered as `InvalidParameterException` (what cognito-idp and CloudWatch Logs send).
 *
 * Constraints are copied from the botocore models (cognito-idp 2016-04-18, logs 2014-03-28). This module only
 * checks shapes; semantic checks (does the pool exist) belong to the operations.
 */
import { ServiceError } from "./errors";

export interface StringRule {
  kind: "string";
  required?: boolean;
  min?: number;
  max?: number;
  /** The model's pattern text, quoted verbatim in messages; matched against the whole value. */
  pattern?: string;
  enum?: readonly string[];
  /** Sensitive members are not echoed: AWS writes `Value at 'x'` without the value. */
  sensitive?: boolean;
}
export interface NumberRule {
  kind: "number";
  required?: boolean;
  min?: number;
  max?: number;
}
export interface ListRule {
  kind: "list";
  required?: boolean;
  min?: number;
  max?: number;
  member?: StringRule;
}
interface OtherRule {
  kind: "boolean" | "object";
  required?: boolean;
}
type Rule = StringRule | NumberRule | ListRule | OtherRule;
export type Rules = Record<string, Rule>;

/** Compiled per check: requests are few and small, and a module-level cache would be shared mutable state. */
function regexFor(rule: StringRule): RegExp {
  return new RegExp(`^(?:${rule.pattern})$`, "su");
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function show(value: unknown, sensitive: boolean | undefined): string {
  if (sensitive) return "Value";
  if (value === null || value === undefined) return "Value null";
  if (Array.isArray(value)) return `Value '[${value.join(", ")}]'`;
  return `Value '${String(value)}'`;
}

function checkString(path: string, v: unknown, rule: StringRule, out: string[]): void {
  if (typeof v !== "string") {
    out.push(`${show(v, rule.sensitive)} at '${path}' failed to satisfy constraint: Member must be a string`);
    return;
  }
  const len = [...v].length;
  const at = `${show(v, rule.sensitive)} at '${path}' failed to satisfy constraint: `;
  if (rule.min !== undefined && len < rule.min) out.push(`${at}Member must have length greater than or equal to ${rule.min}`);
  if (rule.max !== undefined && len > rule.max) out.push(`${at}Member must have length less than or equal to ${rule.max}`);
  if (rule.pattern !== undefined && !regexFor(rule).test(v))
    out.push(`${at}Member must satisfy regular expression pattern: ${rule.pattern}`);
  if (rule.enum !== undefined && !rule.enum.includes(v)) out.push(`${at}Member must satisfy enum value set: [${rule.enum.join(", ")}]`);
}

/** Collects every violation, then throws one error naming them all (as the service does). */
export function validateRequest(input: Record<string, unknown>, rules: Rules): void {
  const out: string[] = [];
  for (const [member, rule] of Object.entries(rules)) {
    const path = lowerFirst(member);
    const v = input[member];
    if (v === undefined || v === null) {
      if (rule.required) out.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    if (rule.kind === "string") checkString(path, v, rule, out);
    else if (rule.kind === "number") {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        out.push(`${show(v, false)} at '${path}' failed to satisfy constraint: Member must be a number`);
        continue;
      }
      if (rule.min !== undefined && v < rule.min)
        out.push(`Value '${v}' at '${path}' failed to satisfy constraint: Member must have value greater than or equal to ${rule.min}`);
      if (rule.max !== undefined && v > rule.max)
        out.push(`Value '${v}' at '${path}' failed to satisfy constraint: Member must have value less than or equal to ${rule.max}`);
    } else if (rule.kind === "list") {
      if (!Array.isArray(v)) {
        out.push(`${show(v, false)} at '${path}' failed to satisfy constraint: Member must be a list`);
        continue;
      }
      if (rule.min !== undefined && v.length < rule.min)
        out.push(
          `${show(v, false)} at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`,
        );
      if (rule.max !== undefined && v.length > rule.max)
        out.push(`${show(v, false)} at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`);
      if (rule.member) {
        for (const [i, item] of v.entries()) checkString(`${path}.${i + 1}.member`, item, rule.member as StringRule, out);
      }
    }
  }
  if (out.length > 0) {
    const head = out.length === 1 ? "1 validation error detected: " : `${out.length} validation errors detected: `;
    throw new ServiceError("InvalidParameterException", head + out.join("; "));
  }
}

// Shapes of the cognito-idp model used by the emulated operations.
export const USER_POOL_ID: StringRule = { kind: "string", required: true, min: 1, max: 55, pattern: "[\\w-]+_[0-9a-zA-Z]+" };
export const USERNAME: StringRule = {
  kind: "string",
  required: true,
  min: 1,
  max: 128,
  pattern: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
  sensitive: true,
};
export const JOB_ID: StringRule = { kind: "string", required: true, min: 1, max: 55, pattern: "import-[0-9a-zA-Z-]+" };
export const JOB_NAME: StringRule = { kind: "string", required: true, min: 1, max: 128, pattern: "[\\w\\s+=,.@-]+" };
export const POOL_NAME: StringRule = { kind: "string", required: true, min: 1, max: 128, pattern: "[\\w\\s+=,.@-]+" };
export const ARN: StringRule = {
  kind: "string",
  required: true,
  min: 20,
  max: 2048,
  pattern: "arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?",
};
export const PAGINATION_KEY: StringRule = { kind: "string", min: 1, pattern: "[\\S]+" };
export const ATTRIBUTE_NAME: StringRule = { kind: "string", required: true, min: 1, max: 32, pattern: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+" };
