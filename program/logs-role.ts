/**
 * The CloudWatch Logs role Cognito assumes while it runs a user import job: the policy documents as pure functions,
 * and the one place that turns them into @pulumi/aws resources.
 *
 * One role per stack, created by the program and reused by every job (the console creates a role per job and never
 * removes it). Its permissions are the four `logs:` actions the Cognito guide lists, narrowed from the guide's
 * `/aws/cognito/*` to this pool's own log group. The documents are built here, not inline in index.ts, so tests can
 * compare them exactly and so the README's description of the role has one source.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The service principal that assumes the role when it writes an import job's log. */
const COGNITO_SERVICE_PRINCIPAL = "cognito-idp.amazonaws.com";

/** Exactly what an import job needs to write its log stream; nothing else. */
export const IMPORT_LOG_ACTIONS = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"] as const;

interface PolicyStatement {
  Effect: "Allow";
  Principal?: { Service: string };
  Action: string | string[];
  Resource?: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/**
 * Optional confused-deputy conditions on the trust policy. Whether Cognito sends `aws:SourceAccount` / `aws:SourceArn`
 * when it assumes the role is undocumented, and a condition it does not satisfy makes every import job fail, so the
 * program passes none; this exists for stacks that have verified it in their own account.
 */
export interface TrustConditions {
  sourceAccount?: string;
  sourceArn?: string;
}

/** Trust policy: only Cognito may assume the role. */
export function importLogsTrustPolicy(conditions: TrustConditions = {}): PolicyDocument {
  const statement: PolicyStatement = {
    Effect: "Allow",
    Principal: { Service: COGNITO_SERVICE_PRINCIPAL },
    Action: "sts:AssumeRole",
  };
  const condition: Record<string, Record<string, string>> = {};
  if (conditions.sourceAccount !== undefined) condition.StringEquals = { "aws:SourceAccount": conditions.sourceAccount };
  if (conditions.sourceArn !== undefined) condition.ArnLike = { "aws:SourceArn": conditions.sourceArn };
  if (Object.keys(condition).length > 0) statement.Condition = condition;
  return { Version: "2012-10-17", Statement: [statement] };
}

/** The log groups Cognito writes a pool's import logs under: `/aws/cognito/userpools/<poolId>/<poolName>`. */
export function importLogGroupArn(region: string, accountId: string, userPoolId: string, partition = "aws"): string {
  return `arn:${partition}:logs:${region}:${accountId}:log-group:/aws/cognito/userpools/${userPoolId}/*`;
}

/** Permissions policy: the four log actions on this pool's import log groups only. */
export function importLogsPermissionsPolicy(region: string, accountId: string, userPoolId: string, partition = "aws"): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: [...IMPORT_LOG_ACTIONS],
        Resource: importLogGroupArn(region, accountId, userPoolId, partition),
      },
    ],
  };
}

export interface ImportLogsRoleArgs {
  region: string;
  userPoolId: string;
}

/**
 * The role and its inline policy, as children of one component so `pulumi preview` shows them together and the
 * roster resource can depend on both (an import job started before the policy exists cannot write its log).
 */
export class ImportLogsRole extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;
  public readonly role: aws.iam.Role;
  public readonly policy: aws.iam.RolePolicy;

  constructor(name: string, args: ImportLogsRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cognito-roster:index:ImportLogsRole", name, {}, opts);
    const account = aws.getCallerIdentityOutput({}, { parent: this });
    this.role = new aws.iam.Role(
      name,
      {
        description: `Lets Cognito user import jobs for ${args.userPoolId} write their CloudWatch Logs (managed by cognito-roster)`,
        assumeRolePolicy: JSON.stringify(importLogsTrustPolicy()),
        tags: { "cognito-roster:userPoolId": args.userPoolId },
      },
      { parent: this },
    );
    this.policy = new aws.iam.RolePolicy(
      `${name}-logs`,
      {
        role: this.role.id,
        policy: account.accountId.apply((accountId) =>
          JSON.stringify(importLogsPermissionsPolicy(args.region, accountId, args.userPoolId)),
        ),
      },
      { parent: this },
    );
    this.roleArn = this.role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
