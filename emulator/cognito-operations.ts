/**
 * The cognito-idp operations (AWS JSON 1.1, target prefix `AWSCognitoIdentityProviderService.`): pools, the
 * import-job API, ListUsers and the Admin* user operations. Each handler validates its input as the model
 * does, then acts on the state; the router does transport, faults, quotas and call counts.
 */
import { ServiceError, invalidParameter, poolNotFound, userNotFound } from "./errors";
import type { EmulatorState, ImportJob, PoolState } from "./emulator-state";
import { ACTIVE_STATUSES } from "./emulator-state";
import { randomAlnum, type ImportJobs } from "./import-jobs";
import { parseUserFilter, userMatcher } from "./list-users-filter";
import { csvHeader, poolArn, standardSchema, type PoolConfig, type SchemaAttribute } from "./pool-model";
import * as V from "./request-validation";
import { preSignedUrl } from "./uploads";
import { UsersStore, type StoredUser } from "./users-store";

export interface CognitoContext {
  state: EmulatorState;
  jobs: ImportJobs;
  clock: () => number;
  accountId: string;
  region: string;
  endpoint: string;
  changed: () => void;
}

type Input = Record<string, unknown>;
type Handler = (ctx: CognitoContext, input: Input) => unknown;

const secs = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

function pool(ctx: CognitoContext, id: string): PoolState {
  const p = ctx.state.pools.get(id);
  if (!p) throw poolNotFound(id);
  return p;
}

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

function getUser(p: PoolState, username: string): StoredUser {
  const u = p.users.get(username);
  if (!u) throw userNotFound();
  return u;
}

const ATTRIBUTE_LIST: V.ListRule = { kind: "list", member: { ...V.ATTRIBUTE_NAME } };

/** Checks AdminCreateUser / AdminUpdateUserAttributes attributes against the pool schema. */
function checkAttributes(config: PoolConfig, attrs: { Name: string; Value?: string }[], creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of attrs) {
    if (typeof a?.Name !== "string") throw invalidParameter("1 validation error detected: Value null at 'userAttributes.member.name' failed to satisfy constraint: Member must not be null");
    const schema = config.schema.find((s) => s.Name === a.Name);
    if (!schema) throw invalidParameter(`Attributes did not conform to the schema: Type for attribute {${a.Name}} could not be determined`);
    if (a.Name === "sub" || (!creating && !schema.Mutable)) throw invalidParameter(`Attribute cannot be updated. (changing an immutable attribute)`);
    const v = a.Value ?? "";
    if (a.Name === "email" && v !== "" && !/^[^\s@]+@[^\s@]+$/u.test(v)) throw invalidParameter("Invalid email address format.");
    if (a.Name === "phone_number" && v !== "" && !/^\+[1-9][0-9]{1,14}$/.test(v)) throw invalidParameter("Invalid phone number format.");
    if (schema.AttributeDataType === "Boolean" && v !== "" && v !== "true" && v !== "false") throw invalidParameter(`Attributes did not conform to the schema: ${a.Name}: Value must be true or false`);
    if (schema.AttributeDataType === "Number" && v !== "" && !/^-?\d+$/.test(v)) throw invalidParameter(`Attributes did not conform to the schema: ${a.Name}: Number must be a whole number`);
    const sc = schema.StringAttributeConstraints;
    if (schema.AttributeDataType === "String" && sc) {
      const len = [...v].length;
      if ((sc.MinLength !== undefined && len < Number(sc.MinLength)) || (sc.MaxLength !== undefined && len > Number(sc.MaxLength))) {
        throw invalidParameter(`Attributes did not conform to the schema: ${a.Name}: String must be between ${sc.MinLength ?? 0} and ${sc.MaxLength ?? 2048} characters`);
      }
    }
    out[a.Name] = v;
  }
  return out;
}

