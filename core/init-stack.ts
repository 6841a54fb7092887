/**
 * `cognito-roster init`: the text of a `Pulumi.<stack>.yaml` written from a live pool. Every setting that describes the
 * pool is taken from its DescribeUserPool answer (and GetUserPoolMfaConfig for the MFA factors), with a comment
 * naming the field it came from; the roster's own policies are written with their defaults and say so. The text
 * must pass core/profile.ts, and the pool-describing settings must compare equal (core/pool-settings.ts).
 *
 * Pure: values in, YAML text out. Values are written as YAML flow scalars through one escaping path (`scalar`).
 */
import type { PoolSettings } from "./pool-settings";

type MfaFactor = "sms" | "softwareToken" | "email";

export interface InitStackInput {
  stack: string;
  region: string;
  userPoolId: string;
  settings: PoolSettings;
  /** From GetUserPoolMfaConfig; undefined when the pool's MFA is OFF (the setting is then not written). */
  mfaFactors?: MfaFactor[];
}

/** Names DescribeUserPool reports that the stack file cannot express (so init cannot describe the pool). */
export function unsupportedSettings(settings: PoolSettings): string[] {
  const problems: string[] = [];
  for (const [name, a] of Object.entries(settings.customAttributes)) {
    if (a.type !== "String" && a.type !== "Number")
      problems.push(`custom:${name} is of type ${a.type}: the roster declares String and Number custom attributes only`);
    if (!/^[\w-]{1,20}$/.test(name)) problems.push(`custom:${name}: a name the stack file cannot hold`);
  }
  return problems;
}

/** The stack file's text. */
export function renderInitStack(input: InitStackInput): string {
  const { settings: s } = input;
  const lines = [
    `# The ${input.stack} stack, written by \`cognito-roster init\` from pool ${input.userPoolId} (DescribeUserPool).`,
    "# Settings that describe the pool say which field they came from: every credentialed plan and apply compares",
    "# them with the pool again and stops when they differ. The roster's own policies are defaults: review them.",
    '# Every setting: README.md, "Stack settings".',
    "config:",
    `  aws:region: ${scalar(input.region)}  # the Region the pool id names`,
    `  cognito-roster:userPoolId: ${scalar(input.userPoolId)}`,
    `  cognito-roster:userPoolName: ${scalar(s.name)}  # DescribeUserPool Name`,
    `  cognito-roster:autoVerifiedAttributes: ${list(s.autoVerifiedAttributes)}  # AutoVerifiedAttributes`,
    `  cognito-roster:mfaConfiguration: ${scalar(s.mfaConfiguration)}  # MfaConfiguration`,
    ...(input.mfaFactors && s.mfaConfiguration !== "OFF"
      ? [`  cognito-roster:mfaFactors: ${list(input.mfaFactors)}  # GetUserPoolMfaConfig: the factors enabled`]
      : []),
    `  cognito-roster:requiredAttributes: ${list(s.requiredAttributes)}  # SchemaAttributes with Required: true`,
    ...customAttributeLines(s),
    `  cognito-roster:usernameCaseSensitive: ${s.caseSensitive}  # UsernameConfiguration.CaseSensitive`,
    `  cognito-roster:usernameAttributes: ${list(s.usernameAttributes)}  # UsernameAttributes`,
    `  cognito-roster:aliasAttributes: ${list(s.aliasAttributes)}  # AliasAttributes`,
    ...(s.accountRecovery
      ? [`  cognito-roster:accountRecovery: ${list(s.accountRecovery)}  # AccountRecoverySetting, by priority`]
      : ["  # cognito-roster:accountRecovery is not set: the pool has no AccountRecoverySetting"]),
    `  cognito-roster:attributesRequireVerificationBeforeUpdate: ${list(s.attributesRequireVerificationBeforeUpdate)}` +
      "  # UserAttributeUpdateSettings",
    `  cognito-roster:emailSendingAccount: ${scalar(s.emailSendingAccount)}  # EmailConfiguration.EmailSendingAccount`,
    "  # The roster's policies (not the pool's): defaults, to be chosen by the team.",
    "  cognito-roster:usernameMustEqualEmail: false  # house rule",
    "  cognito-roster:attributeChanges: update",
    "  cognito-roster:removedUsers: retain",
    "  cognito-roster:maxRemovalFraction: 0.25",
    '  cognito-roster:sendSignInCode: "off"',
    "  # Not written: logsRoleArn (the Pulumi program creates the role), groups, contactPolicy, usernamePattern,",
    '  # officeAttribute (README, "Stack settings").',
  ];
  return `${lines.join("\n")}\n`;
}

function customAttributeLines(s: PoolSettings): string[] {
  const names = Object.keys(s.customAttributes).sort();
  if (names.length === 0) return ["  cognito-roster:customAttributes: {}  # SchemaAttributes: no custom: attribute"];
  const lines = ["  cognito-roster:customAttributes:  # SchemaAttributes custom:*, with their constraints and Mutable"];
  for (const name of names) {
    const a = s.customAttributes[name];
    lines.push(`    ${name}:`, `      type: ${scalar(a.type)}`);
    for (const key of ["minLength", "maxLength", "minValue", "maxValue"] as const) {
      const value = a[key];
      if (value !== undefined) lines.push(`      ${key}: ${value}`);
    }
    if (!a.mutable) lines.push("      mutable: false");
  }
  return lines;
}

/** A YAML flow list of scalars. */
function list(values: readonly string[]): string {
  return `[${values.map(scalar).join(", ")}]`;
}

/** One value as a YAML scalar: plain when it is a simple word, else double-quoted (JSON's escaping is YAML's). */
function scalar(value: string): string {
  return /^[A-Za-z][\w.-]*$/.test(value) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(value) ? value : JSON.stringify(value);
}
