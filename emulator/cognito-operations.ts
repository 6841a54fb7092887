/**
 * The cognito-idp operations (AWS JSON 1.1, target prefix `AWSCognitoIdentityProviderService.`): the import-job
 * API and the Admin* user operations here; pools in `user-pools.ts`, ListUsers in `list-users.ts`, app clients in
 * `app-clients.ts`, sign-in in `sign-in.ts`, password reset in `password-reset.ts`. Each handler validates its input
 * as the model does, then acts on the state; the router does transport, faults, quotas and call counts. Every pool
 * is looked up in the request's signing Region (`cognito-context.ts`), every user by username, `sub` or alias
 * (`user-lookup.ts`).
 */
import { randomUUID } from "node:crypto";
import { ServiceError, invalidParameter } from "./errors";
import type { ImportJob, PoolState } from "./emulator-state";
import { pool, secs, type CognitoContext, type Handler, type Input } from "./cognito-context";
import { listUsers, recordDelete, recordWrite } from "./list-users";
import { csvHeader, VERIFIABLE_ATTRIBUTES, type PoolConfig } from "./pool-model";
import * as V from "./request-validation";
import { preSignedUrl } from "./uploads";
import { lookUpUser, requireUser } from "./user-lookup";
import { claimAliases, refuseAliasShapedUsername } from "./aliases";
import { refuseUsernameAttributeInUse, usernameAttributeKind } from "./username-attributes";
import { appClientHandlers } from "./app-clients";
import { signInHandlers } from "./sign-in";
import { passwordResetHandlers } from "./password-reset";
import { userPoolHandlers } from "./user-pools";
import { groupHandlers } from "./groups";
import type { StoredUser } from "./users-store";

export type { CognitoContext } from "./cognito-context";

function jobShape(ctx: CognitoContext, job: ImportJob): Record<string, unknown> {
  const out: Record<string, unknown> = {
    JobName: job.JobName,
    JobId: job.JobId,
    UserPoolId: job.UserPoolId,
    PreSignedUrl: preSignedUrl(ctx.endpoint, job),
    CreationDate: secs(job.CreationDate),
    Status: job.Status,
    CloudWatchLogsRoleArn: job.CloudWatchLogsRoleArn,
    ImportedUsers: job.ImportedUsers,
    SkippedUsers: job.SkippedUsers,
    FailedUsers: job.FailedUsers,
  };
  if (job.StartDate !== undefined) out.StartDate = secs(job.StartDate);
  if (job.CompletionDate !== undefined) out.CompletionDate = secs(job.CompletionDate);
  if (job.CompletionMessage !== undefined) out.CompletionMessage = job.CompletionMessage;
  return out;
}

function attributeList(u: StoredUser, only?: readonly string[]): { Name: string; Value: string }[] {
  const names = only ?? Object.keys(u.attributes);
  return names.filter((n) => u.attributes[n] !== undefined).map((n) => ({ Name: n, Value: u.attributes[n] }));
}

function userShape(u: StoredUser, only?: readonly string[]): Record<string, unknown> {
  return {
    Username: u.username,
    Attributes: attributeList(u, only),
    UserCreateDate: secs(u.created),
    UserLastModifiedDate: secs(u.modified),
    Enabled: u.enabled,
    UserStatus: u.status,
  };
}

/** Checks AdminCreateUser / AdminUpdateUserAttributes attributes against the pool schema. */
/**
 * AdminCreateUser with `email_verified` (`phone_number_verified`) true and no email (phone number): a flag that
 * marks nothing verified. AWS refuses it with InvalidParameterException (the AdminCreateUser API reference lists that
 * error for attributes it cannot accept; the behaviour is the one issue 18 records from the service).
 */
function refuseVerifiedWithoutValue(attrs: Record<string, string>): void {
  for (const name of ["email", "phone_number"]) {
    if (attrs[`${name}_verified`] === "true" && !attrs[name]) throw invalidParameter(`${name}_verified is true but no ${name} is given.`);
  }
}