const handlers: Record<string, Handler> = {
  CreateUserPool(ctx, input) {
    V.validateRequest(input, {
      PoolName: V.POOL_NAME,
      Schema: { kind: "list", min: 1, max: 50 },
      AutoVerifiedAttributes: { kind: "list", member: { kind: "string", enum: ["phone_number", "email"] } },
      MfaConfiguration: { kind: "string", enum: ["OFF", "ON", "OPTIONAL"] },
      UsernameAttributes: { kind: "list", member: { kind: "string", enum: ["phone_number", "email"] } },
      AliasAttributes: { kind: "list", member: { kind: "string", enum: ["phone_number", "email", "preferred_username"] } },
    });
    const schemaIn = (input.Schema as Partial<SchemaAttribute>[] | undefined) ?? [];
    const required = schemaIn.filter((s) => s.Required && !String(s.Name).startsWith("custom:")).map((s) => String(s.Name));
    const schema = standardSchema(required);
    for (const s of schemaIn) {
      if (typeof s.Name !== "string") throw invalidParameter("Schema attribute name is required.");
      if (schema.some((x) => x.Name === s.Name)) continue;
      const name = s.Name.startsWith("custom:") ? s.Name : `custom:${s.Name}`;
      schema.push(customSchemaAttribute(name, s));
    }
    let id: string;
    do id = `${ctx.region}_${randomAlnum(9)}`;
    while (ctx.state.pools.has(id));
    const now = ctx.clock();
    const config: PoolConfig = {
      id,
      name: input.PoolName as string,
      arn: poolArn(id, ctx.accountId),
      schema,
      autoVerifiedAttributes: (input.AutoVerifiedAttributes as string[] | undefined) ?? [],
      usernameAttributes: (input.UsernameAttributes as string[] | undefined) ?? [],
      aliasAttributes: (input.AliasAttributes as string[] | undefined) ?? [],
      mfaConfiguration: (input.MfaConfiguration as PoolConfig["mfaConfiguration"] | undefined) ?? "OFF",
      caseSensitive: (input.UsernameConfiguration as { CaseSensitive?: boolean } | undefined)?.CaseSensitive ?? true,
      creationDate: now,
      lastModifiedDate: now,
    };
    ctx.state.pools.set(id, { config, users: new UsersStore(config.caseSensitive) });
    ctx.changed();
    return { UserPool: poolShape(ctx.state.pools.get(id) as PoolState) };
  },
  DescribeUserPool(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID });
    return { UserPool: poolShape(pool(ctx, input.UserPoolId as string)) };
  },
  DeleteUserPool(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID });
    const id = input.UserPoolId as string;
    pool(ctx, id);
    refuseDuringImport(ctx, id, "delete");
    ctx.state.pools.delete(id);
    ctx.changed();
    return {};
  },
  UpdateUserPool(ctx, input) {
    V.validateRequest(input, {
      UserPoolId: V.USER_POOL_ID,
      AutoVerifiedAttributes: { kind: "list", member: { kind: "string", enum: ["phone_number", "email"] } },
      MfaConfiguration: { kind: "string", enum: ["OFF", "ON", "OPTIONAL"] },
    });
    const p = pool(ctx, input.UserPoolId as string);
    refuseDuringImport(ctx, p.config.id, "update");
    // As the API documents: a setting left out of UpdateUserPool returns to its default.
    p.config.autoVerifiedAttributes = (input.AutoVerifiedAttributes as string[] | undefined) ?? [];
    p.config.mfaConfiguration = (input.MfaConfiguration as PoolConfig["mfaConfiguration"] | undefined) ?? "OFF";
    p.config.lastModifiedDate = ctx.clock();
    ctx.changed();
    return {};
  },
  AddCustomAttributes(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, CustomAttributes: { kind: "list", required: true, min: 1, max: 25 } });
    const p = pool(ctx, input.UserPoolId as string);
    refuseDuringImport(ctx, p.config.id, "update");
    const added: SchemaAttribute[] = [];
    for (const s of input.CustomAttributes as Partial<SchemaAttribute>[]) {
      if (typeof s?.Name !== "string" || s.Name === "") throw invalidParameter("Custom attribute name is required.");
      const name = s.Name.startsWith("custom:") ? s.Name : `custom:${s.Name}`;
      if (p.config.schema.some((a) => a.Name === name) || added.some((a) => a.Name === name)) throw invalidParameter(`Existing attribute already has name ${name}.`);
      added.push(customSchemaAttribute(name, s));
    }
    p.config.schema.push(...added);
    p.config.lastModifiedDate = ctx.clock();
    ctx.changed();
    return {};
  },
  GetCSVHeader(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID });
    const id = input.UserPoolId as string;
    return { UserPoolId: id, CSVHeader: csvHeader(pool(ctx, id).config) };
  },
  CreateUserImportJob(ctx, input) {
    V.validateRequest(input, { JobName: V.JOB_NAME, UserPoolId: V.USER_POOL_ID, CloudWatchLogsRoleArn: V.ARN });
    return { UserImportJob: jobShape(ctx, ctx.jobs.create(input.UserPoolId as string, input.JobName as string, input.CloudWatchLogsRoleArn as string)) };
  },
  StartUserImportJob(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, JobId: V.JOB_ID });
    return { UserImportJob: jobShape(ctx, ctx.jobs.start(input.UserPoolId as string, input.JobId as string)) };
  },
  StopUserImportJob(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, JobId: V.JOB_ID });
    return { UserImportJob: jobShape(ctx, ctx.jobs.stop(input.UserPoolId as string, input.JobId as string)) };
  },
  DescribeUserImportJob(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, JobId: V.JOB_ID });
    return { UserImportJob: jobShape(ctx, ctx.jobs.find(input.UserPoolId as string, input.JobId as string)) };
  },
  ListUserImportJobs(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, MaxResults: { kind: "number", required: true, min: 1, max: 60 }, PaginationToken: V.PAGINATION_KEY });
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
  ListUsers(ctx, input) {
    V.validateRequest(input, {
      UserPoolId: V.USER_POOL_ID,
      AttributesToGet: ATTRIBUTE_LIST,
      Limit: { kind: "number", min: 0, max: 60 },
      PaginationToken: V.PAGINATION_KEY,
      Filter: { kind: "string", max: 256 },
    });
    const p = pool(ctx, input.UserPoolId as string);
    const filter = parseUserFilter(input.Filter as string | undefined);
    let after = 0;
    if (input.PaginationToken !== undefined) {
      const m = /^u([0-9]+)$/.exec(Buffer.from(String(input.PaginationToken), "base64url").toString("utf8"));
      if (!m) throw invalidParameter("Invalid pagination token.");
      after = Number(m[1]);
    }
    const limit = (input.Limit as number | undefined) || 60;
    const only = input.AttributesToGet as string[] | undefined;
    const page = p.users.page(after, limit, userMatcher(filter, p.config.caseSensitive));
    const out: Record<string, unknown> = { Users: page.users.map((u) => userShape(u, only)) };
    if (page.more) out.PaginationToken = Buffer.from(`u${page.lastSeq}`).toString("base64url");
    return out;
  },
  AdminGetUser(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, Username: V.USERNAME });
    const u = getUser(pool(ctx, input.UserPoolId as string), input.Username as string);
    const s = userShape(u);
    return { Username: s.Username, UserAttributes: s.Attributes, UserCreateDate: s.UserCreateDate, UserLastModifiedDate: s.UserLastModifiedDate, Enabled: s.Enabled, UserStatus: s.UserStatus };
  },
  AdminCreateUser(ctx, input) {
    V.validateRequest(input, {
      UserPoolId: V.USER_POOL_ID,
      Username: V.USERNAME,
      UserAttributes: { kind: "list" },
      TemporaryPassword: { kind: "string", max: 256, pattern: "[\\S]+", sensitive: true },
      MessageAction: { kind: "string", enum: ["RESEND", "SUPPRESS"] },
      DesiredDeliveryMediums: { kind: "list", member: { kind: "string", enum: ["SMS", "EMAIL"] } },
    });
    const p = pool(ctx, input.UserPoolId as string);
    const username = input.Username as string;
    const attrs = checkAttributes(p.config, (input.UserAttributes as { Name: string; Value?: string }[] | undefined) ?? [], true);
    const missing = p.config.schema.filter((s) => s.Required && s.Name !== "sub" && !attrs[s.Name]);
    if (missing.length > 0) throw invalidParameter(`Attributes did not conform to the schema: ${missing.map((s) => `${s.Name}: The attribute is required`).join("\n")}\n`);
    if (p.users.has(username)) throw new ServiceError("UsernameExistsException", "User account already exists.");
    for (const k of Object.keys(attrs)) if (attrs[k] === "") delete attrs[k];
    const u = p.users.add(username, attrs, "FORCE_CHANGE_PASSWORD", ctx.clock());
    ctx.changed();
    return { User: userShape(u) };
  },
  AdminUpdateUserAttributes(ctx, input) {
    V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, Username: V.USERNAME, UserAttributes: { kind: "list", required: true } });
    const p = pool(ctx, input.UserPoolId as string);
    const u = getUser(p, input.Username as string);
    const attrs = checkAttributes(p.config, input.UserAttributes as { Name: string; Value?: string }[], false);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === "") delete u.attributes[k];
      else u.attributes[k] = v;
    }
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
    getUser(p, input.Username as string);
    p.users.delete(input.Username as string);
    ctx.changed();
    return {};
  },
};

