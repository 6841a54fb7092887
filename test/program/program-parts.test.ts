/**
 * The program's pure parts: the logs role's policy documents (docs/iam/logs-role-*.json, which a person applies once)
 * and where the program looks for users.
 */
import { importLogGroupArn, importLogsPermissionsPolicy, importLogsTrustPolicy, IMPORT_LOG_ACTIONS } from "../support/logs-role-policy";
import { rosterPaths } from "../../program/roster-program";

describe("logs role documents", () => {
  it("trusts Cognito only for this account's pool", () => {
    expect(importLogsTrustPolicy("eu-west-2", "123456789012", "eu-west-2_Example1")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "cognito-idp.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": "arn:aws:cognito-idp:eu-west-2:123456789012:userpool/eu-west-2_Example1" },
          },
        },
      ],
    });
  });

  it("scopes the four log actions to the pool's own log groups", () => {
    expect(IMPORT_LOG_ACTIONS).toEqual(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]);
    expect(importLogGroupArn("eu-west-2", "123456789012", "eu-west-2_Example1")).toBe(
      "arn:aws:logs:eu-west-2:123456789012:log-group:/aws/cognito/userpools/eu-west-2_Example1/*",
    );
    expect(importLogGroupArn("us-gov-west-1", "123456789012", "us-gov-west-1_Example1", "aws-us-gov")).toMatch(/^arn:aws-us-gov:logs:/);
    expect(importLogsPermissionsPolicy("eu-west-2", "123456789012", "eu-west-2_Example1").Statement).toHaveLength(1);
  });
});

describe("rosterPaths", () => {
  it("defaults to users/ under the working directory", () => {
    expect(rosterPaths({}, "/repo")).toEqual({ repoRoot: "/repo", usersDirAbs: "/repo/users", usersDirInput: "users" });
  });
  it("takes ROSTER_USERS_DIR relative to ROSTER_REPO_ROOT, and keeps the resource input relative", () => {
    expect(rosterPaths({ ROSTER_REPO_ROOT: "/tmp/x", ROSTER_USERS_DIR: "people/staff" }, "/repo")).toEqual({
      repoRoot: "/tmp/x",
      usersDirAbs: "/tmp/x/people/staff",
      usersDirInput: "people/staff",
    });
  });
  it("passes a users directory outside the repository as an absolute path", () => {
    expect(rosterPaths({ ROSTER_USERS_DIR: "/srv/users" }, "/repo").usersDirInput).toBe("/srv/users");
  });
});