function checkAttributes(config: PoolConfig, attrs: { Name: string; Value?: string }[], creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of attrs) {
    if (typeof a?.Name !== "string")
      throw invalidParameter(
        "1 validation error detected: Value null at 'userAttributes.member.name' failed to satisfy constraint: Member must not be null",
      );
    const schema = config.schema.find((s) => s.Name === a.Name);
    if (!schema) throw invalidParameter(`Attributes did not conform to the schema: Type for attribute {${a.Name}} could not be determined`);
    if (a.Name === "sub" || (!creating && !schema.Mutable))
      throw invalidParameter(`Attribute cannot be updated. (changing an immutable attribute)`);
    const v = a.Value ?? "";
    if (a.Name === "email" && v !== "" && !/^[^\s@]+@[^\s@]+$/u.test(v)) throw invalidParameter("Invalid email address format.");
    if (a.Name === "phone_number" && v !== "" && !/^\+[1-9][0-9]{1,14}$/.test(v)) throw invalidParameter("Invalid phone number format.");
    if (schema.AttributeDataType === "Boolean" && v !== "" && v !== "true" && v !== "false")
      throw invalidParameter(`Attributes did not conform to the schema: ${a.Name}: Value must be true or false`);
    if (schema.AttributeDataType === "Number" && v !== "" && !/^-?\d+$/.test(v))
      throw invalidParameter(`Attributes did not conform to the schema: ${a.Name}: Number must be a whole number`);
    const sc = schema.StringAttributeConstraints;
    if (schema.AttributeDataType === "String" && sc) {
      const len = [...v].length;
      if ((sc.MinLength !== undefined && len < Number(sc.MinLength)) || (sc.MaxLength !== undefined && len > Number(sc.MaxLength))) {
        throw invalidParameter(
          `Attributes did not conform to the schema: ${a.Name}: ` +
            `String must be between ${sc.MinLength ?? 0} and ${sc.MaxLength ?? 2048} characters`,
        );
      }
    }
    out[a.Name] = v;
  }
  return out;
}

