/**
 * The pool's own configuration, as DescribeUserPool reports it, against what the stack file says of it.
 *
 * Validation without credentials (a fork's pull request) has only the stack file; a credentialed plan or apply
 * reads the pool. Every setting that changes a validation rule or an outcome of the roster is compared here, and a
 * difference stops the run: a green check against a stack that describes another pool says nothing.
 *
 * Pure: the engine hands it the run's one DescribeUserPool answer (reduced to PoolSettings by aws/pool-users.ts).
 * Not compared, because DescribeUserPool does not report it: `mfaFactors` (GetUserPoolMfaConfig).
 */
import type { PoolProfile, RecoveryMechanism } from "./profile";
import { RosterConfigError } from "./roster-errors";

/** A custom attribute as the pool's schema holds it (`custom:` prefix removed). */
interface PoolCustomAttribute {
  type: string;
  minLength?: number;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
  mutable: boolean;
}

/** What the roster reads of a DescribeUserPool answer. */
export interface PoolSettings {
  name: string;
  usernameAttributes: string[];
  aliasAttributes: string[];
  /** UsernameConfiguration.CaseSensitive; a pool that reports none predates the setting and is case-sensitive. */
  caseSensitive: boolean;
  autoVerifiedAttributes: string[];
  mfaConfiguration: string;
  /** Standard attributes the schema marks Required (`sub` left out: every pool requires it). */
  requiredAttributes: string[];
  customAttributes: Record<string, PoolCustomAttribute>;
  /** AccountRecoverySetting's mechanisms by priority; undefined when the pool has none (legacy behaviour). */
  accountRecovery?: string[];
  attributesRequireVerificationBeforeUpdate: string[];
  /** EmailConfiguration.EmailSendingAccount; COGNITO_DEFAULT when the pool reports none. */
  emailSendingAccount: string;
}

/** One setting on which the stack and the pool disagree: its stack key and both values, rendered. */
export interface SettingMismatch {
  key: string;
  stack: string;
  pool: string;
}

/** Cognito's bounds for a custom String attribute when none is set (CustomAttributeType: length 0–2,048). */
const STRING_MIN_LENGTH = 0;
const STRING_MAX_LENGTH = 2048;

/** Every setting on which `profile` and the pool differ, in the order of the stack settings table. */
export function compareStackWithPool(profile: PoolProfile, pool: PoolSettings): SettingMismatch[] {
  const mismatches: SettingMismatch[] = [];
  const check = (key: string, stack: string, actual: string) => {
    if (stack !== actual) mismatches.push({ key: `cognito-roster:${key}`, stack, pool: actual });
  };
  check("userPoolName", profile.userPoolName, pool.name);
  check("autoVerifiedAttributes", set(profile.autoVerifiedAttributes), set(pool.autoVerifiedAttributes));
  check("mfaConfiguration", profile.mfaConfiguration, pool.mfaConfiguration);
  check("requiredAttributes", set(profile.requiredAttributes), set(pool.requiredAttributes));
  for (const name of [...new Set([...Object.keys(profile.customAttributes), ...Object.keys(pool.customAttributes)])].sort()) {
    const declared = profile.customAttributes[name];
    check(
      `customAttributes.${name}`,
      declared ? customAttribute({ ...declared, mutable: declared.mutable ?? true }) : "(not declared)",
      pool.customAttributes[name] ? customAttribute(pool.customAttributes[name]) : "(none)",
    );
  }
  check("usernameCaseSensitive", String(profile.usernameCaseSensitive), String(pool.caseSensitive));
  check("usernameAttributes", set(profile.usernameAttributes), set(pool.usernameAttributes));
  check("aliasAttributes", set(profile.aliasAttributes), set(pool.aliasAttributes));
  check("accountRecovery", recovery(profile.accountRecovery), recovery(pool.accountRecovery));
  check(
    "attributesRequireVerificationBeforeUpdate",
    set(profile.attributesRequireVerificationBeforeUpdate),
    set(pool.attributesRequireVerificationBeforeUpdate),
  );
  check("emailSendingAccount", profile.emailSendingAccount, pool.emailSendingAccount);
  return mismatches;
}

/** One line per mismatch: `cognito-roster:KEY: stack VALUE, pool VALUE`. */
export function formatSettingMismatch(m: SettingMismatch): string {
  return `${m.key}: stack ${m.stack}, pool ${m.pool}`;
}

/** An unordered list, rendered sorted as YAML flow. */
function set(values: readonly string[]): string {
  return `[${[...new Set(values)].sort().join(", ")}]`;
}

/** An ordered list (priority matters), or "(not set)". */
function recovery(mechanisms: readonly (RecoveryMechanism | string)[] | undefined): string {
  return mechanisms === undefined ? "(not set)" : `[${mechanisms.join(", ")}]`;
}

/** A custom attribute as YAML flow, with Cognito's defaults filled in so that "not set" and the default agree. */
function customAttribute(a: PoolCustomAttribute): string {
  const parts = [`type: ${a.type}`];
  if (a.type === "String") parts.push(`minLength: ${a.minLength ?? STRING_MIN_LENGTH}`, `maxLength: ${a.maxLength ?? STRING_MAX_LENGTH}`);
  if (a.minValue !== undefined) parts.push(`minValue: ${a.minValue}`);
  if (a.maxValue !== undefined) parts.push(`maxValue: ${a.maxValue}`);
  parts.push(`mutable: ${a.mutable}`);
  return `{${parts.join(", ")}}`;
}

/**
 * The configuration error for a stack that does not describe its pool, or undefined. Its message has one line per
 * setting, so the CLI prints it as it is (exit 2) and Pulumi shows it as the failure.
 */
export function poolSettingsError(profile: PoolProfile, pool: { settings: PoolSettings }): RosterConfigError | undefined {
  const mismatches = compareStackWithPool(profile, pool.settings);
  if (mismatches.length === 0) return undefined;
  return new RosterConfigError(
    `the stack config does not match pool ${profile.userPoolId} (DescribeUserPool); nothing was read or changed. ` +
      `Set ${mismatches.length === 1 ? "this setting" : "these settings"} to the pool's value (the pool decides):\n` +
      mismatches.map((m) => `  ${formatSettingMismatch(m)}`).join("\n"),
  );
}
