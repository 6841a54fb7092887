/** The stack's `customAttributes` (core/profile.ts): each one's type, bounds and mutability, checked as Cognito would. */
import { closestName } from "./closest-name";
import type { CustomAttribute } from "./profile";
import { describeConfigValue, setting, type StackSettings } from "./stack-settings";

export function readCustomAttributes(settings: StackSettings): Record<string, CustomAttribute> {
  const key = setting("customAttributes");
  const customAttributes: Record<string, CustomAttribute> = {};
  const custom = settings.get(key);
  if (custom === undefined || custom === null) return customAttributes;
  if (typeof custom !== "object" || Array.isArray(custom)) {
    settings.fail(key, "must be a mapping of name to {type, minLength, maxLength, minValue, maxValue}");
    return customAttributes;
  }
  for (const [name, spec] of Object.entries(custom as Record<string, unknown>)) {
    const parsed = parseCustomAttribute(name, spec);
    if ("problem" in parsed) settings.fail(key, parsed.problem, parsed.at);
    else customAttributes[name] = parsed;
  }
  return customAttributes;
}

/** What is wrong with a custom attribute's spec, and where inside `customAttributes`. */
interface SpecProblem {
  problem: string;
  at: (string | number)[];
}

const CUSTOM_ATTRIBUTE_KEYS = ["type", "minLength", "maxLength", "minValue", "maxValue", "mutable"];

function parseCustomAttribute(name: string, spec: unknown): CustomAttribute | SpecProblem {
  if (!/^[\w-]{1,20}$/.test(name)) return { problem: `custom attribute name "${name}" must be 1-20 letters, digits, _ or -`, at: [] };
  if (typeof spec !== "object" || spec === null || Array.isArray(spec))
    return { problem: `custom attribute ${name} must be a mapping with a type`, at: [name] };
  const s = spec as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    if (CUSTOM_ATTRIBUTE_KEYS.includes(k)) continue;
    const closest = closestName(k, CUSTOM_ATTRIBUTE_KEYS);
    const hint = closest !== undefined ? `did you mean ${closest}?` : `known: ${CUSTOM_ATTRIBUTE_KEYS.join(", ")}`;
    return { problem: `custom attribute ${name}: unknown key ${k} (${hint})`, at: [name, k] };
  }
  if (s.type !== "String" && s.type !== "Number")
    return { problem: `custom attribute ${name}: type must be String or Number (got ${describeConfigValue(s.type)})`, at: [name, "type"] };
  const out: CustomAttribute = { type: s.type };
  // Lengths for a String attribute, values for a Number one: the other pair would be silently meaningless.
  const bounds = s.type === "String" ? (["minLength", "maxLength"] as const) : (["minValue", "maxValue"] as const);
  for (const k of ["minLength", "maxLength", "minValue", "maxValue"] as const) {
    if (s[k] === undefined) continue;
    if (!(bounds as readonly string[]).includes(k))
      return { problem: `custom attribute ${name}: ${k} does not apply to a ${s.type} attribute`, at: [name, k] };
    const n = wholeNumberSetting(s[k]);
    if (n === undefined)
      return { problem: `custom attribute ${name}: ${k} must be a whole number (got ${describeConfigValue(s[k])})`, at: [name, k] };
    if (k.endsWith("Length") && (n < 0 || n > 2048))
      return { problem: `custom attribute ${name}: ${k} must be from 0 to 2048 (Cognito's attribute length limit)`, at: [name, k] };
    out[k] = n;
  }
  const [min, max] = s.type === "String" ? [out.minLength, out.maxLength] : [out.minValue, out.maxValue];
  if (min !== undefined && max !== undefined && min > max)
    return { problem: `custom attribute ${name}: ${bounds[0]} ${min} is greater than ${bounds[1]} ${max}`, at: [name, bounds[0]] };
  if (s.mutable !== undefined) {
    if (typeof s.mutable !== "boolean")
      return {
        problem: `custom attribute ${name}: mutable must be true or false (got ${describeConfigValue(s.mutable)})`,
        at: [name, "mutable"],
      };
    out.mutable = s.mutable;
  }
  return out;
}

/**
 * A whole number written as a YAML number or as decimal text (Pulumi hands config to providers as text), within
 * JavaScript's exact integers; undefined for anything else (`true`, `""`, `1.5`, a float beyond 2^53).
 */
function wholeNumberSetting(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?[0-9]+$/.test(v) ? Number(v) : Number.NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}
