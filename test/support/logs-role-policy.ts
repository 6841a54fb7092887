/**
 * The CloudWatch Logs role Cognito assumes while it runs a user import job: its policy documents, as pure functions.
 *
 * One role per stack, created once by a person (docs/running-for-real.md, "The CloudWatch Logs role": the bootstrap
 * step and its policy) and named by the stack's `logsRoleArn`; every job reuses it (the console creates a role per
 * job and never removes it). Neither the program nor the apply role can create or change an IAM role: code running
 * as the apply role cannot mint one that trusts another account or holds more than these four `logs:` actions.
 * Its permissions are the four actions the Cognito guide lists, narrowed from the guide's `/aws/cognito/*` to this
 * pool's own log group. docs/iam/logs-role-*.json are these documents with placeholders; a test compares them.
 */

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

/** The user pool's ARN: the only resource on whose behalf Cognito may assume the role. */
function userPoolArn(region: string, accountId: string, userPoolId: string, partition = "aws"): string {
  return `arn:${partition}:cognito-idp:${region}:${accountId}:userpool/${userPoolId}`;
}

/**
 * Trust policy: only Cognito may assume the role, and only for this account's pool (`aws:SourceAccount`,
 * `aws:SourceArn`: AWS's guard against a confused deputy, so no other account's pool can be made to write as it).
 */
export function importLogsTrustPolicy(region: string, accountId: string, userPoolId: string, partition = "aws"): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: COGNITO_SERVICE_PRINCIPAL },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": accountId },
          ArnLike: { "aws:SourceArn": userPoolArn(region, accountId, userPoolId, partition) },
        },
      },
    ],
  };
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