const handlers: Record<string, Handler> = {
  ...userPoolHandlers,
  ...appClientHandlers,
  ...signInHandlers,
  ...passwordResetHandlers,
  ...groupHandlers,
  GetCSVHeader(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID });
    const id = input.UserPoolId as string;
    return { UserPoolId: id, CSVHeader: csvHeader(pool(ctx, id).config) };
  },
  CreateUserImportJob(ctx, input) {
    V.validateRequest(input, { JobName: V.JOB_NAME, UserPoolId: V.USER_POOL_ID, CloudWatchLogsRoleArn: V.ARN });
    pool(ctx, input.UserPoolId as string);
    return {
      UserImportJob: jobShape(
        ctx,
        ctx.jobs.create(input.UserPoolId as string, input.JobName as string, input.CloudWatchLogsRoleArn as string),
      ),
    };
  },
  StartUserImportJob(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, JobId: V.JOB_ID });
    const target = pool(ctx, input.UserPoolId as string);
    // Developer guide, "Importing users into a user pool": a pool without an auto-verified attribute cannot run an
    // import job (the job "will not start").
    if (target.config.autoVerifiedAttributes.length === 0)
      throw invalidParameter("The user pool has no auto-verified attributes (email or phone_number): an import job cannot start.");
    return { UserImportJob: jobShape(ctx, ctx.jobs.start(input.UserPoolId as string, input.JobId as string)) };
  },
  StopUserImportJob(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, JobId: V.JOB_ID });
    pool(ctx, input.UserPoolId as string);
    return { UserImportJob: jobShape(ctx, ctx.jobs.stop(input.UserPoolId as string, input.JobId as string)) };
  },
  DescribeUserImportJob(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, JobId: V.JOB_ID });
    pool(ctx, input.UserPoolId as string);
    return { UserImportJob: jobShape(ctx, ctx.jobs.find(input.UserPoolId as string, input.JobId as string)) };
  },
  ListUserImportJobs(ctx, input) {
    V.validateRequest(input, {
      UserPoolId: V.USER_POOL_ID,
      MaxResults: { kind: "number", required: true, min: 1, max: 60 },
      PaginationToken: V.PAGINATION_KEY,
    });
    pool(ctx, input.UserPoolId as string);
    const jobs = ctx.jobs.list(input.UserPoolId as string);
    let start = 0;
    if (input.PaginationToken !== undefined) {
      const i = jobs.findIndex((j) => j.JobId === input.PaginationToken);
      if (i < 0) throw invalidParameter("Invalid pagination token.");
      start = i;
    }
    const max = input.MaxResults as number;
    const page = jobs.slice(start, start + max);
    const out: Record<string, unknown> = { UserImportJobs: page.map((j) => jobShape(ctx, j)) };
    if (start + max < jobs.length) out.PaginationToken = jobs[start + max].JobId;
    return out;
  },
  ListUsers: listUsers,
  AdminGetUser(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, Username: V.USERNAME });
    const u = requireUser(pool(ctx, input.UserPoolId as string), input.Username as string);
    const s = userShape(u);
    return {
      Username: s.Username,
      UserAttributes: s.Attributes,
      UserCreateDate: s.UserCreateDate,
      UserLastModifiedDate: s.UserLastModifiedDate,
      Enabled: s.Enabled,
      UserStatus: s.UserStatus,
    };
  },
  AdminCreateUser(ctx, input) {
    V.validateRequest(input, {
      UserPoolId: V.USER_POOL_ID,
      Username: V.USERNAME,
      UserAttributes: { kind: "list" },
      TemporaryPassword: { kind: "string", max: 256, pattern: "[\\S]+", sensitive: true },
      MessageAction: { kind: "string", enum: ["RESEND", "SUPPRESS"] },
      DesiredDeliveryMediums: { kind: "list", member: { kind: "string", enum: ["SMS", "EMAIL"] } },
      ForceAliasCreation: { kind: "boolean" },
    });
    const p = pool(ctx, input.UserPoolId as string);
    const attrs = checkAttributes(p.config, (input.UserAttributes as { Name: string; Value?: string }[] | undefined) ?? [], true);
    refuseVerifiedWithoutValue(attrs);
    refuseAliasShapedUsername(p, input.Username as string);
    const username = usernameForNewUser(p, input.Username as string, attrs);
    const missing = p.config.schema.filter((s) => s.Required && s.Name !== "sub" && !attrs[s.Name]);
    if (missing.length > 0)
      throw invalidParameter(
        `Attributes did not conform to the schema: ${missing.map((s) => `${s.Name}: The attribute is required`).join("\n")}\n`,
      );
    if (p.users.has(username)) throw new ServiceError("UsernameExistsException", "User account already exists.");
    claimAliases(p, attrs, undefined, { force: input.ForceAliasCreation === true });
    for (const k of Object.keys(attrs)) if (attrs[k] === "") delete attrs[k];
    const u = p.users.add(username, attrs, "FORCE_CHANGE_PASSWORD", ctx.clock());
    // The temporary password: the one given, else one Cognito would generate (never returned; tests set their own).
    u.password = (input.TemporaryPassword as string | undefined) ?? `Tmp-${randomUUID()}`;
    recordInvitation(ctx, p.config.id, u.username, u.password, attrs, input);
    ctx.changed();
    return { User: userShape(u) };
  },
  AdminUpdateUserAttributes(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, Username: V.USERNAME, UserAttributes: { kind: "list", required: true } });
    const p = pool(ctx, input.UserPoolId as string);
    const u = requireUser(p, input.Username as string);
    const attrs = withVerification(
      p.config,
      u,
      checkAttributes(p.config, input.UserAttributes as { Name: string; Value?: string }[], false),
    );
    // AdminUpdateUserAttributes lists AliasExistsException: a verified alias another user holds is refused.
    claimAliases(p, { ...u.attributes, ...attrs }, u, { force: false });
    refuseUsernameAttributeInUse(p, u, attrs);
    recordWrite(ctx, u);
    p.users.setAttributes(u, attrs);
    u.modified = ctx.clock();
    ctx.changed();
    return {};
  },
  AdminDisableUser(ctx, input) {
    return setEnabled(ctx, input, false);
  },
  AdminEnableUser(ctx, input) {
    return setEnabled(ctx, input, true);
  },
  AdminDeleteUser(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, Username: V.USERNAME });
    const p = pool(ctx, input.UserPoolId as string);
    const u = requireUser(p, input.Username as string);
    recordDelete(ctx, p, u.username);
    ctx.changed();
    return {};
  },
};