/** DeleteUserPool, UpdateUserPool and AddCustomAttributes are refused while an import job of the pool is active. */
function refuseDuringImport(ctx: CognitoContext, poolId: string, verb: "delete" | "update"): void {
  const active = [...ctx.state.jobs.values()].find((j) => j.UserPoolId === poolId && ACTIVE_STATUSES.includes(j.Status));
  if (active) throw new ServiceError("UserImportInProgressException", `Cannot ${verb} user pool ${poolId}: import job ${active.JobId} is in progress.`);
}

function setEnabled(ctx: CognitoContext, input: Input, enabled: boolean): unknown {
  V.validateRequest(input, { UserPoolId: V.USER_POOL_ID, Username: V.USERNAME });
  const u = getUser(pool(ctx, input.UserPoolId as string), input.Username as string);
  u.enabled = enabled;
  u.modified = ctx.clock();
  ctx.changed();
  return {};
}

function poolShape(p: PoolState): Record<string, unknown> {
  const c = p.config;
  return {
    Id: c.id,
    Name: c.name,
    Arn: c.arn,
    SchemaAttributes: c.schema,
    AutoVerifiedAttributes: c.autoVerifiedAttributes,
    ...(c.usernameAttributes.length ? { UsernameAttributes: c.usernameAttributes } : {}),
    ...(c.aliasAttributes.length ? { AliasAttributes: c.aliasAttributes } : {}),
    MfaConfiguration: c.mfaConfiguration,
    UsernameConfiguration: { CaseSensitive: c.caseSensitive },
    EstimatedNumberOfUsers: p.users.size,
    CreationDate: c.creationDate / 1000,
    LastModifiedDate: c.lastModifiedDate / 1000,
  };
}

export const COGNITO_OPERATIONS: readonly string[] = Object.keys(handlers);

export function cognitoHandler(operation: string): Handler | undefined {
  return Object.prototype.hasOwnProperty.call(handlers, operation) ? handlers[operation] : undefined;
}

/** A custom attribute as the pool's schema holds it, with Cognito's defaults for what the request left out. */
function customSchemaAttribute(name: string, s: Partial<SchemaAttribute>): SchemaAttribute {
  return {
    Name: name,
    AttributeDataType: s.AttributeDataType ?? "String",
    DeveloperOnlyAttribute: s.DeveloperOnlyAttribute ?? false,
    Mutable: s.Mutable ?? true,
    Required: false,
    ...(s.StringAttributeConstraints ? { StringAttributeConstraints: s.StringAttributeConstraints } : {}),
    ...(s.NumberAttributeConstraints ? { NumberAttributeConstraints: s.NumberAttributeConstraints } : {}),
  };
}
