/**
 * Creates a stack's user pool in the local emulator, the way anyone would create a pool: CreateUserPool (then
 * SetUserPoolMfaConfig for MFA) through the AWS SDK, signed for the stack's Region. The emulator knows nothing of
 * stack profiles; this module is the product side that turns one into API calls.
 *
 * Our stacks name a fixed pool id, which AWS would assign: the emulator's documented extension takes it from the
 * `cognito-roster-emulator:user-pool-id` tag. A pool with that id already in the emulator's state (a restart) is
 * fine. Never point this at AWS: it is for the local emulator only.
 */
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
  type CreateUserPoolCommandInput,
  type SchemaAttributeType,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PoolProfile } from "../core/profile";

/** The emulator's fixed-id tag (emulator/README.md, "Creating pools"). */
export const EMULATOR_POOL_ID_TAG = "cognito-roster-emulator:user-pool-id";

/** Creates `profile`'s pool in the emulator at `endpoint`; an existing pool with the same id is left as it is. */
export async function createStackPool(profile: PoolProfile, endpoint: string): Promise<void> {
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: profile.region,
    // The emulator accepts any signature; placeholder keys keep the SDK from searching for real credentials.
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID || "emulator", secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY || "emulator" },
    maxAttempts: 3,
  });
  try {
    try {
      await client.send(new CreateUserPoolCommand(createUserPoolInput(profile)));
    } catch (e) {
      if (isAlreadyThere(e, profile.userPoolId)) return;
      throw e;
    }
    if (profile.mfaConfiguration !== "OFF") {
      // CreateUserPool accepts MFA ON/OPTIONAL only with an SMS configuration; TOTP MFA is set here instead.
      await client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: profile.userPoolId, SoftwareTokenMfaConfiguration: { Enabled: true }, MfaConfiguration: profile.mfaConfiguration }));
    }
  } finally {
    client.destroy();
  }
}

/** The CreateUserPool request for a stack profile (MFA is set afterwards). */
export function createUserPoolInput(profile: PoolProfile): CreateUserPoolCommandInput {
  const schema: SchemaAttributeType[] = profile.requiredAttributes.map((name) => ({ Name: name, Required: true, Mutable: true }));
  for (const [name, spec] of Object.entries(profile.customAttributes)) {
    const attr: SchemaAttributeType = { Name: name, AttributeDataType: spec.type, Mutable: true };
    if (spec.type === "String") attr.StringAttributeConstraints = definedOnly({ MinLength: str(spec.minLength), MaxLength: str(spec.maxLength) });
    else attr.NumberAttributeConstraints = definedOnly({ MinValue: str(spec.minValue), MaxValue: str(spec.maxValue) });
    schema.push(attr);
  }
  return {
    PoolName: profile.userPoolName,
    AutoVerifiedAttributes: [...profile.autoVerifiedAttributes],
    UsernameConfiguration: { CaseSensitive: profile.usernameCaseSensitive },
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
