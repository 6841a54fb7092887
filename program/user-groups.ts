/**
 * The stack's Cognito groups as Pulumi resources: one `aws.cognito.UserGroup` per group of `cognito-roster:groups`
 * (name, description, precedence, role). The roster resource depends on them, so memberships are applied only
 * into groups that exist.
 *
 * Groups only: memberships are the roster's (engine/apply-groups.ts), never `aws.cognito.UserInGroup`, which would
 * cost a resource and a state entry per membership. A group that already exists in the pool is adopted with
 * `pulumi import` (docs/running-for-real.md, "Groups"); the resource name is the group's, so the command is
 * predictable. Groups not in the stack are never declared here, so Pulumi never touches them; a group taken out
 * of the stack is forgotten, not deleted (`retainOnDelete`).
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { PoolProfile } from "../core/profile";

/** The Pulumi resource name of a managed group: `<pool id>-group-<group name>`. @internal */
export function groupResourceName(userPoolId: string, groupName: string): string {
  return `${userPoolId}-group-${groupName}`;
}

/** Declares every group the stack manages; none when it manages none. */
export function declareUserGroups(profile: PoolProfile, opts: pulumi.CustomResourceOptions = {}): aws.cognito.UserGroup[] {
  return Object.entries(profile.groups ?? {}).map(
    ([name, group]) =>
      new aws.cognito.UserGroup(
        groupResourceName(profile.userPoolId, name),
        {
          name,
          userPoolId: profile.userPoolId,
          ...(group.description !== undefined ? { description: group.description } : {}),
          ...(group.precedence !== undefined ? { precedence: group.precedence } : {}),
          ...(group.roleArn !== undefined ? { roleArn: group.roleArn } : {}),
        },
        // Taking a group out of the stack (or destroying the stack) forgets it, as the roster forgets users: the
        // group and its memberships stay in the pool, no longer managed. Delete a group in the console if meant.
        { retainOnDelete: true, ...opts },
      ),
  );
}