/**
 * What AdminUpdateUserAttributes really stores for `email` / `phone_number` (API reference, AdminUpdateUserAttributes
 * `UserAttributes`; developer guide "Verifying updates to email addresses and phone numbers"):
 * - a changed value is stored and marked unverified, unless the same call sets `<attr>_verified` to true;
 * - in a pool whose AttributesRequireVerificationBeforeUpdate names the attribute, a changed value that the call
 *   does not mark verified is not stored: "Your user can sign in and receive messages with the original attribute
 *   value until they verify the new value" (the old value and its verified flag stay).
 */
function withVerification(config: PoolConfig, u: StoredUser, attrs: Record<string, string>): Record<string, string> {
  const out = { ...attrs };
  for (const name of VERIFIABLE_ATTRIBUTES) {
    if (!(name in out) || out[name] === (u.attributes[name] ?? "")) continue;
    const flag = `${name}_verified`;
    if (out[flag] === "true") continue;
    if ((config.verifyBeforeUpdate ?? []).includes(name) && out[name] !== "") {
      delete out[name];
      continue;
    }
    out[flag] = "false";
  }
  return out;
}

/**
 * The username a new user gets. In a pool with UsernameAttributes (username-attributes.ts) the given `Username`
 * must be an email address or phone number of an allowed kind; it becomes that attribute and the user's username is
 * a generated UUID, the same value as its `sub`, as Cognito does.
 */
function usernameForNewUser(p: PoolState, given: string, attrs: Record<string, string>): string {
  if (p.config.usernameAttributes.length === 0) return given;
  const shape = usernameAttributeKind(p, given);
  if ("refusal" in shape) throw invalidParameter(shape.refusal);
  if (lookUpUser(p, given))
    throw new ServiceError(
      "UsernameExistsException",
      `An account with the given ${shape.kind === "email" ? "email" : "phone_number"} already exists.`,
    );
  attrs[shape.kind] = given;
  attrs.sub = randomUUID();
  return attrs.sub;
}

function setEnabled(ctx: CognitoContext, input: Input, enabled: boolean): unknown {
  V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, Username: V.USERNAME });
  const u = requireUser(pool(ctx, input.UserPoolId as string), input.Username as string);
  recordWrite(ctx, u);
  u.enabled = enabled;
  u.modified = ctx.clock();
  ctx.changed();
  return {};
}

export function cognitoHandler(operation: string): Handler | undefined {
  return Object.hasOwn(handlers, operation) ? handlers[operation] : undefined;
}

/**
 * The invitation AdminCreateUser sends (API reference): none with `MessageAction: SUPPRESS`; by "SMS" (the default of
 * `DesiredDeliveryMediums`) and/or "EMAIL", to the user's phone_number / email, carrying the temporary password.
 */
function recordInvitation(
  ctx: CognitoContext,
  userPoolId: string,
  username: string,
  temporaryPassword: string,
  attrs: Record<string, string>,
  input: Record<string, unknown>,
): void {
  if (input.MessageAction === "SUPPRESS") return;
  const mediums = (input.DesiredDeliveryMediums as ("SMS" | "EMAIL")[] | undefined) ?? ["SMS"];
  for (const medium of mediums) {
    const destination = medium === "EMAIL" ? attrs.email : attrs.phone_number;
    if (!destination) continue;
    ctx.state.sent.push({
      userPoolId,
      username,
      reason: "AdminCreateUser",
      deliveryMedium: medium,
      destination,
      code: temporaryPassword,
      sentAt: ctx.clock(),
    });
  }
}
