/**
 * Creates a stack's user pool in the local emulator, the way anyone would create a pool: CreateUserPool (then
 * SetUserPoolMfaConfig for MFA, and CreateGroup for the stack's groups) through the AWS SDK, signed for the stack's
 * Region. The emulator knows nothing of
 * stack profiles; this module is the product side that turns one into API calls.
 *
 * Our stacks name a fixed pool id, which AWS would assign: the emulator's documented extension takes it from the
 * `cognito-roster-emulator:user-pool-id` tag. A pool with that id already in the emulator's state (a restart) is
 * fine. Never point this at AWS: it is for the local emulator only.
 */
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolCommand,
  UpdateGroupCommand,
  SetUserPoolMfaConfigCommand,
  type CreateUserPoolCommandInput,
  type SetUserPoolMfaConfigCommandInput,
  type SchemaAttributeType,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PoolProfile } from "../core/profile";

/** The emulator's fixed-id tag (emulator/README.md, "Creating pools"). */
const EMULATOR_POOL_ID_TAG = "cognito-roster-emulator:user-pool-id";

/** Creates `profile`'s pool in the emulator at `endpoint`; an existing pool with the same id is left as it is. */
export async function createStackPool(profile: PoolProfile, endpoint: string): Promise<void> {
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: profile.region,
    // The emulator accepts any signature; placeholder keys keep the SDK from searching for real credentials.
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID || "emulator",
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY || "emulator",
    },
    maxAttempts: 3,
  });
  try {
    let created = true;
    try {
      await client.send(new CreateUserPoolCommand(createUserPoolInput(profile)));
    } catch (e) {
      if (!isAlreadyThere(e, profile.userPoolId)) throw e;
      created = false;
    }
    if (created && profile.mfaConfiguration !== "OFF") {
      // CreateUserPool accepts MFA ON/OPTIONAL only with an SMS configuration; TOTP MFA is set here instead.
      await client.send(new SetUserPoolMfaConfigCommand(mfaConfigInput(profile)));
    }
    // The stack's groups, as the Pulumi program declares them (program/user-groups.ts): also into a pool kept from
    // an earlier run, so a group added to the stack appears on the next start. Memberships are the roster's job.
    await createStackGroups(client, profile);
  } finally {
    client.destroy();
  }
}

/** CreateGroup for each group the stack manages; one that exists is updated to the stack's description, precedence and role. */
async function createStackGroups(client: CognitoIdentityProviderClient, profile: PoolProfile): Promise<void> {
  for (const [name, group] of Object.entries(profile.groups ?? {})) {
    const input = {
      UserPoolId: profile.userPoolId,
      GroupName: name,
      Description: group.description,
      Precedence: group.precedence,
      RoleArn: group.roleArn,
    };
    try {
      await client.send(new CreateGroupCommand(input));
    } catch (e) {
      if ((e as { name?: string }).name !== "GroupExistsException") throw e;
      await client.send(new UpdateGroupCommand(input));
    }
  }
}

/** The role Cognito would send SMS through; the emulator sends nothing, but SMS MFA needs one named. */
const EMULATOR_SMS_ROLE = "arn:aws:iam::000000000000:role/cognito-roster-sms";

/** The SES identity a DEVELOPER pool sends from (CreateUserPool requires one); the emulator sends nothing. */
function emulatorSesIdentity(region: string): string {
  return `arn:aws:ses:${region}:000000000000:identity/roster.example.com`;
}

/** SetUserPoolMfaConfig for the stack's `mfaFactors` (an authenticator app when the stack names none). */
function mfaConfigInput(profile: PoolProfile): SetUserPoolMfaConfigCommandInput {
  const factors = profile.mfaFactors ?? ["softwareToken"];
  return {
    UserPoolId: profile.userPoolId,
    MfaConfiguration: profile.mfaConfiguration,
    ...(factors.includes("sms")
      ? { SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: EMULATOR_SMS_ROLE, ExternalId: "cognito-roster" } } }
      : {}),
    SoftwareTokenMfaConfiguration: { Enabled: factors.includes("softwareToken") },
    ...(factors.includes("email") ? { EmailMfaConfiguration: {} } : {}),
  };
}

/** The CreateUserPool request for a stack profile (MFA is set afterwards). @internal */
export function createUserPoolInput(profile: PoolProfile): CreateUserPoolCommandInput {
  const schema: SchemaAttributeType[] = profile.requiredAttributes.map((name) => ({ Name: name, Required: true, Mutable: true }));
  for (const [name, spec] of Object.entries(profile.customAttributes)) {
    const attr: SchemaAttributeType = { Name: name, AttributeDataType: spec.type, Mutable: spec.mutable ?? true };
    if (spec.type === "String")
      attr.StringAttributeConstraints = definedOnly({ MinLength: str(spec.minLength), MaxLength: str(spec.maxLength) });
    else attr.NumberAttributeConstraints = definedOnly({ MinValue: str(spec.minValue), MaxValue: str(spec.maxValue) });
    schema.push(attr);
  }
  return {
    PoolName: profile.userPoolName,
    AutoVerifiedAttributes: [...profile.autoVerifiedAttributes],
    UsernameConfiguration: { CaseSensitive: profile.usernameCaseSensitive },
    ...(profile.usernameAttributes.length > 0 ? { UsernameAttributes: [...profile.usernameAttributes] } : {}),
    ...(profile.aliasAttributes.length > 0 ? { AliasAttributes: [...profile.aliasAttributes] } : {}),
    ...(profile.accountRecovery
      ? { AccountRecoverySetting: { RecoveryMechanisms: profile.accountRecovery.map((Name, i) => ({ Name, Priority: i + 1 })) } }
      : {}),
    ...(profile.attributesRequireVerificationBeforeUpdate.length > 0
      ? {
          UserAttributeUpdateSettings: {
            AttributesRequireVerificationBeforeUpdate: [...profile.attributesRequireVerificationBeforeUpdate],
          },
        }
      : {}),
    ...(profile.emailSendingAccount === "DEVELOPER"
      ? { EmailConfiguration: { EmailSendingAccount: "DEVELOPER", SourceArn: emulatorSesIdentity(profile.region) } }
      : {}),
    ...(schema.length > 0 ? { Schema: schema } : {}),
    UserPoolTags: { [EMULATOR_POOL_ID_TAG]: profile.userPoolId },
  };
}

function isAlreadyThere(e: unknown, poolId: string): boolean {
  const err = e as { name?: string; message?: string };
  return err.name === "InvalidParameterException" && err.message === `User pool ${poolId} already exists.`;
}

const str = (n: number | undefined) => (n === undefined ? undefined : String(n));

function definedOnly<T extends Record<string, string | undefined>>(o: T): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, string>;
}
